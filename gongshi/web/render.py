"""Render the generated pages (Markdown with HTML blocks) from the Jinja2 templates in templates/pages/."""

from __future__ import annotations

import functools
import posixpath
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from gongshi.content.model import Category, Plan, Project, Unit
from gongshi.content.places import Place
from gongshi.content.site import Site
from gongshi.web.body import render_body
from gongshi.web.chart_assets import SCRIPTS as CHART_SCRIPTS
from gongshi.web.charts import plan_charts, script_json
from gongshi.web.present import FILTERS, share, shares


def sum_investment(projects: list[Project]) -> Decimal:
    return sum((p.investment for p in projects), Decimal(0))


@dataclass(frozen=True)
class GeneratedPage:
    """One file to add to the build: a Markdown page (src_uri ends in .md) or an asset (text or bytes)."""

    src_uri: str
    content: str | bytes


class Routes:
    """Where each kind of page lives (its src_uri); the one place that knows the site's addresses."""

    home = "index.md"
    projects = "projects/index.md"
    units = "units/index.md"
    places = "places/index.md"
    funds = "funds/index.md"  # the first plan's funds page (资金构成)

    @staticmethod
    def plan_funds(plan: Plan) -> str:
        """The funds page of a plan other than the first."""
        return f"plans/{plan.id}/funds.md"

    guide_fields = "guide/fields.md"
    guide_index = "guide/index.md"
    village_map = "places/map.md"

    @staticmethod
    def project(project: Project) -> str:
        return f"projects/{project.id}.md"

    @staticmethod
    def plan(plan: Plan) -> str:
        return f"plans/{plan.id}/index.md"

    @staticmethod
    def category(plan: Plan, category: Category) -> str:
        return f"plans/{plan.id}/{category.id}.md"

    @staticmethod
    def unit(unit: Unit) -> str:
        return f"units/{unit.id}.md"

    @staticmethod
    def place(place: Place) -> str:
        return f"places/{place.code}.md"

    @staticmethod
    def project_notice(project: Project) -> str:
        return f"notices/projects/{project.id}.md"

    @staticmethod
    def place_notice(place: Place) -> str:
        return f"notices/places/{place.code}.md"


@functools.cache
def page_url(src_uri: str, use_directory_urls: bool) -> str:
    """The URL MkDocs gives a page, relative to the site root ('projects/x/' or 'projects/x.html')."""
    stem, _ = posixpath.splitext(src_uri)
    if posixpath.basename(stem) == "index":
        folder = posixpath.dirname(stem)
        if not use_directory_urls:
            return f"{stem}.html"
        return f"{folder}/" if folder else ""
    return f"{stem}/" if use_directory_urls else f"{stem}.html"


def _relpath(path: str, start: str) -> str:
    """posixpath.relpath for the site's normalized relative paths, without its getcwd() per call."""
    to = [part for part in path.split("/") if part]
    here = [part for part in start.split("/") if part]
    common = 0
    while common < min(len(to), len(here)) and to[common] == here[common]:
        common += 1
    return "/".join([".."] * (len(here) - common) + to[common:]) or "."


class Renderer:
    """Renders templates with the site model, the routes and relative links."""

    def __init__(self, site: Site, templates_dir: Path, use_directory_urls: bool = True, site_url: str = ""):
        self.site = site
        self.use_directory_urls = use_directory_urls
        self.site_url = site_url  # mkdocs `site_url`; empty when the site's address is not configured
        self.env = Environment(
            loader=FileSystemLoader(str(templates_dir / "pages")),
            auto_reload=False,  # a new Renderer is made for every (re)build; no stat() per page
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.filters.update(FILTERS)
        self.env.globals.update(
            site=site,
            routes=Routes,
            shares=shares,
            share=share,
            sum_investment=sum_investment,
            body_html=lambda p: Markup(render_body(p.body)),
        )
        self.env.globals.update(
            plan_charts=lambda plan: plan_charts(site, plan),
            chart_scripts=CHART_SCRIPTS,
            chart_json=lambda chart, name: Markup(script_json(chart, name)),
        )
        self.env.tests.update(contains=lambda seq, item: item in seq, longer_than=lambda seq, n: len(seq) > n)

    def link_from(self, src_uri: str) -> Callable[[str], str]:
        """A function giving the relative URL from the page at src_uri to another page."""
        here = page_url(src_uri, self.use_directory_urls)
        base = here[:-1] if here.endswith("/") else posixpath.dirname(here)

        def link(target: str, anchor: str = "") -> str:
            # A page (.md) links to its URL; any other file (feed.xml, data/…csv) to itself.
            url = page_url(target, self.use_directory_urls) if target.endswith(".md") else target
            rel = _relpath(url, base)
            if url.endswith("/") or not url:
                rel = "./" if rel == "." else rel + "/"
            return rel + (f"#{anchor}" if anchor else "")

        return link

    def render(self, template: str, src_uri: str, **context: Any) -> GeneratedPage:
        text = self.env.get_template(template).render(link=self.link_from(src_uri), src_uri=src_uri, **context)
        return GeneratedPage(src_uri, text)


def core_pages(renderer: Renderer) -> Iterator[GeneratedPage]:
    """Home, plans, categories, projects and units (places: gongshi/villages.py)."""
    site = renderer.site
    yield renderer.render("home.md.j2", Routes.home)
    yield renderer.render("projects.md.j2", Routes.projects, projects=site.projects)
    for plan in site.plans:
        yield renderer.render("plan.md.j2", Routes.plan(plan), plan=plan)
        for category in plan.categories:
            yield renderer.render(
                "category.md.j2",
                Routes.category(plan, category),
                plan=plan,
                category=category,
                projects=site.projects_in(plan, category),
            )
    for project in site.projects:
        yield renderer.render(
            "project.md.j2",
            Routes.project(project),
            project=project,
            plan=site.plan(project.plan),
            category=site.category(project),
        )
    yield renderer.render("units.md.j2", Routes.units)
    for unit in site.used_units:
        yield renderer.render("unit.md.j2", Routes.unit(unit), unit=unit, projects=site.projects_of_unit(unit))
