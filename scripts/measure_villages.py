"""Print figures for the village pages: the map page's weight and each printable notice's A4 page count.

Usage: .venv/bin/python scripts/measure_villages.py [SITE_URL]
Builds a copy of the project (with SITE_URL as mkdocs `site_url`, so that the notices carry their QR
codes), then prints each notice in Debian's Chromium to an A4 PDF and counts its pages.
"""

from __future__ import annotations

import gzip
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser import CHROMIUM_ARGS, chromium_path, serve  # noqa: E402
from conftest import copy_project, run_build  # noqa: E402


def pdf_pages(pdf: bytes) -> int:
    """Pages in a PDF that Chromium wrote (one /Type /Page object per page)."""
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))


def build(site_url: str, dest: Path) -> Path:
    project = copy_project(dest / "project")
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace('site_url: ""', f'site_url: "{site_url}"', 1), encoding="utf-8"
    )
    result = run_build(project)
    if result.returncode:
        sys.exit(result.stderr)
    return project / "site"


def main() -> None:
    site_url = sys.argv[1] if len(sys.argv) > 1 else "https://example.org/gongshi/"
    with tempfile.TemporaryDirectory() as tmp:
        site = build(site_url, Path(tmp))
        page = (site / "places/map/index.html").read_bytes()
        svg = re.search(rb'<svg class="gs-map-svg".*?</svg>', page, re.S).group(0)
        print(
            f"map page: {len(page):,} bytes HTML ({len(gzip.compress(page, 9)):,} gzipped); "
            f"inline SVG {len(svg):,} bytes"
        )
        notices = sorted(p.parent.relative_to(site).as_posix() + "/" for p in site.glob("notices/*/*/index.html"))
        from playwright.sync_api import sync_playwright

        with serve(site) as base, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
            tab = browser.new_page()
            counts = {}
            for path in notices:
                tab.goto(base + path)
                counts[path] = pdf_pages(tab.pdf(format="A4", print_background=True))
                print(f"{counts[path]} A4 page(s)  {path}")
            browser.close()
        print(
            f"notices: {len(counts)}; one sheet: {sum(c == 1 for c in counts.values())}; "
            f"max pages: {max(counts.values())}"
        )


if __name__ == "__main__":
    main()
