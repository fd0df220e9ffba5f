"""The plan-level progress page, and what the progress partials call in every template."""

from __future__ import annotations

from collections.abc import Iterator

from gongshi.content import progress
from gongshi.content.fields import PROVENANCE_LABELS, provenance
from gongshi.content.model import Project
from gongshi.content.progress import (
    NO_UPDATE,
    STALE_DAYS,
    disbursed,
    dividend_rows,
    is_stale,
    last_update,
    latest,
    remaining,
    target_status,
)
from gongshi.web.family import GeneratedPage, PageFamily
from gongshi.web.render import Renderer


def progress_helpers(renderer: Renderer) -> dict:
    """What the progress partials call."""
    return dict(
        latest_progress=latest,
        disbursed=disbursed,
        is_stale=is_stale,
        last_update=last_update,
        target_status=target_status,
        remaining=remaining,
        COMPUTED=PROVENANCE_LABELS["site"],
        provenance_label=provenance_label,
        dividend_rows=dividend_rows,
        STALE_DAYS=STALE_DAYS,
        NO_UPDATE=NO_UPDATE,
    )


def provenance_label(path: str) -> str:
    """Where a project field's value comes from, as a page says it: 原文件, 县里报告 (see fields.provenance)."""
    source = provenance(Project, path)
    return PROVENANCE_LABELS[source] if source else ""


def progress_pages(renderer: Renderer) -> Iterator[GeneratedPage]:
    """The plan-level progress page."""
    site = renderer.site
    plans = [
        (plan, *progress.disbursement(site, plan), progress.by_stage(site.projects_of_plan(plan)))
        for plan in site.plans
    ]
    yield renderer.render("progress.md.j2", renderer.urls.progress, plans=plans, stale=progress.stale(site))


FAMILY = PageFamily("progress", progress_pages, progress_helpers)
