"""Printable notices (公示单) for village boards: one A4 sheet per project and per village, with a QR code
that leads to the project's page online."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import segno
from markupsafe import Markup

from gongshi.content.model import Project
from gongshi.web.family import GeneratedPage, PageFamily
from gongshi.web.pages.places import place_projects, sharing_villages
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


def project_online(renderer: Renderer, project: Project) -> Online:
    return online(renderer, renderer.urls.project(project))


def notice_pages(renderer: Renderer) -> Iterator[GeneratedPage]:
    """A notice per project and per village named by a record."""
    site, urls = renderer.site, renderer.urls
    qr = {p.id: project_online(renderer, p) for p in site.projects}
    for project in site.projects:
        page = renderer.render(
            "notice_project.md.j2",
            urls.project_notice(project),
            project=project,
            plan=site.plan(project.plan),
            sharing=sharing_villages(site, project),
            online=qr[project.id],
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


FAMILY = PageFamily("notices", notice_pages)
