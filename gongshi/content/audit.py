"""Check that the money adds up: projects, categories, plan totals, sources and dividends; and across a
project's life: changes, completion accounts, line items, villages' shares. A failed check is an error
unless the record discloses it; every disclosure must match something. A check that needs a value the
document does not state (原文件未列明) is not made, and listed publicly."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from pydantic import BaseModel
from pydantic_core import PydanticCustomError

from gongshi.content.fields import STAGES, FieldRow, Surface, path_label, rows_by_path
from gongshi.content.figures import check_summary
from gongshi.content.in_force import change_amount, dividend_basis
from gongshi.content.model import DONE, Discrepancy, Plan, Project
from gongshi.content.read import Document, dotted
from gongshi.content.site import AuditNote
from gongshi.content.unstated import NOT_STATED, UNSTATED, stated
from gongshi.content.values import category_name
from gongshi.content.values import source_name as source_name_of
from gongshi.errors import ContentError
from gongshi.money import parse_decimal, plain

_wan = parse_decimal

ZERO = Decimal(0)


@dataclass
class AuditResult:
    errors: list[ContentError] = field(default_factory=list)
    notes: list[AuditNote] = field(default_factory=list)
    skipped: list[AuditNote] = field(default_factory=list)  # checks not made: a value they need is not stated
    held: list[str] = field(default_factory=list)  # plan files whose totals wait for a record's errors to be fixed


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
    number: str | None = None  # the number as in the document (None: not readable, or not stated)

    @classmethod
    def of(cls, project: Project) -> Counted:
        funding = tuple((f.source, f.amount) for f in project.funding) if stated(project.funding) else UNSTATED
        number = str(project.number) if stated(project.number) else None
        return cls(project.source, project.plan, project.category, project.investment, funding, number)

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
        number = text("number")
        return cls(doc.file, text("plan"), text("category"), amount(data.get("investment")), funding, number)


DISCLOSE = (
    "如果原文件本身就是这样写的（它的数字前后不一致），照原文保留，不要改成本站算出的数，在{where}加上下面几行"
    "差异说明（可直接粘贴，note 可改写；已有 discrepancies 的，只加“- check”起的三行）；网站会同时公开原文件的数字"
    "和本站计算的数字："
)
INCONSISTENT_NOTE = "原文件所列数字本身前后不一致，按原文件公示。"
"""The reason a proposed disclosure gives (staff may write their own)."""


def disclosure_lines(check: str, note: str, indent: int = 0, kind: str = "inconsistent") -> str:
    """A `discrepancies` entry ready to paste, indented for where it goes (4: inside a plan's category)."""
    pad = " " * indent
    return f"{pad}discrepancies:\n{pad}  - check: {check}\n{pad}    kind: {kind}\n{pad}    note: {note}"


@dataclass
class _Checker:
    """Records each failed check as an error, or as a public note where a discrepancy explains it."""

    result: AuditResult
    used: set[int] = field(default_factory=set)  # id() of each disclosure that explained (or met) a check

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
        indent: int = 0,
        public: str | None = None,
        unstated: list[str] | None = None,
        about: str = "",
    ) -> None:
        """`hint` says what to correct if the clerk mistyped (in the words "if the document says X"); for checks
        whose two sides are both stated in the source document (only there can the document disagree),
        `disclose_in` names where a public note goes and the hint ends with that note ready to paste (indented
        by `indent`), never asking to write a computed value over a stated one. `public` is what the public
        note says the check found: both figures, each with where it comes from, no file name (else `zh`).
        `unstated` names the values the check needs that the document does not state: then it is not made, and
        listed publicly as `about` (what it would have checked)."""
        explained = next((d for d in disclosed if d.check == check), None)
        if unstated:
            if explained:  # a disclosure of a check that cannot be made is not an error: the check is listed
                self.used.add(id(explained))
            # A fact about the document, said in words: the 原文件未列明 marker stands for a value, not in a sentence.
            reason = f"原文件没有写明{'、'.join(unstated)}"
            self.result.skipped.append(AuditNote(scope, check, about or zh, reason))
            return
        if ok:
            return
        if explained:
            self.used.add(id(explained))
            self.result.notes.append(
                AuditNote(scope, check, public or zh, explained.note, explained.kind, None, _check_stages(scope, check))
            )
            return
        if disclose_in:
            proposal = DISCLOSE.format(where=disclose_in) + "\n" + disclosure_lines(check, INCONSISTENT_NOTE, indent)
            hint = "\n".join(filter(None, [hint, proposal]))
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
        _audit_lifecycle(checker, project, doc)
    for plan, doc in plans:
        _audit_changes(checker, plan, doc, f"plan:{plan.id}", plan.discrepancies)
    if not complete:
        return result
    counted = [Counted.of(p) for p, _ in projects] + list(others)
    plan_ids = {plan.id for plan, _ in plans}
    # A record whose plan cannot be read, or names no plan, may belong to any plan: no plan's totals are checked.
    astray = any(c.plan not in plan_ids for c in counted)
    for plan, doc in plans:
        members = [(p, d) for p, d in projects if p.plan == plan.id]
        mine = [c for c in counted if c.plan == plan.id]
        _audit_numbers(checker, members, [c.number for c in others if c.plan == plan.id])
        known = {category.id for category in plan.categories}
        sources = {source.id for source in plan.funding} if stated(plan.funding) else set()
        if astray or any(
            c.category not in known
            or c.investment is None
            or c.funding is None
            or any(s not in sources for s, _ in (c.funding or ()))
            for c in mine
        ):
            # A record whose plan, category, amounts or fund sources cannot be read: what its totals would say
            # is not known, so they are checked after its own errors are fixed (said once, under the errors).
            result.held.append(doc.file)
            continue
        _audit_plan(checker, plan, doc, mine)
        for problem in check_summary(plan, doc, len(mine), _summary_total(plan, mine)):
            checker.check(
                False,
                scope=f"plan:{plan.id}",
                check="summary",
                disclosed=plan.discrepancies,
                doc=doc,
                path=("summary",),
                zh=problem.message_zh,
                en=problem.message_en,
                found=problem.found,
                expected=problem.expected,
                hint=problem.hint,
                disclose_in="计划文件的顶层（不缩进）",
                public=f"计划概述写“{problem.found}”（原文件），列出的类别和项目记录为“{problem.expected}”（本站清点）",
            )
        # Every disclosure of this plan and its records must explain a failed (or unmade) check.
        for project, pdoc in members:
            _disclosures(checker, project, pdoc, f"project:{project.id}", project.discrepancies, ("discrepancies",))
        _disclosures(checker, plan, doc, f"plan:{plan.id}", plan.discrepancies, ("discrepancies",))
        for i, category in enumerate(plan.categories):
            scope = f"category:{plan.id}/{category.id}"
            _disclosures(checker, plan, doc, scope, category.discrepancies, ("categories", i, "discrepancies"))
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
            (
                f"如果是录入错了：原文件中这个来源的金额写的是 {plain(project.investment)} 的，把 funding 中的 amount 改为"
                f" {plain(project.investment)}；否则按原文件改正 investment 或 amount。"
                if single
                else "如果是录入错了，按原文件改正 investment 或 funding 各来源的 amount。"
            )
            + _moved_funding_hint(project, funded)
        ),
        disclose_in="这条记录的 front matter 末尾（与 investment 同样不缩进）",
        public=""
        if lack
        else (
            f"规划投资 {plain(project.investment)} 万元（原文件），各资金来源金额合计 {plain(funded)} 万元"
            "（本站按原文件各来源金额计算），两者不一致"
        ),
        unstated=[x for x in lack if x != "各来源金额" or "资金来源" not in lack],
        about="资金来源合计等于规划投资",
    )
    dividend = project.dividend
    if dividend:
        # A promise to villages: reckoned on the investment in force when it was last set (gongshi.content.in_force).
        basis = dividend_basis(project)
        changed = stated(basis) and stated(project.investment) and basis != project.investment
        invested = f"调整前的规划投资 {plain(basis)}" if changed else plain(basis) if stated(basis) else ""
        lack = missing(规划投资=basis, 分红比例=dividend.rate_percent, 每年分红=dividend.annual)
        expected = None if lack else basis * dividend.rate_percent / 100
        c.check(
            not lack and as_written(expected, dividend.annual),
            scope=scope,
            check="dividend",
            disclosed=project.discrepancies,
            doc=doc,
            path=("dividend", "annual"),
            zh="分红金额不等于 投资额 × 比例",
            en="dividend is not investment × rate",
            found="" if lack else f"{plain(dividend.annual)} 万元",
            expected="" if lack else f"{invested} × {plain(dividend.rate_percent)}% = {plain(expected)} 万元",
            hint=None
            if lack
            else (
                f"如果是录入错了：原文件写的每年分红是 {plain(expected)} 的，把 dividend 的 annual 改为 {plain(expected)}；"
                + (
                    "否则按原文件改正 rate_percent，或 changes 中第一次调整 investment 的 before。投资经批准调整后，"
                    "分红不随之改变；分红本身也经批准调整的，在 changes 中另写一项（field: dividend.annual，"
                    "before、after 写调整前后的每年分红），分红就按调整后的投资核对。"
                    if changed
                    else "否则按原文件改正 investment 或 rate_percent。"
                )
            ),
            disclose_in="这条记录的 front matter 末尾（不缩进）",
            public=""
            if lack
            else (
                f"每年分红 {plain(dividend.annual)} 万元（原文件），{invested} 万元 × 分红比例 "
                f"{plain(dividend.rate_percent)}% = {plain(expected)} 万元（本站计算），两者不一致"
            ),
            unstated=lack,
            about="每年分红等于规划投资乘以分红比例",
        )


def _moved_funding_hint(project: Project, funded: Decimal | None) -> str:
    """After an approved change of the investment, the fund sources follow by their own change entries: the lines
    to add for a single source, so that one more check run finishes the change."""
    if not any(ch.field == "investment" for ch in project.changes) or any(
        ch.field.startswith("funding") for ch in project.changes
    ):
        return ""
    if not (stated(project.funding) and len(project.funding) == 1 and funded is not None):
        return "投资经批准调整的，各来源的 amount 按批复改，并在 changes 中为每个改动的来源写一项（field: funding[0].amount 等）。"
    return (
        f"投资经批准调整的，资金来源也按批复改为 amount: {plain(project.investment)}，并在 changes 中再写一项"
        f"（date、approval、reason 与投资的调整相同）：field: funding[0].amount、before: {plain(funded)}、"
        f"after: {plain(project.investment)}。"
    )


def as_written(exact: Decimal, written: Decimal) -> bool:
    """Whether a document's figure is the exact one as written: exact, or rounded half up to its own decimals (at
    least two: 0.01 万元). A product of amounts has more decimals than an amount may carry (gongshi.money), so a
    document writes 320.456789 × 5% = 16.02283945 as 16.022839 or 16.02."""
    places = max(-written.normalize().as_tuple().exponent, 2)  # type: ignore[operator]
    return exact == written or exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP) == written


def _audit_numbers(c: _Checker, members: list[tuple[Project, Document]], others: list[str | None]) -> None:
    """`others`: the numbers of the plan's records that have errors of their own (they still hold them)."""
    numbers = Counter([str(p.number) for p, _ in members if stated(p.number)] + [n for n in others if n])
    for project, pdoc in members:
        c.check(
            not stated(project.number) or numbers[str(project.number)] == 1,
            scope=f"project:{project.id}",
            check="number",
            disclosed=project.discrepancies,
            doc=pdoc,
            path=("number",),
            zh="序号与同一计划中的其他项目重复",
            en="number is used by another project of the same plan",
            found=str(project.number),
            expected="每个项目不同的序号",
            hint="如果是录入错了，number 写原文件中这个项目的序号。",
            disclose_in="这条记录的 front matter 末尾（不缩进）",
            public=f"原文序号 {project.number} 与同一计划中的其他项目重复（原文件）",
            unstated=missing(原文序号=project.number),
            about="序号不与同一计划中的其他项目重复",
        )


def _files(members: list[Counted]) -> str:
    shown = [f"{m.file.rsplit('/', 1)[-1]} {plain(m.investment)}" for m in members if stated(m.investment)]
    return "、".join(shown) if len(shown) <= 12 else "、".join(shown[:12]) + f" 等 {len(shown)} 个"


def _summary_total(plan: Plan, members: list[Counted]) -> Decimal | None:
    """The total the plan summary's amount must state: the records' sum; None when it is not stated, or when a
    public note says the document's own amounts differ from the records (its summary may give either figure)."""
    notes = [d.check for d in plan.discrepancies] + [d.check for c in plan.categories for d in c.discrepancies]
    if "plan_total" in notes or "category_amount" in notes:
        return None
    return total(m.investment for m in members)


def _audit_plan(c: _Checker, plan: Plan, doc: Document, members: list[Counted]) -> None:
    """Each line of the plan file against the records: the error sits on the plan line, so that one run lists
    every line a new or changed project touches (category, source, total). Both sides are stated in the
    document, so a hint never asks to write the records' sum over the stated figure: it says what to write if
    the document says so, and proposes the disclosure that keeps both figures when the document disagrees
    with itself. A check that needs a value the document does not state is not made, and listed publicly."""
    scope = f"plan:{plan.id}"
    plan_file = doc.file
    usual = "如果是录入错了（新增或修改了项目记录、或抄错了数字），"
    in_category = "这一类别的 amount 之后（discrepancies 与 amount 对齐）"
    expected_total: Decimal | None = ZERO  # the projects' sum, or a category's disclosed document figure
    for i, category in enumerate(plan.categories):
        inside = [m for m in members if m.category == category.id]
        amount = total(m.investment for m in inside)
        name = f"“{category.name}”" if stated(category.name) else category_name(plan, category)
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
                f"{name}的类别金额 {plain(category.amount)} 万元（{plan_file}），"
                f"与 {len(inside)} 个项目记录的投资合计 {plain(amount)} 万元不符"
            ),
            en="the category's declared amount differs from the sum of its projects' investment",
            found="" if lack else f"amount: {plain(category.amount)}",
            expected=""
            if lack
            else f"与本类别 {len(inside)} 个项目记录的投资合计 {plain(amount)} 万元（本站计算）一致",
            hint=None
            if lack
            else (
                f"{usual}按原文件改正：原文件中本类别金额写的是 {plain(amount)} 的，把这一行改为 amount: "
                f"{plain(amount)}；否则改正本类别的项目记录。本类别的项目：{_files(inside)}。"
                if inside
                else "本类别还没有项目记录：按原文件录入本类别的项目（category 写本类别的 id）；暂时录入不了的，"
                f"在{in_category}加上下面几行，不要把 amount 改为 0：\n"
                + disclosure_lines("category_amount", "本类别的项目尚未录入。", 4, "untranscribed")
            ),
            disclose_in=in_category if inside else None,
            indent=4,
            public=""
            if lack
            else (
                f"{name}的类别金额 {plain(category.amount)} 万元（原文件），所列 {len(inside)} 个项目的投资合计 "
                f"{plain(amount)} 万元（本站计算），两者不一致"
                if inside
                else f"{name}的类别金额 {plain(category.amount)} 万元（原文件），本类别的项目尚未录入"
            ),
            unstated=lack,
            about=f"{name}各项目投资合计等于类别金额",
        )
        c.check(
            stated(category.count) and len(inside) == category.count,
            scope=cscope,
            check="category_count",
            disclosed=category.discrepancies,
            doc=doc,
            path=("categories", i, "count"),
            zh=f"{name}的项目个数 {category.count}（{plan_file}），与项目记录的 {len(inside)} 个不符",
            en="the category's declared count differs from the number of its project records",
            found=f"count: {category.count}",
            expected=f"与本类别的项目记录个数 {len(inside)} 一致",
            hint=f"{usual}按原文件改正：原文件中本类别写的是 {len(inside)} 个项目的，把这一行改为 count: {len(inside)}；"
            "否则按原文件补录或改正本类别的项目记录。",
            disclose_in=in_category,
            indent=4,
            public=f"{name}的项目个数 {category.count} 个（原文件），列出的项目 {len(inside)} 个（本站清点），两者不一致"
            if inside
            else f"{name}的项目个数 {category.count} 个（原文件），本类别的项目尚未录入",
            unstated=missing(项目个数=category.count),
            about=f"{name}的项目个数等于文件中的个数",
        )
    sources_agree = True
    for i, source in enumerate(plan.funding if stated(plan.funding) else ()):
        users = [m for m in members if any(s == source.id for s, _ in (m.funding or ()))]
        used = total(a for m in users for s, a in (m.funding or ()) if s == source.id)
        source_name = f"资金来源“{source.name}”" if stated(source.name) else source_name_of(plan, source)
        lack = missing(**{f"{source_name}的金额": source.amount})
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
                f"计划的{source_name} {plain(source.amount)} 万元（{plan_file}），"
                f"与各项目记录 funding 中这一来源的合计 {plain(used)} 万元不符"
            ),
            en="the fund source's declared amount differs from the projects' use of it",
            found="" if lack else f"amount: {plain(source.amount)}",
            expected=""
            if lack
            else (
                f"与各项目使用这一来源的合计 {plain(used)} 万元（本站计算）一致"
                if users
                else "与使用这一来源的项目的合计一致（尚未录入使用这一来源的项目）"
            ),
            hint=None
            if lack
            else (
                f"{usual}按原文件改正：原文件中这一来源写的是 {plain(used)} 的，把这一行改为 amount: {plain(used)}；"
                "否则改正各项目的 funding。"
                if users
                else "还没有使用这一来源的项目记录：按原文件录入（项目的 funding 中 source 写这一来源的 id）；"
                "暂时录入不了的，在计划文件的顶层（不缩进）加上下面几行，不要把 amount 改为 0：\n"
                + disclosure_lines("source_total", "使用这一来源的项目尚未录入。", 0, "untranscribed")
            ),
            disclose_in="计划文件的顶层（不缩进）" if users else None,
            public=""
            if lack
            else (
                f"{source_name} {plain(source.amount)} 万元（原文件），各项目使用这一来源的合计 "
                f"{plain(used)} 万元（本站计算），两者不一致"
                if users
                else f"{source_name} {plain(source.amount)} 万元（原文件），尚未录入使用这一来源的项目"
            ),
            unstated=lack,
            about=f"各项目使用的{source_name}合计等于计划中的金额",
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
        expected="" if lack else f"与各项目投资合计 {plain(expected_total)} 万元（本站计算）一致",
        hint=None
        if lack
        else "本计划还没有项目记录：按原文件录入项目；暂时录入不了的，按各类别的提示在类别上说明“尚未录入”，"
        "不要把 total 改为 0。"
        if not members
        else (
            f"{usual}按原文件改正：原文件中计划总额写的是 {plain(expected_total)} 的，把这一行改为 total: "
            f"{plain(expected_total)}（类别和资金来源见本文件的其他提示）。"
            + (
                "新增或修改了项目记录的，类别、资金来源和总额都按提示一起改。只有原文件中类别金额本身与所列项目不一致时"
                "（原文件各类别金额相加正好等于它写的总额），才不改 total，差异说明加在类别上（见本文件中类别的提示）。"
                if categories_total is not None and categories_total == plan.total
                else ""
            )
        ),
        disclose_in="计划文件的顶层（不缩进）"
        if categories_total is not None and categories_total != plan.total
        else None,
        public=""
        if lack
        else (
            f"计划总额 {plain(plan.total)} 万元（原文件），各项目投资合计 {plain(expected_total)} 万元（本站计算）"
            + (
                f"，各类别金额合计 {plain(categories_total)} 万元（本站按原文件各类别金额计算）"
                if categories_total is not None
                else ""
            )
            + "，不一致"
            if members
            else f"计划总额 {plain(plan.total)} 万元（原文件），尚未录入项目"
            + (
                f"；各类别金额合计 {plain(categories_total)} 万元（本站按原文件各类别金额计算），与计划总额不一致"
                if categories_total is not None and categories_total != plan.total
                else ""
            )
        ),
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
        hint=None if lack else "如果是录入错了，按原文件改正各资金来源的 amount 或 total。",
        disclose_in="计划文件的顶层（不缩进）",
        public=""
        if lack
        else (
            f"计划总额 {plain(plan.total)} 万元（原文件），各资金来源金额合计 {plain(sources_total)} 万元"
            "（本站按原文件各来源金额计算），两者不一致"
        ),
        unstated=lack,
        about="各资金来源合计等于计划总额",
    )


# --- a project's life: changes, completion, line items, villages' shares ------------------------------


def _audit_lifecycle(c: _Checker, project: Project, doc: Document) -> None:
    scope = f"project:{project.id}"
    _audit_changes(c, project, doc, scope, project.discrepancies)
    _audit_promise_text(c, project, doc, scope)
    _audit_completion(c, project, doc, scope)
    _audit_status(c, project, doc, scope)
    _audit_line_items(c, project, doc, scope)
    _audit_shares(c, project, doc, scope)
    _audit_payments(c, project, doc, scope)


def _audit_completion(c: _Checker, project: Project, doc: Document, scope: str) -> None:
    """Investment − settled − management fee = the surplus the report states."""
    done = project.completion
    if done is None:
        return
    if done.settled is not None and done.surplus is not None and stated(project.investment):
        fee = done.management_fee or ZERO
        expected = project.investment - done.settled - fee
        fee_text = f" − 管理费 {plain(fee)}" if done.management_fee is not None else "（未写管理费）"
        c.check(
            expected == done.surplus,
            scope=scope,
            check="completion",
            disclosed=project.discrepancies,
            doc=doc,
            path=("completion", "surplus"),
            zh="结余资金不等于 规划投资 − 结算金额 − 管理费",
            en="surplus is not investment − settled − management fee",
            found=f"结余 {plain(done.surplus)} 万元",
            expected=f"{plain(project.investment)} − 结算 {plain(done.settled)}{fee_text} = {plain(expected)} 万元",
        )


FINISHED_STAGES = {"完工": "已完工", "验收": "已验收", "运营": "运营中"}
"""A progress report's stage that says construction is over, and the status it calls for."""


def _audit_status(c: _Checker, project: Project, doc: Document, scope: str) -> None:
    """The status must not contradict the stages the record itself shows: completion accounts, or a progress
    report of 完工, 验收 or 运营, with a status that says the project is not finished (计划, 实施中)."""
    found: list[str] = []
    calls_for: list[str] = []  # the statuses the stages call for; the furthest one is what to write
    done = project.completion
    if done is not None:
        found.append("已填写的完工验收（completion）")
        calls_for.append("已验收" if done.accepted else "已完工")
    late = [(i, e) for i, e in enumerate(project.progress) if e.stage in FINISHED_STAGES]
    if late:
        i, entry = late[-1]
        found.append(f"进展报告第{i + 1}项（{entry.date.isoformat()}）的阶段“{entry.stage}”")
        calls_for.append(FINISHED_STAGES[entry.stage])
    if not found:
        return
    status = project.status
    over = (*DONE, "已终止")
    wanted = max(calls_for, key=DONE.index)
    c.check(
        not stated(status) or status in over,
        scope=scope,
        check="status",
        disclosed=project.discrepancies,
        doc=doc,
        path=("status",),
        zh=f"项目状态为“{status}”，与记录中{'、'.join(found)}矛盾",
        en=f"the status says the project is not finished, but the record shows it is ({'; '.join(found)})",
        found=f"status: {status}",
        expected=f"status: {wanted}（或 {'、'.join(x for x in over if x != wanted)}）",
        hint=f"项目已完工时，把这一行改为 status: {wanted}；如果完工验收或进展报告填错了项目，改正那一项。",
        unstated=missing(项目状态=status),
        about="项目状态与完工验收、进展报告一致",
    )


def _audit_line_items(c: _Checker, project: Project, doc: Document, scope: str) -> None:
    if not project.line_items:
        return
    total = sum((item.amount for item in project.line_items), ZERO)
    lack = missing(规划投资=project.investment)
    c.check(
        not lack and total == project.investment,
        scope=scope,
        check="line_items",
        disclosed=project.discrepancies,
        doc=doc,
        path=("line_items",),
        zh="投资明细合计不等于规划投资",
        en="line items do not sum to the investment",
        found=f"{plain(total)} 万元",
        expected="" if lack else f"{plain(project.investment)} 万元",
        unstated=lack,
        about="投资明细合计等于规划投资",
    )


def _audit_shares(c: _Checker, project: Project, doc: Document, scope: str) -> None:
    """Villages' stated shares: within the project's villages, and adding up to what is promised."""
    named = {*project.beneficiaries.asset_villages, *project.beneficiaries.villages}
    groups = []
    if project.dividend and project.dividend.shares:
        annual = project.dividend.annual if stated(project.dividend.annual) else None
        groups.append(("dividend", project.dividend.shares, annual, "每年分红"))
    commitment = project.income_commitment
    if commitment and commitment.shares:
        total = commitment.minimum_per_year if commitment.per == "shared" else None
        groups.append(("income_commitment", commitment.shares, total, "每年不低于"))
    for group, shares, total, what in groups:
        for i, share in enumerate(shares):
            c.check(
                share.village in named,
                scope=scope,
                check="shares",
                disclosed=project.discrepancies,
                doc=doc,
                path=(group, "shares", i, "village"),
                zh="分配到的村不是本项目的确权村或受益村",
                en="a village's share goes to a village the project does not name",
                found=share.village,
                expected="beneficiaries 中的村",
            )
            if total is None and commitment is not None:
                c.check(
                    share.amount >= commitment.minimum_per_year,
                    scope=scope,
                    check="shares",
                    disclosed=project.discrepancies,
                    doc=doc,
                    path=(group, "shares", i, "amount"),
                    zh="该村的每年收益低于承诺的每村最低收益",
                    en="a village's yearly income is below the promised minimum per village",
                    found=f"{plain(share.amount)} 万元",
                    expected=f"不少于 {plain(commitment.minimum_per_year)} 万元",
                )
        if total is not None:
            summed = sum((s.amount for s in shares), ZERO)
            c.check(
                summed == total,
                scope=scope,
                check="shares",
                disclosed=project.discrepancies,
                doc=doc,
                path=(group, "shares"),
                zh=f"各村分配合计不等于{what}",
                en="the villages' shares do not sum to the promised total",
                found=f"{plain(summed)} 万元",
                expected=f"{plain(total)} 万元",
            )


def _audit_payments(c: _Checker, project: Project, doc: Document, scope: str) -> None:
    for i, payment in enumerate(project.dividends_paid):
        if not payment.villages:
            continue
        summed = sum((v.amount for v in payment.villages), ZERO)
        c.check(
            summed == payment.amount,
            scope=scope,
            check="payments",
            disclosed=project.discrepancies,
            doc=doc,
            path=("dividends_paid", i, "villages"),
            zh=f"{payment.year}年各村实收合计不等于实际分红",
            en="the villages' payments do not sum to the year's payment",
            found=f"{plain(summed)} 万元",
            expected=f"{plain(payment.amount)} 万元",
        )


# --- changes (调整变更): the chain of values ends at what the record says now ------------------------------


def _audit_changes(
    c: _Checker, record: Project | Plan, doc: Document, scope: str, disclosed: tuple[Discrepancy, ...]
) -> None:
    """Each change names a field of the record; for one field, each change starts where the previous one
    ended, and the last ends at the record's value (so totals after the change are the record's totals)."""
    last: dict[str, tuple[int, str | None]] = {}
    for i, change in enumerate(record.changes):
        where = ("changes", i)
        target = _resolve_path(record, change.field)
        if target is None:
            c.result.errors.append(
                ContentError(
                    doc.file,
                    doc.line_of((*where, "field")),
                    dotted((*where, "field")),
                    "变更字段不是这条记录中的字段",
                    "the changed field is not a field of this record",
                    change.field,
                    "记录中的字段名，如 investment、funding[0].amount（见填写指南的字段说明）",
                )
            )
            continue
        row, value = target
        previous = last.get(change.field)
        if previous is not None and change.before is not None and previous[1] is not None:
            c.check(
                _same(row, change.before, previous[1]),
                scope=scope,
                check="changes",
                disclosed=disclosed,
                doc=doc,
                path=(*where, "before"),
                zh="变更前的值与上一次变更后的值不一致",
                en="the value before this change differs from the value after the previous one",
                found=change.before,
                expected=f"{previous[1]}（第{previous[0] + 1}项变更后的值）",
            )
        last[change.field] = (i, change.after)
    for path, (i, after) in last.items():
        row, value = _resolve_path(record, path) or (None, None)
        if row is None or after is None or not _comparable(row):
            continue
        current = _text(value)
        c.check(
            current is not None and _same(row, after, current),
            scope=scope,
            check="changes",
            disclosed=disclosed,
            doc=doc,
            path=("changes", i, "after"),
            zh="最后一次变更后的值与记录中现在的值不一致",
            en="the value after the last change differs from the record's value",
            found=f"变更后 {after}；记录中 {path}: {current if current is not None else '（未填写）'}",
            expected=f"记录中的 {path} 写调整后的值 {after}",
        )


_WAN = re.compile(r"(?<![0-9.])([0-9]+(?:\.[0-9]+)?)[ ]*万元")


def _audit_promise_text(c: _Checker, project: Project, doc: Document, scope: str) -> None:
    """After an approved change of the yearly dividend, the benefit mechanism (联农带农机制) must not still promise
    the old amount: every page, notice and broadcast would then state two dividends."""
    text = project.benefit_mechanism
    moved = [(i, ch) for i, ch in enumerate(project.changes) if ch.field == "dividend.annual"]
    if not moved or not isinstance(text, str) or not stated(text):
        return
    i, change = moved[-1]
    before, after = change_amount(change.before), change_amount(change.after)
    amounts = [Decimal(m) for m in _WAN.findall(text)]
    if before is None or after is None or before == after or before not in amounts or after in amounts:
        return
    fixed = _WAN.sub(lambda m: f"{plain(after)}万元" if Decimal(m[1]) == before else m[0], text)
    c.check(
        False,
        scope=scope,
        check="changes",
        disclosed=project.discrepancies,
        doc=doc,
        path=("benefit_mechanism",),
        zh=f"联农带农机制仍写着调整前的每年分红 {plain(before)} 万元；保底分红已经批准调整为 {plain(after)} 万元"
        f"（changes 第{i + 1}项）",
        en="the benefit mechanism still states the yearly dividend before its approved change",
        found=text,
        expected=fixed,
        hint="把联农带农机制中的分红金额改为调整后的值（如“应为”所示），网站、公示单和广播稿上就只有一个分红金额。",
    )


def _resolve_path(record: BaseModel, path: str) -> tuple[FieldRow, Any] | None:
    """The registry row and the value of a field path such as funding[0].amount, or None when the path
    names no field of the record (or an entry it does not have)."""
    rows = rows_by_path(type(record))
    value: Any = record
    key = ""
    for part in path.split("."):
        name, _, index = part.partition("[")
        key = f"{key}.{name}" if key else name
        if key not in rows:
            return None
        value = getattr(value, name, None) if value is not None else None
        if index:
            if not rows[key].is_list:
                return None
            position = int(index.rstrip("]"))
            if value is None or position >= len(value):
                return None
            value = value[position]
            key += "[]"
    return rows[key.removesuffix("[]")] if key.endswith("[]") else rows[key], value


def _comparable(row: FieldRow) -> bool:
    """Fields whose value is one number, date or text (not a list, a group or a reference to resolve)."""
    return row.inner is None and not row.is_list and not row.spec.ref


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return plain(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).strip()


def _same(row: FieldRow, a: str, b: str) -> bool:
    if row.is_money or row.kind.startswith(("数字", "整数")):
        try:
            return parse_decimal(a) == parse_decimal(b)
        except Exception:  # not a number: compared as written below
            pass
    return " ".join(a.split()) == " ".join(b.split())


# --- disclosures: each one explains a failed check or names a field --------------------------------------

_CHECK_FIELDS = {
    "funding": "funding",
    "dividend": "dividend",
    "number": "number",
    "changes": "changes",
    "completion": "completion",
    "status": "completion",
    "line_items": "line_items",
    "shares": "dividend",
    "payments": "dividends_paid",
}
"""The field each project check is about: its disclosure is printed on the notices that show that field."""


def _stages_of(path: str | None) -> tuple[str, ...]:
    """The notices (by stage) that show a field of a record; every notice for the record as a whole."""
    if path is None:
        return STAGES
    top = path.split(".")[0].split("[")[0]
    row = rows_by_path(Project).get(top)
    if row is None or not row.on(Surface.NOTICE):
        return ()
    return tuple(stage for stage in STAGES if stage in row.stages)


def _check_stages(scope: str, check: str) -> tuple[str, ...]:
    if not scope.startswith("project:"):
        return ()  # the plan's and categories' figures are on the plan's pages, not a project's notice
    return _stages_of(_CHECK_FIELDS.get(check, check))


def _disclosures(
    c: _Checker,
    record: BaseModel,
    doc: Document,
    scope: str,
    disclosed: tuple[Discrepancy, ...],
    at: tuple,
) -> None:
    """A disclosure of a check must explain a failed check; a free-form one must name a field of the record
    (or none: then it is about the whole record). Free-form disclosures become public notes here."""
    for i, item in enumerate(disclosed):
        if item.check is not None:
            if id(item) not in c.used:
                c.result.errors.append(
                    ContentError(
                        doc.file,
                        doc.line_of((*at, i, "check")),
                        dotted((*at, i, "check")),
                        "这条差异说明没有对应的不一致：核对“" + item.check + "”已经通过",
                        f"this disclosure matches nothing: the {item.check} check passes",
                        item.check,
                        "只为核对不通过的项写 check；对某个字段的说明写 field",
                        "删除这一项，或改写为 field: 字段名 的说明。",
                    )
                )
            continue
        if item.field is not None and _resolve_path(record, item.field) is None:
            c.result.errors.append(
                ContentError(
                    doc.file,
                    doc.line_of((*at, i, "field")),
                    dotted((*at, i, "field")),
                    "说明的字段不是这条记录中的字段",
                    "the disclosure names no field of this record",
                    item.field,
                    "记录中的字段名，如 completion.surplus、targets[0]（见填写指南的字段说明）",
                )
            )
            continue
        what = _field_label(record, item.field)
        stages = _stages_of(item.field) if scope.startswith("project:") else ()
        c.result.notes.append(AuditNote(scope, None, what, item.note, item.kind, item.field, stages))


def _field_label(record: BaseModel, path: str | None) -> str:
    return "整条记录" if path is None else path_label(type(record), path)
