"""Follow a project or a village: an Atom feed of each, with its progress reports, approved changes (调整变更),
notice periods (公示) and the record changes git holds. Every date comes from the content or the history,
never from the clock, so two builds of a commit write the same feeds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from gongshi.content.model import NOTICE_STAGES, Project
from gongshi.content.site import Site
from gongshi.content.values import project_name
from gongshi.money import wan_text
from gongshi.web.atom import FeedEntry, atom, day
from gongshi.web.family import GeneratedPage, PageFamily
from gongshi.web.pages.changes import approved_text, note_suffix, summary
from gongshi.web.pages.places import place_projects
from gongshi.web.render import Renderer
from gongshi.web.urls import Urls


@dataclass(frozen=True)
class Entry:
    """One feed entry: what happened to a project, when."""

    key: str
    when: str  # RFC 3339
    title: str
    summary: str
    project: Project


def project_entries(site: Site, project: Project) -> list[Entry]:
    """Progress, approved changes, notice periods and git changes of one record, newest first."""
    out = []
    name = project_name(site, project)
    for i, report in enumerate(project.progress):
        parts = [f"阶段：{report.stage}"]
        if report.disbursed is not None:
            parts.append(f"累计拨付 {wan_text(report.disbursed)} 万元")
        if report.percent is not None:
            parts.append(f"完成 {report.percent}%")
        if report.note:
            parts.append(report.note)
        out.append(Entry(f"progress:{i}", day(report.date), f"{name}：进展报告", "；".join(parts), project))
    for i, change in enumerate(project.changes):
        out.append(
            Entry(
                f"approved:{i}",
                day(change.date),
                f"{name}：调整变更",
                approved_text(project, change),
                project,
            )
        )
    for notice in project.notices:
        where = f"（{notice.where}）" if notice.where else ""
        text = f"{NOTICE_STAGES[notice.stage]} {notice.start.isoformat()} 至 {notice.end.isoformat()}{where}"
        out.append(
            Entry(
                f"notice:{notice.stage}",
                day(notice.start),
                f"{name}：{NOTICE_STAGES[notice.stage]}",
                text,
                project,
            )
        )
    for change in site.history.of(project.id):
        out.append(
            Entry(
                f"commit:{change.commit}",
                change.date.isoformat(),
                f"{name}：记录{change.kind}",
                summary(change) + note_suffix(change),
                project,
            )
        )
    return sorted(out, key=lambda e: (dt.datetime.fromisoformat(e.when), e.key), reverse=True)


def feed_entries(entries: list[Entry], urls: Urls) -> list[FeedEntry]:
    return [FeedEntry(f"{e.project.id}:{e.key}", e.title, e.when, e.summary, urls.project(e.project)) for e in entries]


def follow_pages(renderer: Renderer) -> Iterator[GeneratedPage]:
    """projects/<id>/feed.xml and places/<code>/feed.xml."""
    site, urls = renderer.site, renderer.urls
    by_project = {p.id: project_entries(site, p) for p in site.projects}
    for project in site.projects:
        yield GeneratedPage(
            urls.project_feed(project),
            atom(
                site,
                urls,
                f"project:{project.id}",
                f"{project_name(site, project)} · 项目动态",
                urls.project(project),
                urls.project_feed(project),
                feed_entries(by_project[project.id], urls),
            ),
        )
    for place in site.linked_places:
        if not place.is_village:
            continue
        entries = [e for row in place_projects(site, place) for e in by_project[row.project.id]]
        entries.sort(key=lambda e: (dt.datetime.fromisoformat(e.when), e.project.id, e.key), reverse=True)
        yield GeneratedPage(
            urls.place_feed(place),
            atom(
                site,
                urls,
                f"place:{place.code}",
                f"{place.full_name} · 受益项目动态",
                urls.place(place),
                urls.place_feed(place),
                feed_entries(entries, urls),
            ),
        )


FAMILY = PageFamily("follow", follow_pages)
