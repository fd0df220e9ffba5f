"""Home, project list, plans, categories, one page per project, and the responsible units."""

from __future__ import annotations

from collections.abc import Iterator

from gongshi.web.family import GeneratedPage, PageFamily
from gongshi.web.render import Renderer


def core_pages(renderer: Renderer) -> Iterator[GeneratedPage]:
    """Home, plans, categories, projects and units."""
    site, urls = renderer.site, renderer.urls
    yield renderer.render("home.md.j2", urls.home)
    yield renderer.render("projects.md.j2", urls.projects, projects=site.projects)
    for plan in site.plans:
        yield renderer.render("plan.md.j2", urls.plan(plan), plan=plan)
        for category in plan.categories:
            yield renderer.render(
                "category.md.j2",
                urls.category(plan, category),
                plan=plan,
                category=category,
                projects=site.projects_in(plan, category),
            )
    for project in site.projects:
        yield renderer.render(
            "project.md.j2",
            urls.project(project),
            project=project,
            plan=site.plan(project.plan),
            category=site.category(project),
        )
    yield renderer.render("units.md.j2", urls.units)
    for unit in site.used_units:
        yield renderer.render("unit.md.j2", urls.unit(unit), unit=unit, projects=site.projects_of_unit(unit))


FAMILY = PageFamily("core", core_pages)
