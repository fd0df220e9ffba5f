"""Find the pages of a built site, so that the quality gates cover pages added later without edits here."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

# Pages that are always checked by name, whatever else the site holds.
FIXED = ("", "404.html")


def all_pages(site: Path) -> list[str]:
    """Every HTML page of the built site as a URL path relative to the root ('', 'projects/x/', '404.html')."""
    urls = []
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if rel == "index.html":
            urls.append("")
        elif rel.endswith("/index.html"):
            urls.append(rel[: -len("index.html")])
        else:
            urls.append(rel)
    return urls


def pattern_of(url: str, siblings: dict[str, int]) -> str:
    """The URL pattern a page belongs to: its last segment becomes '*' when its folder holds several pages."""
    parts = url.rstrip("/").split("/")
    if len(parts) < 2:
        return url
    parent = "/".join(parts[:-1]) + "/"
    if siblings[parent] < 2:
        return url
    # Numbers and slugs alike: one page stands for every page of its kind.
    return parent + "*" + ("/" if url.endswith("/") else re.sub(r"^[^.]*", "", parts[-1]))


def file_of(site: Path, url: str) -> Path:
    """The file on disk that serves a URL path."""
    return site / (url + "index.html" if url == "" or url.endswith("/") else url)


def representative_pages(site: Path) -> list[str]:
    """Per URL pattern the first page in sorted order and the largest one (long names and tables show
    there), plus the fixed pages."""
    urls = all_pages(site)
    siblings: dict[str, int] = defaultdict(int)
    for url in urls:
        parts = url.rstrip("/").split("/")
        if len(parts) >= 2:
            siblings["/".join(parts[:-1]) + "/"] += 1
    groups: dict[str, list[str]] = defaultdict(list)
    for url in urls:
        groups[pattern_of(url, siblings)].append(url)
    chosen = set(FIXED)
    for members in groups.values():
        chosen.add(members[0])
        chosen.add(max(members, key=lambda url: (file_of(site, url).stat().st_size, url)))
    return sorted(chosen)
