"""A project's life under the 公示 rules, as pages: notice periods (and the script that tells a visitor
whether one is running), approved changes, completion accounts, the year-end performance self-review
(绩效自评表) per project and per plan, and each village's ledger of what it is due and was paid."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from pydantic import BaseModel

from gongshi.content.fields import path_label
from gongshi.content.model import (
    DISCLOSURE_KINDS,
    MIN_NOTICE_DAYS,
    NOTICE_STAGES,
    Change,
    NoticePeriod,
    Plan,
    Project,
)
from gongshi.content.places import Place
from gongshi.content.progress import plan_review, review_row
from gongshi.content.site import Site
from gongshi.content.unstated import Total, total
from gongshi.content.values import changed_value
from gongshi.web.family import GeneratedPage, PageFamily
from gongshi.web.pages.notices import FRONT_MATTER
from gongshi.web.render import Renderer

SCRIPT = Path(__file__).resolve().parent.parent / "assets" / "notice-period.js"


def period_days(period: NoticePeriod) -> int:
    """A notice period's length, first and last day included."""
    return (period.end - period.start).days + 1


def change_label(record: BaseModel, path: str) -> str:
    return path_label(type(record), path)


def change_value(record: BaseModel, path: str, value: str | None) -> str:
    return changed_value(type(record), path, value)


def has_review(site: Site, plan: Plan) -> bool:
    """A plan has a self-review page once it, or one of its projects, states a self-review."""
    return plan.review is not None or any(p.review for p in site.projects_of_plan(plan))


@dataclass(frozen=True)
class ChangeRow:
    """An approved change with the record it belongs to (the project, or the plan itself)."""

    record: Plan | Project
    change: Change
    project: Project | None = None


def project_changes(project: Project) -> list[ChangeRow]:
    return [ChangeRow(project, c, project) for c in project.changes]


def plan_changes(site: Site, plan: Plan) -> list[ChangeRow]:
    """The plan's own changes and its projects', by date."""
    rows = [ChangeRow(plan, c) for c in plan.changes]
    rows += [row for p in site.projects_of_plan(plan) for row in project_changes(p)]
    return sorted(rows, key=lambda row: row.change.date)


def sum_amounts(items: tuple) -> Total:
    """The line items' amounts added up, with how many state none (show by `total_wan`)."""
    return total(item.amount for item in items)


@dataclass(frozen=True)
class LedgerRow:
    """What one village is due from one project in a year, and what it was paid (None: not reported by village)."""

    project: Project
    what: str  # 保底分红 or 保底收益
    year: int | None  # None: no payment reported yet
    due: Decimal
    paid: Decimal | None


def village_due(project: Project, code: str) -> tuple[str, Decimal] | None:
    """The yearly amount the record states one village is due, and from what; None when it does not say."""
    if project.dividend:
        for share in project.dividend.shares:
            if share.village == code:
                return project.dividend.kind, share.amount
    commitment = project.income_commitment
    if commitment:
        for share in commitment.shares:
            if share.village == code:
                return "保底收益", share.amount
        if commitment.per == "village" and code in project.beneficiaries.asset_villages:
            return "保底收益（每村不低于）", commitment.minimum_per_year
    return None


def ledger(site: Site, place: Place) -> list[LedgerRow]:
    """The village's ledger: for each project that states the village's share, each reported year's due and paid."""
    rows = []
    for link in site.place_links.get(place.code, []):
        due = village_due(link.project, place.code)
        if due is None:
            continue
        what, amount = due
        payments = sorted(link.project.dividends_paid, key=lambda p: p.year)
        if not payments:
            rows.append(LedgerRow(link.project, what, None, amount, None))
        for payment in payments:
            paid = next((v.amount for v in payment.villages if v.village == place.code), None)
            rows.append(LedgerRow(link.project, what, payment.year, amount, paid))
    return rows


def lifecycle_pages(renderer: Renderer) -> Iterator[GeneratedPage]:
    """Each plan's self-review, on the site and printable, and the notice-period script."""
    site, urls = renderer.site, renderer.urls
    for plan in site.plans:
        if not has_review(site, plan):
            continue
        rows, total = plan_review(site, plan)
        context = {"plan": plan, "rows": rows, "total": total}
        yield renderer.render("plan_review.md.j2", urls.plan_review(plan), printable=False, **context)
        page = renderer.render("plan_review.md.j2", urls.plan_review_notice(plan), printable=True, **context)
        yield GeneratedPage(page.src_uri, FRONT_MATTER + str(page.content))
    yield GeneratedPage(urls.asset(SCRIPT.name), SCRIPT.read_bytes())


def lifecycle_helpers(renderer: Renderer) -> dict:
    site = renderer.site
    return {
        "NOTICE_STAGES": NOTICE_STAGES,
        "DISCLOSURE_KINDS": DISCLOSURE_KINDS,
        "MIN_NOTICE_DAYS": MIN_NOTICE_DAYS,
        "period_days": period_days,
        "change_label": change_label,
        "change_value": change_value,
        "review_row": review_row,
        "has_review": lambda plan: has_review(site, plan),
        "village_ledger": lambda place: ledger(site, place),
        "project_changes": project_changes,
        "plan_changes": lambda plan: plan_changes(site, plan),
        "sum_amounts": sum_amounts,
        "noted_ids": lambda plan: [p.id for p in site.projects_of_plan(plan) if site.notes_for(f"project:{p.id}")],
        "period_script": renderer.urls.asset(SCRIPT.name),
    }


FAMILY = PageFamily("lifecycle", lifecycle_pages, lifecycle_helpers)
