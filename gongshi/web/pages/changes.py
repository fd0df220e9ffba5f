"""The site-wide 最近更新 page and its Atom feed, from the records' git history."""

from __future__ import annotations

import re
from collections.abc import Iterator

from gongshi.content.fields import path_label
from gongshi.content.history import NO_GIT, FieldChange, RecordChange
from gongshi.content.model import Change, Plan, Project
from gongshi.content.site import Site
from gongshi.content.unstated import NOT_STATED
from gongshi.content.values import changed_value, project_name
from gongshi.web.atom import FeedEntry, atom, day
from gongshi.web.family import GeneratedPage, PageFamily
from gongshi.web.render import Renderer
from gongshi.web.urls import Urls

RECENT = 50
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def clerk_note(change: RecordChange) -> str:
    """The commit message when it is the clerk's own note on the change, else ''.

    The rule: a message is the clerk's note when it contains a Chinese character. Clerks write to citizens in
    Chinese; commits made by tools, merges and maintainers are in English (the project's rule for commit
    messages), and those say nothing to a citizen: the page shows what changed, field by field, instead."""
    return change.message if _HAN.search(change.message) else ""


def note_suffix(change: RecordChange) -> str:
    """'（修改说明：…）' after a summary when the change carries the clerk's note, else ''."""
    note = clerk_note(change)
    return f"（修改说明：{note}）" if note else ""


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
    return "；".join(field_text(f) for f in change.fields) or "修改记录"


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


def change_title(site: Site, change: RecordChange, projects: dict[str, Project]) -> str:
    """A record change's title as the record had it, or an untitled project's name by its number."""
    if change.title == NOT_STATED and change.record_id in projects:
        return project_name(site, projects[change.record_id])
    return change.title


def feed_entries(site: Site, changes: list[RecordChange], urls: Urls) -> list[FeedEntry]:
    """The site feed's entries: the latest record changes, then the latest approved changes."""
    projects = {p.id: p for p in site.projects}
    entries = [
        FeedEntry(
            f"{change.commit}:{change.record_id}",
            f"{change_title(site, change, projects)}：{change.kind}",
            change.date.isoformat(),
            summary(change) + note_suffix(change),
            urls.project(projects[change.record_id]) if change.record_id in projects else None,
        )
        for change in changes
    ]
    for record, index, change in approved_changes(site)[:RECENT]:
        entries.append(
            FeedEntry(
                f"approved:{type(record).__name__}:{record.id}:{index}:{change.date.isoformat()}",
                f"{project_name(site, record) if isinstance(record, Project) else record.label}："
                f"调整变更{f'（{change.approval}）' if change.approval else ''}",
                day(change.date),
                approved_text(record, change),
                urls.project(record) if isinstance(record, Project) else urls.plan(record),
            )
        )
    return entries


def changes_pages(renderer: Renderer) -> Iterator[GeneratedPage]:
    """最近更新 (the latest record changes across the site) and feed.xml."""
    site, urls = renderer.site, renderer.urls
    recent = list(site.history.changes[:RECENT])
    projects = {p.id: p for p in site.projects}
    approved = approved_changes(site)[:RECENT]
    yield renderer.render("changes.md.j2", urls.changes, recent=recent, projects=projects, approved=approved)
    entries = feed_entries(site, recent, urls)
    yield GeneratedPage(
        urls.feed, atom(site, urls, "changes", f"{site.config.title} · 最近更新", urls.changes, urls.feed, entries)
    )


def changes_helpers(renderer: Renderer) -> dict:
    """What the history partial calls."""
    return {"field_text": field_text, "no_git": NO_GIT, "approved_text": approved_text, "clerk_note": clerk_note}


FAMILY = PageFamily("changes", changes_pages, changes_helpers)
