"""What the progress, history and download partials need in every template, and their page producers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from gongshi import progress
from gongshi.changes import CHANGES_ROUTE, FEED_URI, changes_pages, field_text
from gongshi.downloads import ALL_JSON_URI, DATA_ROUTE, PACKAGE_URI, XLSX_URI, download_pages, project_json_uri
from gongshi.history import NO_GIT
from gongshi.pages import GeneratedPage, Renderer
from gongshi.photos import photo_pages, photo_uri



def template_globals(renderer: Renderer, site_url: str = "") -> dict[str, Any]:
    """Template functions and routes for the accountability partials; `asset(src_uri, uri)` links a file."""

    def asset(src_uri: str, target: str) -> str:
        return renderer.link_from(src_uri)(target)

    return dict(progress.template_globals(), asset=asset, photo_uri=photo_uri, field_text=field_text,
                changes_route=CHANGES_ROUTE, feed_uri=FEED_URI, data_route=DATA_ROUTE, xlsx_uri=XLSX_URI,
                package_uri=PACKAGE_URI, all_json_uri=ALL_JSON_URI, project_json_uri=project_json_uri,
                no_git=NO_GIT, site_url=(site_url.rstrip("/") + "/") if site_url else "")


def progress_pages(renderer: Renderer) -> Iterator[GeneratedPage]:
    """The plan-level progress page."""
    site = renderer.site
    plans = [(plan, *progress.disbursement(site, plan), progress.by_stage(site.projects_of_plan(plan)))
             for plan in site.plans]
    yield renderer.render("progress.md.j2", progress.PROGRESS_ROUTE, plans=plans, stale=progress.stale(site))


PRODUCERS = (progress_pages, changes_pages, download_pages, photo_pages)
