"""Check that the money adds up: projects, categories, plan totals, sources and dividends; and across a
project's life: changes, completion accounts, line items, villages' shares. A failed check is an error
unless the record discloses it; every disclosure must match something."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from gongshi.content.fields import STAGES, FieldRow, Surface, path_label, rows_by_path
from gongshi.content.model import DONE, Discrepancy, Plan, Project
from gongshi.content.read import Document, dotted
from gongshi.content.site import AuditNote
from gongshi.errors import ContentError
from gongshi.money import parse_decimal, plain

ZERO = Decimal(0)


@dataclass
class AuditResult:
    errors: list[ContentError] = field(default_factory=list)
    notes: list[AuditNote] = field(default_factory=list)


@dataclass
class _Checker:
    """Records each failed check as an error, or as a public note where a discrepancy explains it."""

    result: AuditResult
    used: set[int] = field(default_factory=set)  # id() of each disclosure that explained a failed check

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
            self.used.add(id(explained))
            self.result.notes.append(
                AuditNote(scope, check, zh, explained.note, explained.kind, None, _check_stages(scope, check))
            )
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
    otherwise show up again as a wrong total; so is whether every disclosure explains something."""
    result = AuditResult()
    checker = _Checker(result)
    for project, doc in projects:
        _audit_project(checker, project, doc)
        _audit_lifecycle(checker, project, doc)
    for plan, doc in plans:
        _audit_changes(checker, plan, doc, f"plan:{plan.id}", plan.discrepancies)
    if not complete:
        return result
    for plan, doc in plans:
        members = [(p, d) for p, d in projects if p.plan == plan.id]
        _audit_plan(checker, plan, doc, members)
    for project, doc in projects:
        _disclosures(checker, project, doc, f"project:{project.id}", project.discrepancies, ("discrepancies",))
    for plan, doc in plans:
        _disclosures(checker, plan, doc, f"plan:{plan.id}", plan.discrepancies, ("discrepancies",))
        for i, category in enumerate(plan.categories):
            scope = f"category:{plan.id}/{category.id}"
            _disclosures(checker, plan, doc, scope, category.discrepancies, ("categories", i, "discrepancies"))
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


# --- a project's life: changes, completion, line items, villages' shares ------------------------------


def _audit_lifecycle(c: _Checker, project: Project, doc: Document) -> None:
    scope = f"project:{project.id}"
    _audit_changes(c, project, doc, scope, project.discrepancies)
    _audit_completion(c, project, doc, scope)
    _audit_line_items(c, project, doc, scope)
    _audit_shares(c, project, doc, scope)
    _audit_payments(c, project, doc, scope)


def _audit_completion(c: _Checker, project: Project, doc: Document, scope: str) -> None:
    """Investment − settled − management fee = the surplus the report states; a completed project's status."""
    done = project.completion
    if done is None:
        return
    if done.settled is not None and done.surplus is not None:
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
    c.check(
        project.status in (*DONE, "已终止"),
        scope=scope,
        check="status",
        disclosed=project.discrepancies,
        doc=doc,
        path=("status",),
        zh="已填写完工验收，但项目状态仍为“" + project.status + "”",
        en="completion is recorded but the status says the project is not finished",
        found=project.status,
        expected="、".join(DONE),
    )


def _audit_line_items(c: _Checker, project: Project, doc: Document, scope: str) -> None:
    if not project.line_items:
        return
    total = sum((item.amount for item in project.line_items), ZERO)
    c.check(
        total == project.investment,
        scope=scope,
        check="line_items",
        disclosed=project.discrepancies,
        doc=doc,
        path=("line_items",),
        zh="投资明细合计不等于规划投资",
        en="line items do not sum to the investment",
        found=f"{plain(total)} 万元",
        expected=f"{plain(project.investment)} 万元",
    )


def _audit_shares(c: _Checker, project: Project, doc: Document, scope: str) -> None:
    """Villages' stated shares: within the project's villages, and adding up to what is promised."""
    named = {*project.beneficiaries.asset_villages, *project.beneficiaries.villages}
    groups = []
    if project.dividend and project.dividend.shares:
        groups.append(("dividend", project.dividend.shares, project.dividend.annual, "每年分红"))
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
