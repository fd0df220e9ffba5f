"""Check that the money adds up: projects, categories, plan totals, sources and dividends."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from pydantic_core import PydanticCustomError

from gongshi.content.figures import check_summary
from gongshi.content.model import Discrepancy, Plan, Project
from gongshi.content.read import Document, dotted
from gongshi.content.site import AuditNote
from gongshi.errors import ContentError
from gongshi.money import parse_decimal as _wan
from gongshi.money import plain

ZERO = Decimal(0)


@dataclass
class AuditResult:
    errors: list[ContentError] = field(default_factory=list)
    notes: list[AuditNote] = field(default_factory=list)


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
        funding = tuple((f.source, f.amount) for f in project.funding)
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
    ) -> None:
        """`hint` says what to change in the usual case; `disclose_in` names where a public note would go, for
        checks whose two sides both come from the source document (only there can the document disagree)."""
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
    funded = sum((f.amount for f in project.funding), ZERO)
    single = len(project.funding) == 1
    c.check(
        funded == project.investment,
        scope=scope,
        check="funding",
        disclosed=project.discrepancies,
        doc=doc,
        path=("funding",),
        zh=f"资金来源合计 {plain(funded)} 万元，不等于规划投资 investment {plain(project.investment)} 万元",
        en="funding sources do not sum to the investment",
        found=f"资金来源合计 {plain(funded)} 万元",
        expected=f"{plain(project.investment)} 万元（与 investment 相同）",
        hint=(
            f"改了投资额时，把 funding 中的 amount 也改为 {plain(project.investment)}。"
            if single
            else "改了投资额时，按正式文件把 funding 各来源的 amount 改为合计等于 investment。"
        ),
        disclose_in="这条记录",
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
            hint=f"改了投资额或比例时，把 dividend 的 annual 改为 {plain(expected)}。",
            disclose_in="这条记录",
        )


def _audit_numbers(c: _Checker, members: list[tuple[Project, Document]]) -> None:
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
            hint="新增项目时，number 写正式文件中的序号。",
            disclose_in="这条记录",
        )


def _files(members: list[Counted]) -> str:
    shown = [f"{m.file.rsplit('/', 1)[-1]} {plain(m.investment)}" for m in members if m.investment is not None]
    return "、".join(shown) if len(shown) <= 12 else "、".join(shown[:12]) + f" 等 {len(shown)} 个"


def _audit_plan(c: _Checker, plan: Plan, doc: Document, members: list[Counted]) -> None:
    """Each line of the plan file against the records: the error sits on the plan line and gives the number to
    write there, so that one run lists every line a new or changed project needs (category, source, total)."""
    scope = f"plan:{plan.id}"
    plan_file = doc.file
    usual = "新增或修改了项目时，"
    total = ZERO  # what the plan total should be: the projects' sum, or a category's disclosed document figure
    for i, category in enumerate(plan.categories):
        inside = [m for m in members if m.category == category.id]
        amount = sum((m.investment for m in inside), ZERO)
        disclosed_amount = any(d.check == "category_amount" for d in category.discrepancies)
        total += category.amount if disclosed_amount else amount
        cscope = f"category:{plan.id}/{category.id}"
        c.check(
            amount == category.amount,
            scope=cscope,
            check="category_amount",
            disclosed=category.discrepancies,
            doc=doc,
            path=("categories", i, "amount"),
            zh=(
                f"“{category.name}”的类别金额 {plain(category.amount)} 万元（{plan_file}），"
                f"与 {len(inside)} 个项目记录的投资合计 {plain(amount)} 万元不符"
            ),
            en="the category's declared amount differs from the sum of its projects' investment",
            found=f"amount: {plain(category.amount)}",
            expected=f"amount: {plain(amount)}",
            hint=f"{usual}把这一行改为 amount: {plain(amount)}。本类别的项目：{_files(inside) or '无'}。",
        )
        c.check(
            len(inside) == category.count,
            scope=cscope,
            check="category_count",
            disclosed=category.discrepancies,
            doc=doc,
            path=("categories", i, "count"),
            zh=f"“{category.name}”的项目个数 {category.count}（{plan_file}），与项目记录的 {len(inside)} 个不符",
            en="the category's declared count differs from the number of its project records",
            found=f"count: {category.count}",
            expected=f"count: {len(inside)}",
            hint=f"{usual}把这一行改为 count: {len(inside)}。",
        )
    sources_agree = True
    for i, source in enumerate(plan.funding):
        used = sum((a for m in members for s, a in m.funding if s == source.id), ZERO)
        sources_agree = sources_agree and used == source.amount
        c.check(
            used == source.amount,
            scope=scope,
            check="source_total",
            disclosed=plan.discrepancies,
            doc=doc,
            path=("funding", i, "amount"),
            zh=(
                f"计划的资金来源“{source.name}” {plain(source.amount)} 万元（{plan_file}），"
                f"与各项目记录 funding 中这一来源的合计 {plain(used)} 万元不符"
            ),
            en="the fund source's declared amount differs from the projects' use of it",
            found=f"amount: {plain(source.amount)}",
            expected=f"amount: {plain(used)}",
            hint=f"{usual}把这一行改为 amount: {plain(used)}。",
        )
    categories_total = sum((cat.amount for cat in plan.categories), ZERO)
    sources_total = sum((s.amount for s in plan.funding), ZERO)
    c.check(
        total == plan.total,
        scope=scope,
        check="plan_total",
        disclosed=plan.discrepancies,
        doc=doc,
        path=("total",),
        zh=(
            f"计划总额 {plain(plan.total)} 万元（{plan_file}），与各项目记录的投资合计 {plain(total)} 万元、"
            f"各类别金额合计 {plain(categories_total)} 万元不符"
        ),
        en="the plan total differs from its projects' and its categories' sums",
        found=f"total: {plain(plan.total)}",
        expected=f"total: {plain(total)}",
        hint=f"{usual}把这一行改为 total: {plain(total)}（类别和资金来源见本文件的其他提示）。",
        disclose_in="计划文件" if categories_total != plan.total else None,  # the document's own figures disagree
    )
    c.check(
        sources_total == plan.total or not sources_agree or total != plan.total,  # else reported above
        scope=scope,
        check="plan_funding",
        disclosed=plan.discrepancies,
        doc=doc,
        path=("funding",),
        zh=f"各资金来源合计 {plain(sources_total)} 万元，不等于计划总额 {plain(plan.total)} 万元（{plan_file}）",
        en="fund sources do not sum to the plan total",
        found=f"{plain(sources_total)} 万元",
        expected=f"{plain(plan.total)} 万元",
        hint="核对各资金来源的 amount 与 total 是否照正式文件填写。",
        disclose_in="计划文件",
    )
