"""Print what a first visit downloads, gzipped, for each type of page in a built site.

    python scripts/page_weight.py [SITE_DIR]     (default: site/)

For each page: the HTML plus every same-site stylesheet, script and image it references, each file
gzipped at level 9 (what a static host or CDN typically sends). Pages are grouped by type (home,
funds, project, category…); the heaviest page of each type is shown. What a page fetches only when the
visitor asks (the funds page's interactive charts; the search index, fetched for the words typed) is
not part of a first visit and is listed apart. Figures only: nothing is asserted.
"""

from __future__ import annotations

import gzip
import posixpath
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

BUDGET = 600 * 1024  # bytes, gzipped: the first-visit budget of a chart page (issue 3)
TYPES = (  # (type, pattern on the page's path relative to the site root)
    ("home", r"^index\.html$"),
    ("funds", r"^(funds/index|plans/[^/]+/funds/index)\.html$"),
    ("projects index", r"^projects/index\.html$"),
    ("project", r"^projects/[^/]+/index\.html$"),
    ("plan", r"^plans/[^/]+/index\.html$"),
    ("category", r"^plans/[^/]+/[^/]+/index\.html$"),
    ("units index", r"^units/index\.html$"),
    ("unit", r"^units/[^/]+/index\.html$"),
    ("places index", r"^places/index\.html$"),
    ("place", r"^places/[^/]+/index\.html$"),
)


class _Refs(HTMLParser):
    """Collects the URLs a page loads on a first visit (stylesheets, scripts, images, preloads) and the
    scripts it loads only on request (the interactive charts' button names them, relative to the root)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.on_request: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "button" and a.get("data-scripts"):
            self.on_request += a["data-scripts"].split()
        if tag == "script" and a.get("src"):
            self.urls.append(a["src"])
        elif (
            tag == "link"
            and a.get("href")
            and set((a.get("rel") or "").split()) & {"stylesheet", "icon", "preload", "modulepreload"}
        ):
            self.urls.append(a["href"])
        elif tag == "img" and a.get("src"):
            self.urls.append(a["src"])


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def local_file(site: Path, page: Path, url: str) -> Path | None:
    """The file a same-site URL points to, or None for another host or a data: URL."""
    if re.match(r"^[a-z]+:|^//", url):
        return None
    path = url.split("#")[0].split("?")[0]
    rel = posixpath.normpath(posixpath.join(page.parent.relative_to(site).as_posix(), path))
    target = site / rel
    if target.is_dir():
        target = target / "index.html"
    return target if target.is_file() else None


def page_weight(site: Path, page: Path) -> tuple[int, int, dict[str, int]]:
    """(total gz bytes, number of files, gz bytes per referenced file) of a first visit to `page`."""
    parser = _Refs()
    parser.feed(page.read_text(encoding="utf-8"))
    files = {page: gz(page.read_bytes())}
    for url in parser.urls:
        target = local_file(site, page, url)
        if target is not None and target not in files:
            files[target] = gz(target.read_bytes())
    detail = {f.relative_to(site).as_posix(): size for f, size in files.items()}
    return sum(files.values()), len(files), detail


def on_request(site: Path, page: Path) -> dict[str, int]:
    """gz bytes of each script the page fetches only when the visitor asks for it."""
    parser = _Refs()
    parser.feed(page.read_text(encoding="utf-8"))
    return {rel: gz((site / rel).read_bytes()) for rel in parser.on_request if (site / rel).is_file()}


def page_type(rel: str) -> str:
    return next((name for name, pattern in TYPES if re.match(pattern, rel)), "other")


def report(site: Path) -> list[tuple[str, str, int, int]]:
    """(type, heaviest page, gz bytes, files) per page type."""
    heaviest: dict[str, tuple[str, int, int]] = {}
    for page in sorted(site.rglob("*.html")):
        rel = page.relative_to(site).as_posix()
        total, count, _ = page_weight(site, page)
        kind = page_type(rel)
        if kind not in heaviest or total > heaviest[kind][1]:
            heaviest[kind] = (rel, total, count)
    order = [name for name, _ in TYPES] + ["other"]
    return [(kind, *heaviest[kind]) for kind in order if kind in heaviest]


def main(argv: list[str]) -> int:
    site = Path(argv[1]) if len(argv) > 1 else Path("site")
    if not (site / "index.html").is_file():
        print(f"{site}/index.html not found: build the site first (make site)", file=sys.stderr)
        return 1
    print(f"First visit, gzipped (level 9), heaviest page of each type in {site}/")
    print(f"{'type':<16} {'KB gz':>9} {'files':>6}  page")
    for kind, rel, total, count in report(site):
        flag = "  OVER BUDGET" if kind == "funds" and total > BUDGET else ""
        print(f"{kind:<16} {total / 1024:>9.1f} {count:>6}  {rel}{flag}")
    funds = site / "funds" / "index.html"
    if funds.is_file():
        print("\nfunds page, file by file:")
        for name, size in page_weight(site, funds)[2].items():
            print(f"  {size / 1024:>8.1f} KB  {name}")
        print(f"  budget {BUDGET / 1024:.0f} KB")
        asked = on_request(site, funds)
        if asked:
            print(
                f"\nfunds page, only when the visitor asks for the interactive charts ({sum(asked.values()) / 1024:.1f} KB):"
            )
            for name, size in asked.items():
                print(f"  {size / 1024:>8.1f} KB  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
