"""Printable notices (公示单) for village boards: one A4 sheet per project and stage (入库, 计划, 调整, 完工验收,
绩效自评) and per village, with a QR code that leads to the project's page online."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass

import segno
from markupsafe import Markup

from gongshi.content.fields import STAGES, FieldRow, NoticeStage, Surface, field_rows
from gongshi.content.model import NoticePeriod, Project
from gongshi.content.values import NOT_STATED, Texts, has_text, value_at
from gongshi.content.wording import has_wording
from gongshi.web.body import render_body
from gongshi.web.family import GeneratedPage, PageFamily
from gongshi.web.pages.places import place_projects, sharing_villages
from gongshi.web.present import yi
from gongshi.web.render import Renderer

# Material renders these pages with templates/overrides/notice.html: no header, navigation, search or footer.
FRONT_MATTER = "---\ntemplate: notice.html\nsearch:\n  exclude: true\n---\n"


@dataclass(frozen=True)
class Online:
    """Where a page lives online: its absolute URL (empty until `site_url` is set) and its path in the site."""

    url: str
    path: str
    qr: Markup | None  # inline SVG; None without an absolute URL


def online(renderer: Renderer, src_uri: str) -> Online:
    """The page's address and QR code. A QR code needs an absolute URL, so it needs mkdocs `site_url`."""
    urls = renderer.urls
    path, url = urls.url(src_uri), urls.absolute(src_uri)
    return Online(url, path, qr_svg(url) if url else None)


def qr_svg(url: str) -> Markup:
    """The URL as an inline SVG QR code (medium error correction survives a scuffed notice board)."""
    code = segno.make(url, error="m", micro=False)
    svg = code.svg_inline(
        scale=1, border=4, omitsize=True, svgclass="gs-qr", lineclass="gs-qr-line", title=f"二维码：{url}"
    )
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))


@dataclass(frozen=True)
class NoticeRow:
    """One line of a notice's table: a field's label and its value as a reader reads it."""

    path: str
    label: str
    value: str | Markup
    ii: str = ""  # the field's Yi version, printed after the Chinese


@functools.cache
def _notice_fields() -> tuple[FieldRow, ...]:
    """The fields on a notice, in the record's order; a group with no one-line wording by its own fields."""
    rows = field_rows(Project, front_matter=False)
    out = []

    def add(prefix: str) -> None:
        for row in rows:
            rest = row.path.removeprefix(prefix)
            if not row.path.startswith(prefix) or "." in rest or not row.on(Surface.NOTICE):
                continue
            if row.inner is not None and not row.is_list and not (has_wording(row.inner) or has_text(row.inner)):
                add(f"{row.path}.")
            else:
                out.append(row)

    add("")
    return tuple(out)


def notice_rows(texts: Texts, project: Project, stage: NoticeStage = "plan") -> list[NoticeRow]:
    """What the 公示 rules ask a stage's notice to show, from the field registry: a field the rules require
    reads 原文件未列明 when the record does not state it; others appear only when stated. The disclosures
    row holds every disclosure printed on this stage's notice, with its kind."""
    out = []
    for row in _notice_fields():
        if not row.on_notice(stage):
            continue
        if row.path == "body":
            value: str | Markup = Markup(render_body(project.body)) if project.body.strip() else ""
        elif row.path == "discrepancies":
            notes = texts.site.notes_for(f"project:{project.id}", stage)
            value = "\n".join(f"〔{n.kind_name}〕{n.message}：{n.note}" for n in notes)
        else:
            value = texts.value(project, row, value_at(project, row.path))
        if value or row.notice == "always":
            ii = yi(project, row.path) if "." not in row.path else ""
            out.append(NoticeRow(row.path, row.spec.label, value or NOT_STATED, ii))
    return out


def period_of(project: Project, stage: str) -> NoticePeriod | None:
    """The stage's notice period as the record states it."""
    return next((n for n in project.notices if n.stage == stage), None)


def notice_stages(project: Project) -> list[NoticeStage]:
    """The stages a project has a printed notice for: the plan always; the others when the record lists
    their notice period or states what they publish (changes, completion accounts, a self-review)."""
    stated = {n.stage for n in project.notices}
    stated |= {"plan"} | ({"change"} if project.changes else set())
    stated |= {"completion"} if project.completion is not None else set()
    stated |= {"review"} if project.review is not None else set()
    return [s for s in STAGES if s in stated]


def project_online(renderer: Renderer, project: Project) -> Online:
    return online(renderer, renderer.urls.project(project))


def notice_pages(renderer: Renderer) -> Iterator[GeneratedPage]:
    """A notice per project and per village named by a record."""
    site, urls = renderer.site, renderer.urls
    qr = {p.id: project_online(renderer, p) for p in site.projects}
    for project in site.projects:
        for stage in notice_stages(project):
            page = renderer.render(
                "notice_project.md.j2",
                urls.project_notice(project, stage),
                project=project,
                plan=site.plan(project.plan),
                sharing=sharing_villages(site, project),
                online=qr[project.id],
                stage=stage,
                period=period_of(project, stage),
            )
            yield GeneratedPage(page.src_uri, FRONT_MATTER + str(page.content))
    for place in site.linked_places:
        if not place.is_village:
            continue
        page = renderer.render(
            "notice_place.md.j2",
            urls.place_notice(place),
            place=place,
            rows=place_projects(site, place),
            qr=qr,
            online=online(renderer, urls.place(place)),
        )
        yield GeneratedPage(page.src_uri, FRONT_MATTER + str(page.content))


def notice_helpers(renderer: Renderer) -> dict:
    texts = Texts(renderer.site, reader=True)
    rows: dict[tuple[str, str], list[NoticeRow]] = {}  # a project is on its own notices and on each village's

    def project_rows(project: Project, stage: NoticeStage = "plan") -> list[NoticeRow]:
        key = (project.id, stage)
        if key not in rows:
            rows[key] = notice_rows(texts, project, stage)
        return rows[key]

    published = [c for c in renderer.site.config.contacts if c.phone]

    return {
        "notice_rows": project_rows,
        "published_contacts": lambda: published,
        "notice_stages": notice_stages,
        "period_of": period_of,
    }


FAMILY = PageFamily("notices", notice_pages, notice_helpers)
