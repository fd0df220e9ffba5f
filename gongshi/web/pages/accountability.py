"""What the progress, history and download partials need in every template, and their page producers."""

from __future__ import annotations

from typing import Any

from gongshi.content.history import NO_GIT
from gongshi.web.pages import progress
from gongshi.web.pages.changes import CHANGES_ROUTE, FEED_URI, changes_pages, field_text
from gongshi.web.pages.downloads import (
    ALL_JSON_URI,
    DATA_ROUTE,
    PACKAGE_URI,
    XLSX_URI,
    download_pages,
    project_json_uri,
)
from gongshi.web.pages.photos import photo_pages, photo_uri
from gongshi.web.pages.progress import progress_pages
from gongshi.web.render import Renderer


def template_globals(renderer: Renderer, site_url: str = "") -> dict[str, Any]:
    """Template functions and routes for the accountability partials; `asset(src_uri, uri)` links a file."""

    def asset(src_uri: str, target: str) -> str:
        return renderer.link_from(src_uri)(target)

    return dict(
        progress.template_globals(),
        asset=asset,
        photo_uri=photo_uri,
        field_text=field_text,
        changes_route=CHANGES_ROUTE,
        feed_uri=FEED_URI,
        data_route=DATA_ROUTE,
        xlsx_uri=XLSX_URI,
        package_uri=PACKAGE_URI,
        all_json_uri=ALL_JSON_URI,
        project_json_uri=project_json_uri,
        no_git=NO_GIT,
        site_url=(site_url.rstrip("/") + "/") if site_url else "",
    )


PRODUCERS = (progress_pages, changes_pages, download_pages, photo_pages)
