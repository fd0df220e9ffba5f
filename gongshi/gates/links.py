"""Resolve every link, anchor and asset of a built site against the files on disk."""

from __future__ import annotations

import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

# Attributes that point at another document or a resource the browser loads.
LINK_ATTRIBUTES = {"href", "src", "poster", "data", "action"}
# Schemes that leave the site: not files on disk, and checked elsewhere (no request to another host).
OUTSIDE = ("http:", "https:", "mailto:", "tel:", "data:")


class _Refs(HTMLParser):
    """The ids of a page and every URL it references, with the tag it came from."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.refs: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name in ("id", "name") and not (
                tag in ("input", "meta", "form", "button", "select", "textarea") and name == "name"
            ):
                self.ids.add(value)
            elif name in LINK_ATTRIBUTES:
                self.refs.append((tag, value.strip()))
            elif name in ("srcset", "imagesrcset"):
                self.refs += [(tag, part.split()[0]) for part in value.split(",") if part.strip()]


def page_url(site: Path, file: Path) -> str:
    """The URL path ('projects/x/') a file is served under, relative to the root."""
    rel = file.relative_to(site).as_posix()
    return rel[: -len("index.html")] if rel.endswith("index.html") else rel


def target_file(site: Path, path: str) -> Path | None:
    """The file a root-relative URL path resolves to, as a static web server would serve it."""
    candidate = site / path
    if path == "" or path.endswith("/") or candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def broken_links(site: Path) -> list[str]:
    """Every href/src/anchor in every HTML page (and url() in the site's own CSS) that does not resolve."""
    parsed: dict[Path, _Refs] = {}

    def parse(file: Path) -> _Refs:
        if file not in parsed:
            parser = _Refs()
            parser.feed(file.read_text(encoding="utf-8"))
            parsed[file] = parser
        return parsed[file]

    problems = []
    for file in sorted(site.rglob("*.html")):
        here = page_url(site, file)
        for tag, ref in parse(file).refs:
            problem = _check(site, file, here, ref, parse)
            if problem:
                problems.append(f"{file.relative_to(site)}: <{tag}> {ref!r}: {problem}")
    for css in sorted(site.rglob("*.css")):
        if "assets/stylesheets" in css.as_posix():
            continue  # Material's own bundle: only data: URIs, checked by its authors
        here = page_url(site, css)
        for ref in re.findall(r"url\(\s*['\"]?([^'\")]+)", css.read_text(encoding="utf-8")):
            problem = _check(site, css, here, ref, parse)
            if problem:
                problems.append(f"{css.relative_to(site)}: url({ref}): {problem}")
    return problems


def _check(site: Path, file: Path, here: str, ref: str, parse) -> str | None:
    lowered = ref.lower()
    if lowered.startswith("javascript:") or lowered.startswith("vbscript:"):
        return "script URL"
    if lowered.startswith(OUTSIDE):
        return None
    if ref.startswith("//"):
        return "protocol-relative URL (another host)"
    if re.match(r"^[a-z][a-z0-9+.-]*:", lowered):
        return "unknown scheme"
    parts = urlsplit(ref)
    base = posixpath.dirname(here) if not here.endswith("/") else here.rstrip("/")
    if parts.path.startswith("/"):
        path = parts.path.lstrip("/")  # root-relative (the 404 page): the site is served from its root
    elif parts.path:
        path = posixpath.normpath(posixpath.join(base, unquote(parts.path)))
        if path.startswith(".."):
            return "leaves the site"
        path = "" if path == "." else path + ("/" if parts.path.endswith("/") else "")
    else:
        path = here
    target = target_file(site, unquote(path)) if parts.path else file
    if target is None:
        return "no such file"
    if parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in parse(target).ids:
        return f"no element with id {unquote(parts.fragment)!r}"
    return None
