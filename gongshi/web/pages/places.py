"""Township and village pages: what each place gets from the projects that name it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from gongshi.content.model import Plan, Project
from gongshi.content.places import Place
from gongshi.content.site import Site
from gongshi.content.unstated import Total, total
from gongshi.web.family import GeneratedPage, PageFamily
from gongshi.web.render import Renderer


@dataclass(frozen=True)
class PlaceProject:
    """One project as a place sees it: how it concerns the place and with how many villages it is shared."""

    project: Project
    roles: tuple[str, ...]
    sharing: tuple[Place, ...]  # villages the project names as asset holders or beneficiaries


@dataclass(frozen=True)
class TownshipGroup:
    """A township named by a record, with its named villages."""

    township: Place
    villages: tuple[Place, ...]
    own: tuple[PlaceProject, ...]  # projects that name the township itself (as the project site)


def sharing_villages(site: Site, project: Project) -> tuple[Place, ...]:
    """Villages a project names as asset holders (确权) or other beneficiaries, each once, in record order."""
    codes = dict.fromkeys((*project.beneficiaries.asset_villages, *project.beneficiaries.villages))
    return tuple(site.place(code) for code in codes)


def place_projects(site: Site, place: Place) -> tuple[PlaceProject, ...]:
    """The projects that name this place, in record order."""
    return tuple(
        PlaceProject(link.project, link.roles, sharing_villages(site, link.project))
        for link in site.place_links.get(place.code, [])
    )


def linked_investment(rows: tuple[PlaceProject, ...]) -> Total:
    """Total investment of the projects concerning a place (shared with other villages, not the place's share),
    with how many of them state none: show it by `present.total_wan`."""
    return total(row.project.investment for row in rows)


def group_projects(group: TownshipGroup, rows: dict[str, tuple[PlaceProject, ...]]) -> tuple[Project, ...]:
    """Each project that names the township or one of its villages, once, in the order the page meets them."""
    projects: dict[str, Project] = {}
    for row in (*group.own, *(row for village in group.villages for row in rows[village.code])):
        projects.setdefault(row.project.id, row.project)
    return tuple(projects.values())


def township_groups(site: Site) -> tuple[TownshipGroup, ...]:
    """Every township named by a record (itself or through a village), in gazetteer order."""
    groups = []
    for place in site.linked_places:
        if place.is_village:
            continue
        villages = tuple(p for p in site.linked_places if p.is_village and p.township.key == place.code)
        groups.append(TownshipGroup(place, villages, place_projects(site, place)))
    return tuple(groups)


def village_pages(renderer: Renderer) -> Iterator[GeneratedPage]:
    """The villages index and one page per township and village named by a record."""
    site, urls = renderer.site, renderer.urls
    groups = township_groups(site)
    by_township = {g.township.code: g for g in groups}
    rows = {place.code: place_projects(site, place) for place in site.linked_places}
    yield renderer.render("places.md.j2", urls.places, groups=groups, rows=rows)
    for place in site.linked_places:
        group = by_township[place.township.key]
        yield renderer.render(
            "place.md.j2",
            urls.place(place),
            place=place,
            township=group.township,
            rows=rows[place.code],
            villages=() if place.is_village else group.villages,
            all_rows=rows,
            township_projects=() if place.is_village else group_projects(group, rows),
        )


def place_plans(site: Site, projects: list[Project]) -> list[tuple[Plan, list[Project]]]:
    """The projects of a place grouped by plan (year and programme), in the site's order of plans."""
    by_plan: dict[str, list[Project]] = {}
    for project in projects:
        by_plan.setdefault(project.plan, []).append(project)
    return [(plan, by_plan[plan.id]) for plan in site.plans if plan.id in by_plan]


def places_helpers(renderer: Renderer) -> dict:
    return {"place_plans": lambda projects: place_plans(renderer.site, projects)}


FAMILY = PageFamily("places", village_pages, places_helpers)
