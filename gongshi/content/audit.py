"""Check that the money adds up: projects, categories, plan totals, sources and dividends."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pydantic_core import PydanticCustomError

from gongshi.content.figures import check_summary
from gongshi.content.model import Discrepancy, Plan, Project
from gongshi.content.read import Document, dotted
from gongshi.content.site import AuditNote
from gongshi.content.unstated import NOT_STATED, UNSTATED, stated
from gongshi.errors import ContentError
from gongshi.money import parse_decimal as _wan
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


@dataclass(frozen=True)
class Counted:
    """What the plan's totals need of one record: from the validated record, or read leniently from a record
    that has errors of its own (so that its totals are reported in the same run). None: could not be read."""

    file: str
    plan: str | None
    category: str | None
    investment: Decimal | None
    funding: tuple[tuple[str, Decimal], ...] | None

    @classmethod
    def of(cls, project: Project) -> Counted:
        funding = tuple((f.source, f.amount) for f in project.funding) if stated(project.funding) else UNSTATED
        return cls(project.source, project.plan, project.category, project.investment, funding)

    @classmethod
    def leniently(cls, doc: Document) -> Counted:
        """The totals' fields of a record that failed validation, each None where it is not readable."""
        data = doc.data if isinstance(doc.data, dict) else {}

        def text(key: str) -> str | None:
            value = data.get(key)
            return str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else None

        def amount(value: object) -> Decimal | None:
            try:
                number = _wan(value)
            except (ValueError, PydanticCustomError):
                return None
            return number if number >= 0 else None

        funding: tuple[tuple[str, Decimal], ...] | None = None
        items = data.get("funding")
        if isinstance(items, list) and all(isinstance(f, dict) for f in items):
            pairs = [(str(f.get("source")), amount(f.get("amount"))) for f in items]
            if all(a is not None for _, a in pairs):
                funding = tuple((s, a) for s, a in pairs if a is not None)
        return cls(doc.file, text("plan"), text("category"), amount(data.get("investment")), funding)


DISCLOSE = (
    "只有正式文件本身的数字就前后不一致时，才照原文填写，并在{where}的 discrepancies 中加一项 check: {check}"
    "和 note（原因）；这条差异说明会在网站上公开显示。"
)


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
        hint: str | None = None,
        disclose_in: str | None = None,
        unstated: list[str] | None = None,
        about: str = "",
    ) -> None:
        """`hint` says what to change in the usual case; `disclose_in` names where a public note would go, for
        checks whose two sides both come from the source document (only there can the document disagree).
        `unstated` names the values the check needs that the document does not state: then it is not made, and
        listed publicly as `about` (what it would have checked)."""
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
        if disclose_in:
            hint = " ".join(filter(None, [hint, DISCLOSE.format(where=disclose_in, check=check)]))
        self.result.errors.append(
            ContentError(doc.file, doc.line_of(path), dotted(path), zh, en, found, expected, hint)
        )


def audit(
    plans: list[tuple[Plan, Document]],
    projects: list[tuple[Project, Document]],
    complete: bool = True,
    others: list[Counted] = (),
) -> AuditResult:
    """Run every check; mismatches without a `discrepancies` entry are errors.
    `others` are records with errors of their own, counted as far as they can be read; a plan's totals are
    checked when every plan file loaded (`complete`) and each of its records could be counted."""
    result = AuditResult()
    checker = _Checker(result)
    for project, doc in projects:
        _audit_project(checker, project, doc)
    if not complete:
        return result
    counted = [Counted.of(p) for p, _ in projects] + list(others)
    for plan, doc in plans:
        members = [(p, d) for p, d in projects if p.plan == plan.id]
        _audit_numbers(checker, members)
        mine = [c for c in counted if c.plan == plan.id]
        known = {category.id for category in plan.categories}
        if any(c.plan is None for c in counted) or any(
            c.category not in known or c.investment is None or c.funding is None for c in mine
        ):
            continue  # a record whose plan, category or amounts cannot be read: its totals come next run
        _audit_plan(checker, plan, doc, mine)
        result.errors.extend(check_summary(plan, doc, len(mine)))
    return result


def _audit_project(c: _Checker, project: Project, doc: Document) -> None:
    scope = f"project:{project.id}"
    funded = total(f.amount for f in project.funding) if stated(project.funding) else None
    lack = missing(规划投资=project.investment, 资金来源=project.funding, 各来源金额=funded)
    single = stated(project.funding) and len(project.funding) == 1
    c.check(
        not lack and funded == project.investment,
        scope=scope,
        check="funding",
        disclosed=project.discrepancies,
        doc=doc,
        path=("funding",),
        zh=""
        if lack
        else f"资金来源合计 {plain(funded)} 万元，不等于规划投资 investment {plain(project.investment)} 万元",
        en="funding sources do not sum to the investment",
        found="" if lack else f"资金来源合计 {plain(funded)} 万元",
        expected="" if lack else f"{plain(project.investment)} 万元（与 investment 相同）",
        hint=""
        if lack
        else (
            f"改了投资额时，把 funding 中的 amount 也改为 {plain(project.investment)}。"
            if single
            else "改了投资额时，按正式文件把 funding 各来源的 amount 改为合计等于 investment。"
        ),
        disclose_in="这条记录",
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
            hint=None if lack else f"改了投资额或比例时，把 dividend 的 annual 改为 {plain(expected)}。",
            disclose_in="这条记录",
            unstated=lack,
            about="每年分红等于规划投资乘以分红比例",
        )


def _audit_numbers(c: _Checker, members: list[tuple[Project, Document]]) -> None:
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
            hint="新增项目时，number 写正式文件中的序号。",
            disclose_in="这条记录",
            unstated=missing(原文序号=project.number),
            about="序号不与同一计划中的其他项目重复",
        )


def _files(members: list[Counted]) -> str:
    shown = [f"{m.file.rsplit('/', 1)[-1]} {plain(m.investment)}" for m in members if stated(m.investment)]
    return "、".join(shown) if len(shown) <= 12 else "、".join(shown[:12]) + f" 等 {len(shown)} 个"


def _audit_plan(c: _Checker, plan: Plan, doc: Document, members: list[Counted]) -> None:
    """Each line of the plan file against the records: the error sits on the plan line and gives the number to
    write there, so that one run lists every line a new or changed project needs (category, source, total).
    A check that needs a value the document does not state (原文件未列明) is not made, and listed publicly."""
    scope = f"plan:{plan.id}"
    plan_file = doc.file
    usual = "新增或修改了项目时，"
    expected_total: Decimal | None = ZERO  # the projects' sum, or a category's disclosed document figure
    for i, category in enumerate(plan.categories):
        inside = [m for m in members if m.category == category.id]
        amount = total(m.investment for m in inside)
        name = category.name if stated(category.name) else category.id
        disclosed_amount = any(d.check == "category_amount" for d in category.discrepancies)
        part = category.amount if disclosed_amount else amount
        expected_total = expected_total + part if expected_total is not None and stated(part) else None
        cscope = f"category:{plan.id}/{category.id}"
        lack = missing(类别金额=category.amount, **({} if amount is not None else {"部分项目的规划投资": None}))
        c.check(
            not lack and amount == category.amount,
            scope=cscope,
            check="category_amount",
            disclosed=category.discrepancies,
            doc=doc,
            path=("categories", i, "amount"),
            zh=""
            if lack
            else (
                f"“{name}”的类别金额 {plain(category.amount)} 万元（{plan_file}），"
                f"与 {len(inside)} 个项目记录的投资合计 {plain(amount)} 万元不符"
            ),
            en="the category's declared amount differs from the sum of its projects' investment",
            found="" if lack else f"amount: {plain(category.amount)}",
            expected="" if lack else f"amount: {plain(amount)}",
            hint=None
            if lack
            else f"{usual}把这一行改为 amount: {plain(amount)}。本类别的项目：{_files(inside) or '无'}。",
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
            zh=f"“{name}”的项目个数 {category.count}（{plan_file}），与项目记录的 {len(inside)} 个不符",
            en="the category's declared count differs from the number of its project records",
            found=f"count: {category.count}",
            expected=f"count: {len(inside)}",
            hint=f"{usual}把这一行改为 count: {len(inside)}。",
            unstated=missing(项目个数=category.count),
            about=f"“{name}”的项目个数等于文件中的个数",
        )
    sources_agree = True
    for i, source in enumerate(plan.funding if stated(plan.funding) else ()):
        used = total(a for m in members for s, a in (m.funding or ()) if s == source.id)
        source_name = source.name if stated(source.name) else source.id
        lack = missing(**{f"“{source_name}”的金额": source.amount})
        if used is None:
            lack.append("部分项目使用该来源的金额")
        if any(not stated(m.funding) for m in members):
            lack.append("部分项目的资金来源")
        sources_agree = sources_agree and not lack and used == source.amount
        c.check(
            not lack and used == source.amount,
            scope=scope,
            check="source_total",
            disclosed=plan.discrepancies,
            doc=doc,
            path=("funding", i, "amount"),
            zh=""
            if lack
            else (
                f"计划的资金来源“{source_name}” {plain(source.amount)} 万元（{plan_file}），"
                f"与各项目记录 funding 中这一来源的合计 {plain(used)} 万元不符"
            ),
            en="the fund source's declared amount differs from the projects' use of it",
            found="" if lack else f"amount: {plain(source.amount)}",
            expected="" if lack else f"amount: {plain(used)}",
            hint=None if lack else f"{usual}把这一行改为 amount: {plain(used)}。",
            unstated=lack,
            about=f"各项目使用的“{source_name}”合计等于计划中的金额",
        )
    categories_total = total(cat.amount for cat in plan.categories)
    sources_total = total(s.amount for s in plan.funding) if stated(plan.funding) else None
    lack = missing(计划总额=plan.total, **({} if expected_total is not None else {"部分项目或类别的金额": None}))
    c.check(
        not lack and expected_total == plan.total,
        scope=scope,
        check="plan_total",
        disclosed=plan.discrepancies,
        doc=doc,
        path=("total",),
        zh=""
        if lack
        else (
            f"计划总额 {plain(plan.total)} 万元（{plan_file}），与各项目记录的投资合计 {plain(expected_total)} 万元、"
            f"各类别金额合计 {plain(categories_total) if categories_total is not None else NOT_STATED} 万元不符"
        ),
        en="the plan total differs from its projects' and its categories' sums",
        found="" if lack else f"total: {plain(plan.total)}",
        expected="" if lack else f"total: {plain(expected_total)}",
        hint=None
        if lack
        else f"{usual}把这一行改为 total: {plain(expected_total)}（类别和资金来源见本文件的其他提示）。",
        disclose_in="计划文件" if categories_total is not None and categories_total != plan.total else None,
        unstated=lack,
        about="各项目投资合计和各类别金额合计等于计划总额",
    )
    lack = missing(计划总额=plan.total, **({} if sources_total is not None else {"资金来源金额": None}))
    c.check(
        not lack and (sources_total == plan.total or not sources_agree or expected_total != plan.total),
        scope=scope,
        check="plan_funding",
        disclosed=plan.discrepancies,
        doc=doc,
        path=("funding",),
        zh=""
        if lack
        else f"各资金来源合计 {plain(sources_total)} 万元，不等于计划总额 {plain(plan.total)} 万元（{plan_file}）",
        en="fund sources do not sum to the plan total",
        found="" if lack else f"{plain(sources_total)} 万元",
        expected="" if lack else f"{plain(plan.total)} 万元",
        hint=None if lack else "核对各资金来源的 amount 与 total 是否照正式文件填写。",
        disclose_in="计划文件",
        unstated=lack,
        about="各资金来源合计等于计划总额",
    )
