"""Print what a first visit downloads, gzipped, for each type of page in a built site.

    python scripts/page_weight.py [SITE_DIR]     (default: site/)

For each page: the HTML plus every same-site stylesheet, script and image it references, and the
search worker and search index that Material's script fetches as soon as a page loads; each file
gzipped at level 9 (what a static host or CDN typically sends). Pages are grouped by type (home,
funds, project, category…); the heaviest page of each type is shown. Figures only: nothing is asserted.
"""

from __future__ import annotations

import gzip
import json
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
    """Collects the URLs a page loads on a first visit (stylesheets, scripts, images, preloads)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self._config = False

    def handle_data(self, data):
        # Material's config names its search worker, which loads the search index on page load.
        if self._config:
            config = json.loads(data)
            if config.get("search"):
                self.urls += [config["search"], posixpath.join(config.get("base", "."), "search/search_index.json")]
            self._config = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self._config = tag == "script" and a.get("id") == "__config"
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
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
