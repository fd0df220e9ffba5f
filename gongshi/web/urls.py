"""The address book: where every page, download, notice and asset of the site lives, and links between them.

Every address is a source path in the built site: a page ends in `.md` (MkDocs turns `projects/x.md` into
`projects/x/`), anything else (a CSV, the feed, a photo) is a file served as it is. Code and templates ask
this module for addresses and never write one themselves, so a page family can move by changing one line.
Links are always relative, so the site works unchanged under any sub-path of another site.
"""

from __future__ import annotations

import functools
import posixpath
from collections.abc import Callable

from gongshi.content.model import Category, Plan, Project, Unit
from gongshi.content.places import Place
from gongshi.content.site import Site

DATA = "data"
ASSETS = "assets/gongshi"  # scripts the site itself serves (charts)


class Urls:
    """Every address of one site. Pages are `.md` source paths; files keep their own names."""

    # Index pages (the navigation in mkdocs.yml lists these).
    home = "index.md"
    projects = "projects/index.md"
    units = "units/index.md"
    places = "places/index.md"
    village_map = "places/map.md"
    progress = "progress/index.md"
    changes = "changes/index.md"
    data = "data/index.md"
    guide = "guide/index.md"
    guide_fields = "guide/fields.md"
    report = "report.md"
    about = "about.md"

    # Files.
    feed = "feed.xml"
    xlsx = f"{DATA}/gongshi.xlsx"
    datapackage = f"{DATA}/datapackage.json"
    all_json = f"{DATA}/projects.json"

    def __init__(self, site: Site, use_directory_urls: bool = True, site_url: str = ""):
        self.site = site
        self.use_directory_urls = use_directory_urls
        self.site_url = (site_url.rstrip("/") + "/") if site_url else ""  # mkdocs `site_url`; may be empty

    # --- pages of the site model -------------------------------------------------------------

    @staticmethod
    def project(project: Project) -> str:
        return f"projects/{project.id}.md"

    @staticmethod
    def plan(plan: Plan) -> str:
        return f"plans/{plan.id}/index.md"

    @staticmethod
    def category(plan: Plan, category: Category) -> str:
        return f"plans/{plan.id}/{category.id}.md"

    def funds(self, plan: Plan | None = None) -> str:
        """The funds page (资金构成) of a plan: the first plan's at funds/, the others' beside their plan."""
        if plan is None or plan.id == self.site.plans[0].id:
            return "funds/index.md"
        return f"plans/{plan.id}/funds.md"

    @staticmethod
    def unit(unit: Unit) -> str:
        return f"units/{unit.id}.md"

    @staticmethod
    def place(place: Place) -> str:
        return f"places/{place.code}.md"

    @staticmethod
    def project_notice(project: Project, stage: str = "plan") -> str:
        """A project's printed notice of a stage: the plan notice at notices/projects/<id>/, the others below it."""
        if stage == "plan":
            return f"notices/projects/{project.id}.md"
        return f"notices/projects/{project.id}/{stage}.md"

    @staticmethod
    def plan_review(plan: Plan) -> str:
        """The plan's year-end performance self-review (绩效自评表) on the site."""
        return f"plans/{plan.id}/review.md"

    @staticmethod
    def plan_review_notice(plan: Plan) -> str:
        """The same self-review, printable."""
        return f"notices/plans/{plan.id}/review.md"

    @staticmethod
    def place_notice(place: Place) -> str:
        return f"notices/places/{place.code}.md"

    # --- files -------------------------------------------------------------------------------

    @staticmethod
    def project_json(project: Project) -> str:
        """The record's JSON beside its page (projects/<id>.json)."""
        return f"projects/{project.id}.json"

    @staticmethod
    def photo(project: Project, name: str) -> str:
        """A progress photo as published: beside the project's page, always JPEG."""
        stem = name if name.lower().endswith((".jpg", ".jpeg")) else f"{name}.jpg"
        return f"projects/{project.id}/photos/{stem}"

    # --- what villages pass on: text message, loudspeaker script, share image, large print, feed ---------

    @staticmethod
    def project_simple(project: Project) -> str:
        """The simplified reading view of a project page (简读版)."""
        return f"projects/{project.id}/simple.md"

    @staticmethod
    def project_channel(project: Project, name: str) -> str:
        """A file for a village channel beside the project's page: sms.txt, broadcast.txt, share.png."""
        return f"projects/{project.id}/{name}"

    @staticmethod
    def place_channel(place: Place, name: str) -> str:
        """The same files beside a village's page."""
        return f"places/{place.code}/{name}"

    @staticmethod
    def project_feed(project: Project) -> str:
        """The project's Atom feed: progress, approved changes, notices, record changes."""
        return f"projects/{project.id}/feed.xml"

    @staticmethod
    def place_feed(place: Place) -> str:
        return f"places/{place.code}/feed.xml"

    @staticmethod
    def project_notice_a3(project: Project) -> str:
        """The project's large-print notice for an A3 sheet."""
        return f"notices/projects/{project.id}/a3.md"

    @staticmethod
    def place_notice_a3(place: Place) -> str:
        return f"notices/places/{place.code}/a3.md"

    yi_font = f"{ASSETS}/fonts/gongshi-yi.woff"
    """The Yi font, subset to the characters the site uses (templates/overrides/stylesheets/reach.css)."""

    @staticmethod
    def table_csv(name: str) -> str:
        return f"{DATA}/{name}.csv"

    @staticmethod
    def schema(name: str) -> str:
        return f"schema/{name}"

    @staticmethod
    def asset(name: str) -> str:
        return f"{ASSETS}/{name}"

    # --- turning addresses into links --------------------------------------------------------

    def url(self, target: str) -> str:
        """The address relative to the site's root: 'projects/x/' for a page, the path itself for a file."""
        return page_url(target, self.use_directory_urls) if target.endswith(".md") else target

    def absolute(self, target: str) -> str:
        """The full address on the web, or '' when mkdocs `site_url` is not set."""
        return self.site_url + self.url(target) if self.site_url else ""

    def link_from(self, src_uri: str) -> Callable[..., str]:
        """A function giving the relative link from the page at src_uri to another page or file."""
        here = page_url(src_uri, self.use_directory_urls)
        base = here[:-1] if here.endswith("/") else posixpath.dirname(here)

        def link(target: str, anchor: str = "") -> str:
            url = self.url(target)
            rel = _relpath(url, base)
            if url.endswith("/") or not url:
                rel = "./" if rel == "." else rel + "/"
            return rel + (f"#{anchor}" if anchor else "")

        return link


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
