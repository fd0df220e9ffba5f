"""Check that the money adds up: projects, categories, plan totals, sources and dividends."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from gongshi.content.model import Discrepancy, Plan, Project
from gongshi.content.read import Document, dotted
from gongshi.content.site import AuditNote
from gongshi.errors import ContentError
from gongshi.money import plain

ZERO = Decimal(0)


@dataclass
class AuditResult:
    errors: list[ContentError] = field(default_factory=list)
    notes: list[AuditNote] = field(default_factory=list)


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
    ) -> None:
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
    funded = sum((f.amount for f in project.funding), ZERO)
    c.check(
        funded == project.investment,
        scope=scope,
        check="funding",
        disclosed=project.discrepancies,
        doc=doc,
        path=("funding",),
        zh="资金来源合计不等于投资额",
        en="funding sources do not sum to the investment",
        found=f"{plain(funded)} 万元",
        expected=f"{plain(project.investment)} 万元",
    )
    if project.dividend is not None:
        expected = project.investment * project.dividend.rate_percent / 100
        c.check(
            expected == project.dividend.annual,
            scope=scope,
            check="dividend",
            disclosed=project.discrepancies,
            doc=doc,
            path=("dividend", "annual"),
            zh="分红金额不等于 投资额 × 比例",
            en="dividend is not investment × rate",
            found=f"{plain(project.dividend.annual)} 万元",
            expected=f"{plain(project.investment)} × {plain(project.dividend.rate_percent)}% = {plain(expected)} 万元",
        )


def _audit_plan(c: _Checker, plan: Plan, doc: Document, members: list[tuple[Project, Document]]) -> None:
    scope = f"plan:{plan.id}"
    numbers = Counter(p.number for p, _ in members)
    for project, pdoc in members:
        c.check(
            numbers[project.number] == 1,
            scope=f"project:{project.id}",
            check="number",
            disclosed=project.discrepancies,
            doc=pdoc,
            path=("number",),
            zh="序号与同一计划中的其他项目重复",
            en="number is used by another project of the same plan",
            found=project.number,
            expected="每个项目不同的序号",
        )
    for i, category in enumerate(plan.categories):
        inside = [p for p, _ in members if p.category == category.id]
        amount = sum((p.investment for p in inside), ZERO)
        cscope = f"category:{plan.id}/{category.id}"
        c.check(
            amount == category.amount,
            scope=cscope,
            check="category_amount",
            disclosed=category.discrepancies,
            doc=doc,
            path=("categories", i, "amount"),
            zh=f"“{category.name}”各项目投资合计与类别金额不符",
            en="projects of the category do not sum to its declared amount",
            found=f"项目合计 {plain(amount)} 万元",
            expected=f"{plain(category.amount)} 万元",
        )
        c.check(
            len(inside) == category.count,
            scope=cscope,
            check="category_count",
            disclosed=category.discrepancies,
            doc=doc,
            path=("categories", i, "count"),
            zh=f"“{category.name}”的项目个数与文件不符",
            en="number of projects in the category differs from the declared count",
            found=f"{len(inside)} 个项目",
            expected=f"{category.count} 个",
        )
    categories_total = sum((cat.amount for cat in plan.categories), ZERO)
    c.check(
        categories_total == plan.total,
        scope=scope,
        check="plan_total",
        disclosed=plan.discrepancies,
        doc=doc,
        path=("total",),
        zh="各类别金额合计不等于计划总额",
        en="categories do not sum to the plan total",
        found=f"{plain(categories_total)} 万元",
        expected=f"{plain(plan.total)} 万元",
    )
    sources_total = sum((s.amount for s in plan.funding), ZERO)
    c.check(
        sources_total == plan.total,
        scope=scope,
        check="plan_funding",
        disclosed=plan.discrepancies,
        doc=doc,
        path=("funding",),
        zh="各资金来源合计不等于计划总额",
        en="fund sources do not sum to the plan total",
        found=f"{plain(sources_total)} 万元",
        expected=f"{plain(plan.total)} 万元",
    )
    for i, source in enumerate(plan.funding):
        used = sum((f.amount for p, _ in members for f in p.funding if f.source == source.id), ZERO)
        c.check(
            used == source.amount,
            scope=scope,
            check="source_total",
            disclosed=plan.discrepancies,
            doc=doc,
            path=("funding", i, "amount"),
            zh=f"各项目使用的“{source.name}”合计与计划不符",
            en="projects' use of this fund source does not sum to its declared amount",
            found=f"项目合计 {plain(used)} 万元",
            expected=f"{plain(source.amount)} 万元",
        )
