"""Staff-written Markdown → HTML that cannot carry script (nh3 allowlist)."""

from __future__ import annotations

import functools
import re

import markdown
import nh3

from gongshi.text import strip_unsafe

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "blockquote",
    "code",
    "pre",
    "ul",
    "ol",
    "li",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "a",
    "hr",
    "img",
    "abbr",
    "span",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "th": {"align"},
    "td": {"align"},
}
# Relative links, https and mailto only: no javascript:, data: or plain http.
URL_SCHEMES = {"https", "mailto"}


def render_body(text: str) -> str:
    """Convert a record's Markdown body to sanitized HTML."""
    if not text.strip():
        return ""
    html = _converter().reset().convert(text)
    return strip_unsafe(sanitize(html))  # a character the sanitizer decoded from a reference is never published


@functools.cache
def _converter() -> markdown.Markdown:
    """One converter, reset between bodies: building one per record costs more than converting it."""
    return markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")


def sanitize(
    html: str,
    tags: set[str] = ALLOWED_TAGS,
    attributes: dict[str, set[str]] = ALLOWED_ATTRIBUTES,
    classes: dict[str, set[str]] | None = None,
) -> str:
    """Keep only allowlisted tags, attributes, classes and URL schemes; links to other hosts get rel=noopener.
    A county's own pages (gongshi.web.county_pages) widen the tags a little; the URL check is the same."""
    return nh3.clean(
        html,
        tags=tags,
        attributes=attributes,
        allowed_classes=classes,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
        attribute_filter=_one_url_check,
    )


def _one_url_check(tag: str, attribute: str, value: str) -> str | None:
    """One URL check for links and images: an image only from this site, a link to this site, https or mailto
    — never an address a browser reads as another host with no scheme (`//host`)."""
    if (tag, attribute) in (("img", "src"), ("a", "href")):
        return value if url_allowed(value, image=tag == "img") else None
    return value


def url_allowed(value: str, *, image: bool = False) -> bool:
    """Read the address as a browser does first: it drops tabs and line breaks, trims spaces and controls, and
    takes \\ for / (so `/\\evil.example/p.png` means `//evil.example/p.png`, another host). Images come only
    from this site (no scheme, no host); links may also use the schemes in URL_SCHEMES."""
    seen = re.sub(r"[\t\n\r]", "", value).strip("\x00- ").replace("\\", "/")
    if seen.startswith("//"):
        return False
    if image:
        return ":" not in seen
    scheme = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", seen)
    return scheme is None or scheme[1].lower() in URL_SCHEMES
