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


def sanitize(html: str) -> str:
    """Keep only allowlisted tags, attributes and URL schemes; links to other hosts get rel=noopener."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
        attribute_filter=_local_images_only,
    )


def _local_images_only(tag: str, attribute: str, value: str) -> str | None:
    """An image from another host would make every reader's browser contact it. Read the address as a
    browser does first: it drops tabs and line breaks, trims spaces and controls, and takes \\ for /
    (so `/\\evil.example/p.png` means `//evil.example/p.png`)."""
    if tag == "img" and attribute == "src":
        seen = re.sub(r"[\t\n\r]", "", value).strip("\x00- ").replace("\\", "/")
        if ":" in seen or seen.startswith("//"):
            return None
    return value
