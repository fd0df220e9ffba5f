"""Atom 1.0 documents: the site's feed of latest changes and each project's and village's feed are written here,
one way. Entry and feed ids are name-based UUIDs under the county, so two builds of a commit write the same
feeds; links are absolute when the site's URL is configured, else relative to the site's root."""

from __future__ import annotations

import datetime as dt
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass

from gongshi.content.site import Site
from gongshi.content.unstated import stated
from gongshi.web.urls import Urls

ATOM = "http://www.w3.org/2005/Atom"


@dataclass(frozen=True)
class FeedEntry:
    """One entry: `key` names it within the county (its id), `updated` is RFC 3339, `link` a page of the site."""

    key: str
    title: str
    updated: str
    summary: str
    link: str | None = None


def day(date: dt.date) -> str:
    """A date as an RFC 3339 time: midnight UTC."""
    return f"{date.isoformat()}T00:00:00+00:00"


def atom(site: Site, urls: Urls, key: str, title: str, page: str, feed: str, entries: Sequence[FeedEntry]) -> bytes:
    """The feed `key` (its id within the county) of `page`, served at `feed`; updated when its newest entry was,
    or at the content's date when it has none."""

    def href(target: str) -> str:
        return urls.absolute(target) or urls.url(target)

    county = site.config.county.code if stated(site.config.county.code) else site.config.county.name

    def urn(name: str) -> str:
        return uuid.uuid5(uuid.NAMESPACE_URL, f"gongshi:{county}:{name}").urn

    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "zh-CN"})

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            element.text = text
        return element

    sub(root, "id", urn(key))
    sub(root, "title", title)
    stamps = [e.updated for e in entries] or [day(site.stamp)]
    sub(root, "updated", max(stamps, key=dt.datetime.fromisoformat))
    sub(sub(root, "author"), "name", site.config.office)
    sub(root, "link", rel="alternate", type="text/html", href=href(page))
    if urls.site_url:
        sub(root, "link", rel="self", type="application/atom+xml", href=urls.absolute(feed))
    for entry in entries:
        item = sub(root, "entry")
        sub(item, "id", urn(entry.key))
        sub(item, "title", entry.title)
        sub(item, "updated", entry.updated)
        if entry.link is not None:
            sub(item, "link", rel="alternate", type="text/html", href=href(entry.link))
        sub(item, "summary", entry.summary, type="text")
    ET.indent(root)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"
