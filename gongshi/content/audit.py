"""Check that the money adds up: projects, categories, plan totals, sources and dividends."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from gongshi.content.model import Discrepancy, Plan, Project
from gongshi.content.read import Document, dotted
from gongshi.content.site import AuditNote
from gongshi.content.unstated import NOT_STATED, stated
from gongshi.errors import ContentError
from gongshi.money import plain

ZERO = Decimal(0)


@dataclass
class AuditResult:
    errors: list[ContentError] = field(default_factory=list)
    notes: list[AuditNote] = field(default_factory=list)
    skipped: list[AuditNote] = field(default_factory=list)  # checks not made: a value they need is not stated


def total(values: Iterable[Any]) -> Decimal | None:
    """The sum of amounts, or None when one of them is 原文件未列明 (then no check can use it)."""
    out = ZERO
    for value in values:
        if not stated(value):
            return None
        out += value
    return out


def missing(**operands: Any) -> list[str]:
    """The labels of the operands a check needs that are not stated (a sum that could not be made is None)."""
    return [name for name, value in operands.items() if not stated(value)]


@dataclass
class _Checker:
    """Records each failed check as an error, or as a public note where a discrepancy explains it."""

    result: AuditResult

    def check(
        self,
        ok: bool,
        *,
        scope: str,
        check: str,
        disclosed: tuple[Discrepancy, ...],
        doc: Document,
        path: tuple,
        zh: str,
        en: str,
        found: str,
        expected: str,
        unstated: list[str] | None = None,
        about: str = "",
    ) -> None:
        if unstated:
            reason = f"{NOT_STATED}：{'、'.join(unstated)}"
            self.result.skipped.append(AuditNote(scope, check, about or zh, reason))
            return
        if ok:
            return
        explained = next((d for d in disclosed if d.check == check), None)
        if explained:
            self.result.notes.append(AuditNote(scope, check, zh, explained.note))
            return
        hint = (
            f"核对原文件；如果原文件确实不一致，请在这条记录的 discrepancies 中加一项 check: {check}，"
            "并写明原因 note，网站会公开显示这条说明。"
        )
        self.result.errors.append(
            ContentError(doc.file, doc.line_of(path), dotted(path), zh, en, found, expected, hint)
        )


def audit(
    plans: list[tuple[Plan, Document]], projects: list[tuple[Project, Document]], complete: bool = True
) -> AuditResult:
    """Run every check; mismatches without a `discrepancies` entry are errors.
    Plan totals are checked only when every record loaded (`complete`): a missing record would
    otherwise show up again as a wrong total."""
    result = AuditResult()
    checker = _Checker(result)
    for project, doc in projects:
        _audit_project(checker, project, doc)
    if not complete:
        return result
    for plan, doc in plans:
        members = [(p, d) for p, d in projects if p.plan == plan.id]
        _audit_plan(checker, plan, doc, members)
    return result


def _audit_project(c: _Checker, project: Project, doc: Document) -> None:
    scope = f"project:{project.id}"
    funded = total(f.amount for f in project.funding) if stated(project.funding) else None
    lack = missing(规划投资=project.investment, 资金来源=project.funding, 各来源金额=funded)
    c.check(
        not lack and funded == project.investment,
        scope=scope,
        check="funding",
        disclosed=project.discrepancies,
        doc=doc,
        path=("funding",),
        zh="资金来源合计不等于投资额",
        en="funding sources do not sum to the investment",
        found="" if lack else f"{plain(funded)} 万元",
        expected="" if lack else f"{plain(project.investment)} 万元",
        unstated=[x for x in lack if x != "各来源金额" or "资金来源" not in lack],
        about="资金来源合计等于规划投资",
    )
    dividend = project.dividend
    if dividend:
        lack = missing(规划投资=project.investment, 分红比例=dividend.rate_percent, 每年分红=dividend.annual)
        expected = None if lack else project.investment * dividend.rate_percent / 100
        c.check(
            not lack and expected == dividend.annual,
            scope=scope,
            check="dividend",
            disclosed=project.discrepancies,
            doc=doc,
            path=("dividend", "annual"),
            zh="分红金额不等于 投资额 × 比例",
            en="dividend is not investment × rate",
            found="" if lack else f"{plain(dividend.annual)} 万元",
            expected=""
            if lack
            else f"{plain(project.investment)} × {plain(dividend.rate_percent)}% = {plain(expected)} 万元",
            unstated=lack,
            about="每年分红等于规划投资乘以分红比例",
        )


def _audit_plan(c: _Checker, plan: Plan, doc: Document, members: list[tuple[Project, Document]]) -> None:
    scope = f"plan:{plan.id}"
    numbers = Counter(p.number for p, _ in members if stated(p.number))
    for project, pdoc in members:
        c.check(
            not stated(project.number) or numbers[project.number] == 1,
            scope=f"project:{project.id}",
            check="number",
            disclosed=project.discrepancies,
            doc=pdoc,
            path=("number",),
            zh="序号与同一计划中的其他项目重复",
            en="number is used by another project of the same plan",
            found=str(project.number),
            expected="每个项目不同的序号",
            unstated=missing(原文序号=project.number),
            about="序号不与同一计划中的其他项目重复",
        )
    for i, category in enumerate(plan.categories):
        inside = [p for p, _ in members if p.category == category.id]
        amount = total(p.investment for p in inside)
        cscope = f"category:{plan.id}/{category.id}"
        name = category.name if stated(category.name) else category.id
        lack = missing(类别金额=category.amount, **({} if amount is not None else {"部分项目的规划投资": None}))
        c.check(
            not lack and amount == category.amount,
            scope=cscope,
            check="category_amount",
            disclosed=category.discrepancies,
            doc=doc,
            path=("categories", i, "amount"),
            zh=f"“{name}”各项目投资合计与类别金额不符",
            en="projects of the category do not sum to its declared amount",
            found="" if lack else f"项目合计 {plain(amount)} 万元",
            expected="" if lack else f"{plain(category.amount)} 万元",
            unstated=lack,
            about=f"“{name}”各项目投资合计等于类别金额",
        )
        c.check(
            stated(category.count) and len(inside) == category.count,
            scope=cscope,
            check="category_count",
            disclosed=category.discrepancies,
            doc=doc,
            path=("categories", i, "count"),
            zh=f"“{name}”的项目个数与文件不符",
            en="number of projects in the category differs from the declared count",
            found=f"{len(inside)} 个项目",
            expected=f"{category.count} 个",
            unstated=missing(项目个数=category.count),
            about=f"“{name}”的项目个数等于文件中的个数",
        )
    categories_total = total(cat.amount for cat in plan.categories)
    lack = missing(计划总额=plan.total, **({} if categories_total is not None else {"部分类别金额": None}))
    c.check(
        not lack and categories_total == plan.total,
        scope=scope,
        check="plan_total",
        disclosed=plan.discrepancies,
        doc=doc,
        path=("total",),
        zh="各类别金额合计不等于计划总额",
        en="categories do not sum to the plan total",
        found="" if lack else f"{plain(categories_total)} 万元",
        expected="" if lack else f"{plain(plan.total)} 万元",
        unstated=lack,
        about="各类别金额合计等于计划总额",
    )
    sources_total = total(s.amount for s in plan.funding) if stated(plan.funding) else None
    lack = missing(计划总额=plan.total, **({} if sources_total is not None else {"资金来源金额": None}))
    c.check(
        not lack and sources_total == plan.total,
        scope=scope,
        check="plan_funding",
        disclosed=plan.discrepancies,
        doc=doc,
        path=("funding",),
        zh="各资金来源合计不等于计划总额",
        en="fund sources do not sum to the plan total",
        found="" if lack else f"{plain(sources_total)} 万元",
        expected="" if lack else f"{plain(plan.total)} 万元",
        unstated=lack,
        about="各资金来源合计等于计划总额",
    )
    for i, source in enumerate(plan.funding):
        used = total(f.amount for p, _ in members for f in p.funding if f.source == source.id)
        source_name = source.name if stated(source.name) else source.id
        lack = missing(**{f"“{source_name}”的金额": source.amount})
        if used is None:
            lack.append("部分项目使用该来源的金额")
        if any(not stated(p.funding) for p, _ in members):
            lack.append("部分项目的资金来源")
        c.check(
            not lack and used == source.amount,
            scope=scope,
            check="source_total",
            disclosed=plan.discrepancies,
            doc=doc,
            path=("funding", i, "amount"),
            zh=f"各项目使用的“{source_name}”合计与计划不符",
            en="projects' use of this fund source does not sum to its declared amount",
            found="" if lack else f"项目合计 {plain(used)} 万元",
            expected="" if lack else f"{plain(source.amount)} 万元",
            unstated=lack,
            about=f"各项目使用的“{source_name}”合计等于计划中的金额",
        )
