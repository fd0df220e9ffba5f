"""Progress against the plan: disbursement, stages, stale records, targets and dividends — from the Site model."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from gongshi.content.model import DONE, Plan, Progress, Project, Stage, Target, VillageAmount
from gongshi.content.site import Site
from gongshi.content.unstated import stated

STAGES: tuple[Stage, ...] = ("立项", "招标", "开工", "完工", "验收", "运营")
NO_UPDATE = "暂无进展更新"
STALE_DAYS = 90


def latest(project: Project) -> Progress | None:
    """The most recent progress report (entries are validated to be in date order)."""
    return project.progress[-1] if project.progress else None


def disbursed(project: Project) -> Decimal | None:
    """Cumulative disbursement in the latest report that states one; for a completed project that reported
    none, what its completion accounts spent (settled + management fee); None when nothing says."""
    for entry in reversed(project.progress):
        if entry.disbursed is not None:
            return entry.disbursed
    return settled_spending(project)


def settled_spending(project: Project) -> Decimal | None:
    """What the completion accounts spent: the settled amount plus the management fee (None without them)."""
    done = project.completion
    if done is None or done.settled is None:
        return None
    return done.settled + (done.management_fee or Decimal(0))


def is_finished(project: Project) -> bool:
    """Construction is over: the status says so or the record carries completion accounts."""
    return project.status in (*DONE, "已终止") or project.completion is not None


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
        groups[current_stage(project) or NO_UPDATE].append(project)
    return [(stage, members) for stage, members in groups.items() if members]


def current_stage(project: Project) -> Stage | None:
    """The stage of the latest progress report; for a project with completion accounts and no later report,
    完工 or 验收 as its completion says; None when nothing was reported."""
    entry = latest(project)
    done = project.completion
    if done is not None:
        finished = done.accepted or done.completed
        if entry is None or (finished is not None and finished > entry.date):
            return "验收" if done.accepted else "完工"
    return entry.stage if entry else None


def last_update(site: Site, project: Project) -> dt.date | None:
    """Date of the latest progress report, or the plan's date when nothing was reported since (None when the
    document does not state that date)."""
    entry = latest(project)
    if entry:
        return entry.date
    date = site.plan(project.plan).date
    return date if stated(date) else None


def is_stale(site: Site, project: Project, days: int = STALE_DAYS) -> bool:
    """No progress report in the `days` before the data's last change (never the clock); a finished project
    has nothing left to report and is never stale; never claimed when a date it needs is not known."""
    if is_finished(project):
        return False
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
QUALITATIVE = TargetStatus("qualitative", "定性目标，尚未报告完成情况")
REPORTED = TargetStatus("reported", "已报告完成情况")
NO_TARGET = TargetStatus("reported", "原文件未列明目标值，已报告实际值")


def meets(target: Target, actual: Decimal) -> bool:
    """Whether an actual value meets the target as the document words it.
    以下 and ≤ are at most; 余 is more than; = is exactly; 以上, ≥, 约 and a bare value are at least (约 read
    strictly)."""
    assert target.value is not None
    if target.comparator in ("以下", "≤"):
        return actual <= target.value
    if target.comparator == "余":
        return actual > target.value
    if target.comparator == "=":
        return actual == target.value
    return actual >= target.value


def deadline_passed(project: Project) -> bool:
    """True only when a report is dated after the deadline (a progress report, the completion's acceptance, the
    self-review): the content itself says time is up."""
    if project.deadline is None:
        return False
    entry = latest(project)
    if not stated(project.deadline):
        return False
    dates = [entry.date] if entry else []
    if project.completion:
        dates += [d for d in (project.completion.completed, project.completion.accepted) if d]
    if project.review and project.review.date:
        dates.append(project.review.date)
    return any(d > project.deadline for d in dates)


def target_status(project: Project, target: Target) -> TargetStatus:
    """Met once the reported actual meets the target; missed only when it does not and a report
    dated after the deadline exists; otherwise not yet."""
    if target.value is None:
        if target.actual is not None:
            return NO_TARGET
        return REPORTED if target.result else QUALITATIVE
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
    villages: tuple[VillageAmount, ...] = ()

    @property
    def shortfall(self) -> Decimal | None:
        return None if self.promised is None else self.promised - self.paid


def dividend_rows(project: Project) -> list[DividendRow]:
    """Each reported year's dividend against the promised annual amount, by year: the dividend's, or a shared
    income commitment's minimum (a per-village minimum has no total: see each village's ledger)."""
    promised = project.dividend.annual if project.dividend and stated(project.dividend.annual) else None
    commitment = project.income_commitment
    if promised is None and commitment is not None and commitment.per == "shared":
        promised = commitment.minimum_per_year
    return [
        DividendRow(p.year, promised, p.amount, p.date, p.note, p.villages)
        for p in sorted(project.dividends_paid, key=lambda p: p.year)
    ]


# --- the year-end performance self-review (绩效自评表) -------------------------------------------------------


@dataclass(frozen=True)
class ReviewRow:
    """Planned vs executed money for one project (or a plan's total), and the execution rate."""

    name: str
    planned: Decimal
    executed: Decimal | None  # None: not reported
    source: str  # where the executed amount comes from

    @property
    def rate(self) -> Decimal | None:
        """Execution rate, percent, one decimal: executed ÷ planned."""
        if self.executed is None or self.planned == 0:
            return None
        return (self.executed * 100 / self.planned).quantize(Decimal("0.1"))


def executed(project: Project) -> tuple[Decimal | None, str]:
    """The self-review's executed amount, else the cumulative disbursement, and which one it is."""
    if project.review and project.review.disbursed is not None:
        return project.review.disbursed, "自评表执行数"
    if any(e.disbursed is not None for e in project.progress):
        return disbursed(project), "进展报告累计拨付"
    spent = settled_spending(project)
    return spent, ("结算金额＋管理费" if spent is not None else "未报告")


def review_row(project: Project) -> ReviewRow:
    amount, source = executed(project)
    return ReviewRow(project.title, project.investment, amount, source)


def plan_review(site: Site, plan: Plan) -> tuple[list[tuple[Project, ReviewRow]], ReviewRow]:
    """Each project's row and the plan's total (projects that reported nothing count as unreported, not 0)."""
    rows = [(p, review_row(p)) for p in site.projects_of_plan(plan)]
    reported = [r.executed for _, r in rows if r.executed is not None]
    total = ReviewRow(
        "合计",
        sum((r.planned for _, r in rows), Decimal(0)),
        sum(reported, Decimal(0)) if reported else None,
        f"{len(reported)} 个项目已报告" if len(reported) < len(rows) else "全部项目已报告",
    )
    return rows, total
