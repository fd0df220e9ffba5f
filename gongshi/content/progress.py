"""Progress against the plan: disbursement, stages, stale records, targets and dividends — from the Site model."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from gongshi.content.model import Plan, Progress, Project, Stage, Target
from gongshi.content.site import Site
from gongshi.content.unstated import stated

STAGES: tuple[Stage, ...] = ("立项", "招标", "开工", "完工", "验收", "运营")
NO_UPDATE = "暂无进展更新"
STALE_DAYS = 90


def latest(project: Project) -> Progress | None:
    """The most recent progress report (entries are validated to be in date order)."""
    return project.progress[-1] if project.progress else None


def disbursed(project: Project) -> Decimal | None:
    """Cumulative disbursement in the latest report that states one; None when never reported."""
    for entry in reversed(project.progress):
        if entry.disbursed is not None:
            return entry.disbursed
    return None


@dataclass(frozen=True)
class FundsRow:
    """Planned vs disbursed for one category (or the whole plan)."""

    name: str
    planned: Decimal
    disbursed: Decimal
    projects: int
    reporting: int  # projects whose reports state a disbursed amount

    @property
    def remaining(self) -> Decimal:
        return self.planned - self.disbursed


def disbursement(site: Site, plan: Plan) -> tuple[list[FundsRow], FundsRow]:
    """Disbursed vs planned by category, and the plan's total: the numbers behind the progress table
    (and any chart drawn later). Planned is the sum of the projects' investment; unreported counts as 0."""
    rows = []
    for category in plan.categories:
        rows.append(_row(str(category.name), site.projects_in(plan, category)))
    return rows, _row("合计", site.projects_of_plan(plan))


def _row(name: str, projects: list[Project]) -> FundsRow:
    amounts = [disbursed(p) for p in projects]
    return FundsRow(
        name=name,
        planned=sum((p.investment for p in projects if stated(p.investment)), Decimal(0)),
        disbursed=sum((a for a in amounts if a is not None), Decimal(0)),
        projects=len(projects),
        reporting=sum(a is not None for a in amounts),
    )


def by_stage(projects: list[Project]) -> list[tuple[str, list[Project]]]:
    """Projects grouped by the stage of their latest report, in stage order; the unreported last."""
    groups: dict[str, list[Project]] = {stage: [] for stage in (*STAGES, NO_UPDATE)}
    for project in projects:
        entry = latest(project)
        groups[entry.stage if entry else NO_UPDATE].append(project)
    return [(stage, members) for stage, members in groups.items() if members]


def last_update(site: Site, project: Project) -> dt.date | None:
    """Date of the latest progress report, or the plan's date when nothing was reported since (None when the
    document does not state that date)."""
    entry = latest(project)
    if entry:
        return entry.date
    date = site.plan(project.plan).date
    return date if stated(date) else None


def is_stale(site: Site, project: Project, days: int = STALE_DAYS) -> bool:
    """No progress report in the `days` before the data's last change (never the clock); never claimed when a
    date it needs is not known."""
    since, last = last_update(site, project), site.last_changed
    return since is not None and last is not None and since < last - dt.timedelta(days=days)


def stale(site: Site, days: int = STALE_DAYS) -> list[tuple[Project, dt.date]]:
    """The stale projects with the date of their last update."""
    return [(p, last_update(site, p)) for p in site.projects if is_stale(site, p, days)]


# --- targets ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetStatus:
    code: str  # met, not_yet, missed, overdue, qualitative
    label: str


MET = TargetStatus("met", "已达成")
NOT_YET = TargetStatus("not_yet", "尚未达成")
NOT_REPORTED = TargetStatus("not_yet", "尚未报告实际值")
MISSED = TargetStatus("missed", "未达成")
OVERDUE = TargetStatus("overdue", "期限已过，未报告实际值")
QUALITATIVE = TargetStatus("qualitative", "定性目标，见进展说明")


def meets(target: Target, actual: Decimal) -> bool:
    """Whether an actual value meets the target as the document words it.
    以下 is at most; 余 is more than; 以上, 约 and a bare value are at least (约 read strictly)."""
    assert target.value is not None
    if target.comparator == "以下":
        return actual <= target.value
    if target.comparator == "余":
        return actual > target.value
    return actual >= target.value


def deadline_passed(project: Project) -> bool:
    """True only when a progress report is dated after the deadline: the content itself says time is up."""
    entry = latest(project)
    return stated(project.deadline) and entry is not None and entry.date > project.deadline


def target_status(project: Project, target: Target) -> TargetStatus:
    """Met once the reported actual meets the target; missed only when it does not and a report
    dated after the deadline exists; otherwise not yet."""
    if target.value is None:
        return QUALITATIVE
    if not stated(target.value):
        return NOT_REPORTED if target.actual is None else NOT_YET
    if target.actual is not None and meets(target, target.actual):
        return MET
    if deadline_passed(project):
        return MISSED if target.actual is not None else OVERDUE
    return NOT_YET if target.actual is not None else NOT_REPORTED


# --- dividends ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DividendRow:
    year: int
    promised: Decimal | None
    paid: Decimal
    date: dt.date | None = None
    note: str | None = None

    @property
    def shortfall(self) -> Decimal | None:
        return None if self.promised is None else self.promised - self.paid


def dividend_rows(project: Project) -> list[DividendRow]:
    """Each reported year's dividend against the promised annual amount, by year."""
    promised = project.dividend.annual if project.dividend and stated(project.dividend.annual) else None
    return [
        DividendRow(p.year, promised, p.amount, p.date, p.note)
        for p in sorted(project.dividends_paid, key=lambda p: p.year)
    ]
