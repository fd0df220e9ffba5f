"""The site-wide 最近更新 page and its Atom feed, from the records' git history."""

from __future__ import annotations

import datetime as dt
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterator

from gongshi.content.fields import path_label
from gongshi.content.history import NO_GIT, FieldChange, RecordChange
from gongshi.content.model import Change, Plan, Project
from gongshi.content.site import Site
from gongshi.content.unstated import stated
from gongshi.content.values import changed_value
from gongshi.web.family import GeneratedPage, PageFamily
from gongshi.web.render import Renderer
from gongshi.web.urls import Urls

RECENT = 50
ATOM = "http://www.w3.org/2005/Atom"


def field_text(change: FieldChange) -> str:
    """'规划投资：1,100 万元 → 1,150 万元' or '固定资产确权村：新增 X；删除 Y'."""
    if change.added or change.removed:
        parts = []
        if change.added:
            parts.append("新增 " + "、".join(change.added))
        if change.removed:
            parts.append("删除 " + "、".join(change.removed))
        return f"{change.field}：{'；'.join(parts)}"
    if change.before is None:
        return f"{change.field}：{change.after}" if change.after == "已修改" else f"{change.field}：新增 {change.after}"
    if change.after is None:
        return f"{change.field}：删除 {change.before}"
    return f"{change.field}：{change.before} → {change.after}"


def summary(change: RecordChange) -> str:
    """One line for a feed entry or a list: what changed."""
    if change.kind != "修改":
        return f"{change.kind}记录"
    return "；".join(field_text(f) for f in change.fields)


def approved_changes(site: Site) -> list[tuple[Plan | Project, int, Change]]:
    """Every approved change (调整变更) of the plans and projects, newest first: (record, its index, change)."""
    found: list[tuple[Plan | Project, int, Change]] = []
    for record in (*site.plans, *site.projects):
        found.extend((record, i, change) for i, change in enumerate(record.changes))
    return sorted(found, key=lambda item: item[2].date, reverse=True)


def approved_text(record: Plan | Project, change: Change) -> str:
    """'规划投资：200 万元 → 180 万元（样府函〔2025〕9号；原因：…）'."""

    before, after = (changed_value(type(record), change.field, v) for v in (change.before, change.after))
    details = "；".join(part for part in (change.approval, change.reason and f"原因：{change.reason}") if part)
    text = f"{path_label(type(record), change.field)}：{before} → {after}"
    return text + (f"（{details}）" if details else "")


def atom_feed(site: Site, changes: list[RecordChange], urls: Urls) -> bytes:
    """Atom 1.0 for the latest changes; links are absolute when the site's URL is configured."""

    def href(target: str) -> str:
        return urls.absolute(target) or urls.url(target)

    projects = {p.id: p for p in site.projects}
    ET.register_namespace("", ATOM)
    county = site.config.county.code if stated(site.config.county.code) else site.config.county.name
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "zh-CN"})

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            element.text = text
        return element

    sub(feed, "id", uuid.uuid5(uuid.NAMESPACE_URL, f"gongshi:{county}:changes").urn)
    sub(feed, "title", f"{site.config.title} · 最近更新")
    approved = approved_changes(site)[:RECENT]
    stamps = [c.date.isoformat() for c in changes[:1]] + [
        f"{a.date.isoformat()}T00:00:00+00:00" for _, _, a in approved[:1]
    ]
    stamps = stamps or [f"{site.stamp.isoformat()}T00:00:00+00:00"]
    sub(feed, "updated", max(stamps, key=lambda s: dt.datetime.fromisoformat(s)))
    author = sub(feed, "author")
    sub(author, "name", site.config.office)
    sub(feed, "link", rel="alternate", type="text/html", href=href(urls.changes))
    if urls.site_url:
        sub(feed, "link", rel="self", type="application/atom+xml", href=urls.absolute(urls.feed))
    for change in changes:
        entry = sub(feed, "entry")
        sub(entry, "id", uuid.uuid5(uuid.NAMESPACE_URL, f"gongshi:{county}:{change.commit}:{change.record_id}").urn)
        sub(entry, "title", f"{change.title}：{change.kind}")
        sub(entry, "updated", change.date.isoformat())
        if change.record_id in projects:
            target = urls.project(projects[change.record_id])
            sub(entry, "link", rel="alternate", type="text/html", href=href(target))
        sub(entry, "summary", f"{summary(change)}（提交说明：{change.message}）", type="text")
    for record, index, change in approved:
        entry = sub(feed, "entry")
        key = f"gongshi:{county}:approved:{type(record).__name__}:{record.id}:{index}:{change.date.isoformat()}"
        sub(entry, "id", uuid.uuid5(uuid.NAMESPACE_URL, key).urn)
        sub(entry, "title", f"{record.title}：调整变更{f'（{change.approval}）' if change.approval else ''}")
        sub(entry, "updated", f"{change.date.isoformat()}T00:00:00+00:00")
        target = urls.project(record) if isinstance(record, Project) else urls.plan(record)
        sub(entry, "link", rel="alternate", type="text/html", href=href(target))
        sub(entry, "summary", approved_text(record, change), type="text")
    ET.indent(feed)
    return (
        b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8", xml_declaration=False) + b"\n"
    )


def changes_pages(renderer: Renderer) -> Iterator[GeneratedPage]:
    """最近更新 (the latest record changes across the site) and feed.xml."""
    site, urls = renderer.site, renderer.urls
    recent = list(site.history.changes[:RECENT])
    projects = {p.id: p for p in site.projects}
    approved = approved_changes(site)[:RECENT]
    yield renderer.render("changes.md.j2", urls.changes, recent=recent, projects=projects, approved=approved)
    yield GeneratedPage(urls.feed, atom_feed(site, recent, urls))


def changes_helpers(renderer: Renderer) -> dict:
    """What the history partial calls."""
    return {"field_text": field_text, "no_git": NO_GIT, "approved_text": approved_text}


FAMILY = PageFamily("changes", changes_pages, changes_helpers)
