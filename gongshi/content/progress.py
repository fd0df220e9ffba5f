"""Progress against the plan: disbursement, stages, stale records, targets and dividends — from the Site model.

Every figure here knows where it comes from: progress reports, completion accounts and dividends paid are
reported by the county (`gongshi.content.fields.provenance`); sums, rates and what is left are computed by the
site (`Computed`, `Total`) and say what they cover when only some projects reported."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from gongshi.content.fields import Provenance
from gongshi.content.model import DONE, Plan, Progress, Project, Stage, Target, VillageAmount
from gongshi.content.site import Site
from gongshi.content.unstated import Total, Unstated, stated, total

STAGES: tuple[Stage, ...] = ("立项", "招标", "开工", "完工", "验收", "运营")
NO_UPDATE = "暂无进展更新"
STALE_DAYS = 90


def latest(project: Project) -> Progress | None:
    """The most recent progress report (entries are validated to be in date order)."""
    return project.progress[-1] if project.progress else None


def disbursed(project: Project) -> Decimal | None:
    """Cumulative disbursement in the latest progress report that states one (reported by the county); None when
    no report says. Completion accounts are settlement, not a disbursement report: see `settled_spending`."""
    for entry in reversed(project.progress):
        if entry.disbursed is not None:
            return entry.disbursed
    return None


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
class Computed:
    """A figure the site computed from stated and reported ones (a page labels it “（本站计算）”): its value,
    None when it cannot be computed, and what it covers when it covers only part ("11 个项目中 1 个已报告")."""

    value: Decimal | None
    covers: str = ""
    provenance: ClassVar[Provenance] = "site"


def coverage(reporting: int, projects: int) -> str:
    """What a figure over the reporting projects covers: "" when every project reported."""
    if reporting == projects:
        return ""
    return f"{projects} 个项目中 {reporting} 个已报告"


def remaining(project: Project) -> Computed:
    """未拨付: the investment less the latest reported disbursement, computed only from a progress report and a
    stated investment (never from completion accounts, whose own surplus the document states)."""
    paid = disbursed(project)
    if paid is None or not stated(project.investment):
        return Computed(None)
    return Computed(project.investment - paid)


def rate(paid: Decimal | None, planned: object) -> Computed:
    """Disbursed ÷ planned, percent, one decimal; None when either is not known or planned is 0."""
    if paid is None or not stated(planned) or planned == 0:
        return Computed(None)
    return Computed((paid * 100 / planned).quantize(Decimal("0.1")))


@dataclass(frozen=True)
class FundsRow:
    """Planned vs disbursed for one category (or the whole plan). `planned` is the sum of the projects'
    investment (stated in the document, summed by the site); `disbursed` the sum of what progress reports state
    (reported by the county), over the reporting projects only: a project that reported nothing is not 0."""

    name: str
    planned: Total
    disbursed: Total  # counted: the reporting projects; missing: the others
    planned_reporting: Total  # the investment of the reporting projects: what the rate divides by

    @property
    def projects(self) -> int:
        return self.disbursed.of

    @property
    def reporting(self) -> int:
        """Projects whose progress reports state a disbursed amount."""
        return self.disbursed.counted

    @property
    def covers(self) -> str:
        return coverage(self.reporting, self.projects)

    @property
    def rate(self) -> Computed:
        """Disbursed ÷ planned over the reporting projects, saying how many it covers."""
        if not self.reporting or not self.planned_reporting.complete:
            return Computed(None, self.covers)
        return Computed(rate(self.disbursed.amount, self.planned_reporting.amount).value, self.covers)


def disbursement(site: Site, plan: Plan) -> tuple[list[FundsRow], FundsRow]:
    """Disbursed vs planned by category, and the plan's total: the numbers behind the progress table
    (and any chart drawn later)."""
    rows = []
    for category in plan.categories:
        rows.append(_row(str(category.name), site.projects_in(plan, category)))
    return rows, _row("合计", site.projects_of_plan(plan))


def _row(name: str, projects: list[Project]) -> FundsRow:
    amounts = [disbursed(p) for p in projects]
    return FundsRow(
        name=name,
        planned=total(p.investment for p in projects),
        disbursed=total(amounts),
        planned_reporting=total(p.investment for p, a in zip(projects, amounts, strict=True) if a is not None),
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
    """Planned vs executed money for one project (or a plan's total), and the execution rate (computed)."""

    name: str
    planned: Decimal | Unstated  # a plan's total: UNSTATED unless every project's investment is stated
    executed: Decimal | None  # None: not reported
    source: str  # where the executed amount comes from; for a total, how many projects it covers
    base: Decimal | Unstated | None = None  # what the rate divides by, when not `planned` (the reporting projects)
    covers: str = ""  # a total over only the projects that reported: "11 个项目中 1 个已报告"; "" when all did

    @property
    def rate(self) -> Decimal | None:
        """Execution rate, percent, one decimal: executed ÷ planned (of the projects that reported)."""
        return rate(self.executed, self.planned if self.base is None else self.base).value


def executed(project: Project) -> tuple[Decimal | None, str]:
    """The self-review's executed amount, else the cumulative disbursement, else what the completion accounts
    spent, and which one it is (each reported by the county, and named so)."""
    if project.review and project.review.disbursed is not None:
        return project.review.disbursed, "自评表执行数"
    if (paid := disbursed(project)) is not None:
        return paid, "进展报告累计拨付"
    spent = settled_spending(project)
    return spent, ("结算金额＋管理费" if spent is not None else "未报告")


def review_row(project: Project) -> ReviewRow:
    amount, source = executed(project)
    return ReviewRow(project.title, project.investment, amount, source)


def plan_review(site: Site, plan: Plan) -> tuple[list[tuple[Project, ReviewRow]], ReviewRow]:
    """Each project's row and the plan's total: executed over the projects that reported (never 0 for the
    others), its rate over their planned money, and how many projects it covers."""
    rows = [(p, review_row(p)) for p in site.projects_of_plan(plan)]
    reported = [r for _, r in rows if r.executed is not None]
    summed = total(r.executed for r in reported)
    covers = coverage(len(reported), len(rows))
    return rows, ReviewRow(
        "合计",
        total(r.planned for _, r in rows).value,
        summed.amount if reported else None,
        "已报告的项目相加" if covers else "全部项目已报告",
        total(r.planned for r in reported).value,
        covers,
    )
