"""`gongshi import --xlsx`: turn the rows of a 资金计划表 into record changes, checked against the content.

It never writes a record silently: `plan_import` only computes the changes (a diff per record);
`write_changes` writes them, and the command calls it only with --write and no errors.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter
from pydantic import ValidationError

from gongshi.content.explain import _MESSAGES, allowed_values
from gongshi.content.model import (
    Discrepancy,
    Dividend,
    Funding,
    Person,
    Plan,
    Project,
    Quantity,
    Target,
    VillageAmount,
)
from gongshi.content.read import read_record_file
from gongshi.content.resolve import References, Unresolved
from gongshi.content.site import Site
from gongshi.content.unstated import NOT_STATED, UNSTATED, Total, is_marker, stated, total
from gongshi.content.values import Texts, value_at
from gongshi.errors import display_path
from gongshi.money import plain
from gongshi.staff.fundtable import (
    BY_KEY,
    COLUMNS,
    Column,
    parse_discrepancies,
    parse_dividend,
    parse_entries,
    parse_person,
    parse_quantity,
    parse_targets,
    parse_village_amounts,
    sheet_title,
    split_list,
)
from gongshi.staff.record_file import dump, load, new_record, plain_nodes, split
from gongshi.staff.xlsx_read import Row, SheetError, cell_text, parse_amount, parse_date, read_rows

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
_ID_COLUMN = get_column_letter(next(i for i, c in enumerate(COLUMNS, start=1) if c.key == "id"))
"""The column `gongshi export` writes the 项目编号 in (A: the record's first field)."""


@dataclass
class Change:
    """What importing one row would do to one record file."""

    path: Path
    shown: str
    old: str | None
    new: str
    fields: tuple[str, ...] = ()

    @property
    def is_new(self) -> bool:
        return self.old is None

    def diff(self) -> str:
        old = (self.old or "").splitlines(keepends=True)
        new = self.new.splitlines(keepends=True)
        return "".join(
            difflib.unified_diff(old, new, "a/" + self.shown if self.old else "/dev/null", "b/" + self.shown)
        )


@dataclass
class ImportResult:
    changes: list[Change] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[SheetError] = field(default_factory=list)
    skipped: list[SheetError] = field(default_factory=list)  # rows and cells not imported, each by sheet and cell


class _Context:
    """What rows are checked against: the plan, and the same References the loader resolves records with."""

    def __init__(self, site: Site, plan: Plan):
        self.site = site
        self.plan = plan
        self.references = References({p.id: p for p in site.plans}, site.units, site.place_index)

    def resolve(self, ref: str, text: str) -> str:
        """A name in a cell → the id or code a linked record holds; ValueError explains a name that names nothing."""
        refs = self.references
        if ref == "category" and is_marker(text):  # the export names a category the document does not name so
            unnamed = [c.id for c in self.plan.categories if not stated(c.name)]
            if len(unnamed) == 1:
                return unnamed[0]
            raise ValueError(
                f"类别名称{NOT_STATED}，无法确定是哪个类别 | the category is not named||在“项目类别”列写类别的 id："
                + "、".join(unnamed)
            )
        try:
            if ref == "category":
                return refs.category(self.plan, text, by_name=True)
            if ref == "source":
                return refs.source(self.plan, text, by_name=True)
            if ref == "unit":
                return refs.unit(text)
            if ref in ("place", "village"):
                return refs.place(text, village=ref == "village").code
        except Unresolved as problem:
            hint = f"||{problem.hint}" if problem.hint else f"||可选：{problem.expected}"
            raise ValueError(f"{problem.zh} | {problem.en}{hint}") from None
        raise ValueError(f"unknown reference kind {ref}")

    def funding(self, text: str, investment: Decimal | str | None) -> tuple[dict, ...]:
        """The fund sources of a cell, each amount a Decimal or 原文件未列明 (as written in a record)."""
        parts = [p.strip() for p in re.split(r"[；;\n]+", text) if p.strip()]
        out = []
        for part in parts:
            batch = re.search(r"[（(](?P<details>[^（()）]*)[）)]\s*$", part)
            extra: dict = {}
            if batch and re.search(r"\d\s*(万元|万)?\s*$", part[: batch.start()]):
                part = part[: batch.start()].strip()
                for detail in re.split(r"[，,]", batch["details"]):
                    detail = detail.strip()
                    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", detail):
                        extra["date"] = parse_date(detail)
                    elif detail:
                        extra["batch"] = detail
            match = re.match(
                rf"^(?P<name>.*?)[\s:：]*(?:(?P<amount>[0-9０-９][0-9０-９.,，]*)?\s*(万元|万)?|(?P<unstated>{NOT_STATED}))$",
                part,
            )
            name = (match["name"] if match else part).strip()
            source = self.resolve("source", name)
            if match and match["unstated"]:
                amount = NOT_STATED  # the export writes an unstated amount so: it stays unstated
            elif match and match["amount"]:
                amount = parse_amount(match["amount"])
            elif len(parts) == 1 and investment is not None:
                amount = investment
            else:
                raise ValueError(
                    "多个资金来源时每个都要写金额，如“某某资金 1150；往年结余资金 52.5” | "
                    "give an amount for each fund source"
                )
            out.append({"source": source, "amount": amount, **extra})
        return tuple(out)


def _fail(row: Row, key: str, exc: Exception | str, found: Any = None) -> SheetError:
    message = str(exc)
    message, _, hint = message.partition("||")
    zh, _, en = message.partition(" | ")
    return SheetError(
        row.sheet,
        row.number,
        row.letters.get(key, ""),
        row.headers.get(key, BY_KEY[key].header),
        zh.strip(),
        (en or zh).strip(),
        found=None if found is None else cell_text(found),
        hint=hint or None,
    )


# --- rows → record changes ------------------------------------------------------------------------


@dataclass
class _Parsed:
    """A row read into field values: `fields` as they will be written, `resolved` as they compare."""

    fields: dict[str, Any] = field(default_factory=dict)
    resolved: dict[str, Any] = field(default_factory=dict)


def _parse_row(row: Row, ctx: _Context, errors: list[SheetError]) -> _Parsed:
    out = _Parsed()
    # A blank cell tells nothing: it never clears what a record already says.
    v = {k: value for k, value in row.values.items() if cell_text(value) != ""}
    category_text = cell_text(v.get("category")) or row.category_hint
    if category_text:
        v["category"] = category_text
    if "investment" in v:  # funding may need the amount: read it first
        try:
            if is_marker(v["investment"]):
                out.fields["investment"], out.resolved["investment"] = NOT_STATED, UNSTATED
            else:
                out.fields["investment"] = out.resolved["investment"] = parse_amount(v["investment"])
        except ValueError as exc:
            errors.append(_fail(row, "investment", exc, v["investment"]))
    for key, raw in v.items():
        if key == "investment":
            continue
        column = BY_KEY[key]
        try:
            out.fields[key], out.resolved[key] = _parse_cell(row, column, raw, ctx, out.fields.get("investment"))
        except _Skip:
            continue
        except ValueError as exc:
            blame = key if key != "category" or cell_text(row.values.get("category")) else "title"
            errors.append(_fail(row, blame, exc, raw))
        except _Failed as failed:
            errors.extend(failed.errors)
    return out


class _Skip(Exception):
    """A cell that cannot be read until another one is (funding without a readable amount)."""


class _Failed(Exception):
    def __init__(self, errors: list[SheetError]):
        self.errors = errors


def _parse_cell(row: Row, column: Column, raw: Any, ctx: _Context, investment: Decimal | str | None) -> tuple[Any, Any]:
    """A cell as (the value to write in the record, the value to compare with the linked record).
    原文件未列明 in a cell of a field the document may not state is written as such and compares as UNSTATED."""
    text, field_row = cell_text(raw), column.row
    ref, inner = field_row.spec.ref, field_row.inner
    if field_row.spec.document and is_marker(text):
        return NOT_STATED, UNSTATED
    if inner is Funding:
        if investment is None and not re.search(rf"\d|{NOT_STATED}", text):
            raise _Skip  # a fund source that names no amount of its own cannot be split without the investment
        funding = ctx.funding(text, investment)
        return funding, tuple((f["source"], _compared(f["amount"]), f.get("batch"), f.get("date")) for f in funding)
    if inner is Target:
        return parse_targets(text), _lines(text)
    if inner is Quantity:
        return parse_quantity(text), text or None
    if inner is Dividend:
        return parse_dividend(text), text or None
    if inner is Discrepancy:
        return parse_discrepancies(text), text or None
    if inner is Person:
        return parse_person(text), text or None
    if inner is VillageAmount:
        shares = parse_village_amounts(text)
        return shares, tuple((ctx.resolve("village", s["village"]), s["amount"]) for s in shares)
    if field_row.is_entries:  # any other list of entries, written with its fields' labels
        return parse_entries(text, inner, column.key), _lines(text)
    if ref and field_row.is_list:
        names = split_list(text)
        errors, resolved = [], []
        for name in names:
            try:
                resolved.append(ctx.resolve(ref, name))
            except ValueError as exc:
                errors.append(_fail(row, column.key, exc, name))
        if errors:
            raise _Failed(errors)
        return names, tuple(resolved)
    if ref:
        return (ctx.resolve(ref, text),) * 2 if ref == "category" else (text, ctx.resolve(ref, text))
    if field_row.is_money:
        amount = parse_amount(raw)
        return amount, amount
    if field_row.kind.startswith("日期"):
        date = parse_date(raw)
        return date, date
    if field_row.kind.startswith("整数"):
        if not text.isdigit():
            raise ValueError("应为整数 | expected a whole number")
        return int(text), int(text)
    return text or None, text or None


def _compared(value: Any) -> Any:
    """A value as written in a record → as the model holds it (原文件未列明 → UNSTATED)."""
    return UNSTATED if is_marker(value) else value


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in re.split(r"[\n；;]+", text) if line.strip())


def _resolved_of(texts: Texts, project: Project) -> dict[str, Any]:
    """An existing (linked) project in the same terms as a parsed row."""
    out: dict[str, Any] = {}
    for column in COLUMNS:
        value = value_at(project, column.key)
        inner = column.row.inner
        if value is UNSTATED:
            out[column.key] = UNSTATED
        elif inner is Funding:
            out[column.key] = tuple((f.source, f.amount, f.batch, f.date) for f in value)
        elif inner is VillageAmount:
            out[column.key] = tuple((v.village, v.amount) for v in value or ())
        elif inner is Target or (column.row.is_entries and inner not in (Discrepancy,)):
            out[column.key] = _lines(texts.value(project, column.row, value))
        elif inner in (Quantity, Dividend, Discrepancy, Person):
            out[column.key] = texts.value(project, column.row, value) or None
        elif isinstance(value, str):
            out[column.key] = value.strip() or None
        else:
            out[column.key] = value
    return out


# Order of fields in a new record, as the model lists them.
_RECORD_ORDER = tuple(n for n in Project.model_fields if n not in ("body", "source"))


def _apply(raw: dict[str, Any], key: str, value: Any) -> str:
    """Set one parsed field (a path such as beneficiaries.households) into raw record data; returns the
    top-level field it touched. Empty groups are removed."""
    *groups, name = key.split(".")
    target = raw
    for group in groups:
        if not isinstance(target.get(group), dict):  # an existing group is kept (a round-trip one with comments)
            target[group] = {}
        target = target[group]
    if value is None or value == ():
        target.pop(name, None)
    else:
        target[name] = plain_nodes(list(value) if isinstance(value, tuple) else value)
    for depth in range(len(groups), 0, -1):
        holder = raw
        for group in groups[: depth - 1]:
            holder = holder[group]
        if not holder[groups[depth - 1]]:
            holder.pop(groups[depth - 1])
    return key.split(".")[0]


def plan_import(
    site: Site, content_dir: Path, xlsx: Path, plan_id: str | None = None, root: Path | None = None
) -> ImportResult:
    """Every change importing the sheet would make, or the errors that prevent it."""
    root = root or content_dir.parent
    result = ImportResult()
    if plan_id is None and len(site.plans) != 1:
        result.errors.append(
            SheetError(
                xlsx.name,
                1,
                zh=f"有多个计划，请用 --plan 指定：{'、'.join(p.id for p in site.plans)}",
                en="several plans: choose one with --plan",
            )
        )
        return result
    ids = [p.id for p in site.plans]
    if plan_id is not None and plan_id not in ids:
        result.errors.append(
            SheetError(xlsx.name, 1, zh=f"没有计划 {plan_id}，可选：{'、'.join(ids)}", en=f"no plan {plan_id}")
        )
        return result
    plan = site.plan(plan_id) if plan_id else site.plans[0]
    ctx = _Context(site, plan)
    texts = Texts(site)
    sheets = read_rows(xlsx)
    own = sheet_title(plan.id)  # the sheet `gongshi export` writes for the plan, in a workbook of several
    if own in sheets.sheets and len(sheets.sheets) > 1:
        sheets.rows = [r for r in sheets.rows if r.sheet == own]
        sheets.totals = [t for t in sheets.totals if t[0].sheet == own]
        sheets.errors = [e for e in sheets.errors if e.sheet == own]
        sheets.skipped = [e for e in sheets.skipped if e.sheet == own]
        sheets.sheets = [own]
    rows, totals = sheets.rows, sheets.totals
    result.errors.extend(sheets.errors)
    result.skipped.extend(sheets.skipped)
    existing = {p.id: p for p in site.projects}
    by_title = {p.title: p for p in site.projects if p.plan == plan.id}
    if rows and not any("id" in row.letters for row in rows) and site.projects_of_plan(plan):
        result.errors.append(
            SheetError(
                rows[0].sheet,
                rows[0].number,
                zh="表中没有“项目编号”列：导入按项目编号对应记录，不按项目名称（改了名称的项目会被当成新项目）",
                en="no 项目编号 (id) column: rows are matched to records by id, never by title",
                hint=f"用 gongshi export 导出的表（{_ID_COLUMN} 列是项目编号），在其中修改后再导入。",
            )
        )
        return result
    parsed_rows: list[tuple[Row, _Parsed]] = []
    for row in rows:
        row_errors: list[SheetError] = []
        parsed = _parse_row(row, ctx, row_errors)
        result.errors.extend(row_errors)
        parsed_rows.append((row, parsed))
    # A sheet's subtotal or total that no longer matches its rows is reported, not imported: the plan's lines
    # are computed from the project rows (a stale subtotal after an edit in Excel must not block the import).
    result.skipped.extend(_check_totals(rows, parsed_rows, totals))
    seen: dict[str, int] = {}
    after: dict[str, tuple[str | None, Decimal | None, tuple | None]] = {}  # id → category, investment, funding
    for row, parsed in parsed_rows:
        target = existing.get(parsed.fields.get("id") or "")
        namesake = by_title.get(parsed.fields.get("title") or "")
        if target is None and not parsed.fields.get("id") and namesake is not None:
            result.errors.append(
                SheetError(
                    row.sheet,
                    row.number,
                    row.letters.get("id", ""),
                    row.headers.get("id", "项目编号"),
                    f"项目编号为空，但项目名称与已有项目 {namesake.id} 相同",
                    f"no id, but the title is that of project {namesake.id}",
                    found=namesake.title,
                    hint=f"如果是同一个项目，在项目编号列填写 {namesake.id}；如果是新项目，填写一个新的编号。",
                )
            )
            continue
        if target is not None and target.id in seen:
            result.errors.append(
                SheetError(
                    row.sheet,
                    row.number,
                    row.letters.get("title", ""),
                    "",
                    f"与第{seen[target.id]}行是同一个项目",
                    f"same project as row {seen[target.id]}",
                    found=target.id,
                )
            )
            continue
        if target is not None:
            seen[target.id] = row.number
            change = _update(row, parsed, target, root, result.errors, texts)
            if change is None:
                result.unchanged.append(target.source)
            else:
                result.changes.append(change)
            r = parsed.resolved
            after[target.id] = (
                r.get("category", target.category),
                r.get("investment", target.investment) if "investment" in r else target.investment,
                r.get("funding") or _funding_after(target, r.get("investment")),
            )
        else:
            change = _create(row, parsed, plan, content_dir, root, existing, result.errors)
            if change is not None:
                seen[change.shown] = row.number
                result.changes.append(change)
                r = parsed.resolved
                funding = r.get("funding") or (
                    ((plan.funding[0].id, r.get("investment")),) if len(plan.funding) == 1 else None
                )
                after[f"new:{change.shown}"] = (r.get("category"), r.get("investment"), funding)
    for project in site.projects_of_plan(plan):
        if project.id not in seen:
            result.skipped.append(
                SheetError(
                    sheets.sheets[0] if sheets.sheets else xlsx.name,
                    0,
                    zh=f"表中没有项目 {project.id}（{project.title}）：行被删除？导入不会删除记录，这个记录不变",
                    en=f"project {project.id} has no row (deleted?): its record is kept unchanged",
                )
            )
            after[project.id] = (
                project.category,
                project.investment,
                tuple((f.source, f.amount) for f in project.funding),
            )
    if not result.errors:
        plan_change = _plan_lines(site, plan, after, content_dir, root, result.errors)
        if plan_change is not None:
            result.changes.append(plan_change)
    result.errors.sort()
    return result


def _funding_after(project: Project, investment: Decimal | None) -> tuple | None:
    """A project's funding after its investment changed: its one source follows; several cannot be guessed."""
    if investment is None or investment == project.investment:
        return tuple((f.source, f.amount) for f in project.funding)
    if len(project.funding) == 1:
        return ((project.funding[0].source, investment),)
    return None


def _plan_id(path: Path) -> str | None:
    data = load(path.read_text(encoding="utf-8"))
    return str(data.get("id")) if isinstance(data, dict) else None


def _plan_lines(
    site: Site, plan: Plan, after: dict[str, tuple], content_dir: Path, root: Path, errors: list[SheetError]
) -> Change | None:
    """The plan file's category amounts and counts, fund source amounts, total and summary counts, rewritten to
    match the records as the import leaves them; refused, with the reason, where that would hide a difference."""
    from gongshi.content.figures import check_summary
    from gongshi.content.read import read_yaml_file

    sheet = plan.id
    if any(category is None or amount is None or funding is None for category, amount, funding in after.values()):
        return None  # an amount or source that could not be read is reported already
    before = {
        p.id: (p.category, p.investment, tuple((f.source, f.amount) for f in p.funding))
        for p in site.projects_of_plan(plan)
    }

    def by_category(values: dict[str, tuple], category: str) -> tuple[Total, int]:
        inside = [v for v in values.values() if v[0] == category]
        return total(v[1] for v in inside), len(inside)

    def by_source(values: dict[str, tuple], source: str) -> Total:
        return total(a for v in values.values() for s, a, *_ in v[2] if s == source)

    def follow(stated_line: Any, disclosed_here: bool, summed: Total | int) -> Any:
        """A plan line after the import: as published where the document does not state it (never filled in),
        where a public note keeps the document's own figure, or where a sum over a value the document does
        not state cannot be made; else what the records sum to."""
        if not stated(stated_line) or disclosed_here:
            return stated_line
        if isinstance(summed, Total):
            return summed.amount if summed.complete else stated_line
        return summed

    # Each plan line becomes what the records will sum to, except what a public note says the document itself
    # states differently (that stays as published). A line that must change but did not match the records
    # before the import either is a difference nobody has explained: the import refuses rather than hide it.
    disclosed = {d.check for d in plan.discrepancies}
    stuck: list[str] = []
    categories = []
    for category in plan.categories:
        notes = {d.check for d in category.discrepancies}
        now, now_n = by_category(after, category.id)
        amount = follow(category.amount, "category_amount" in notes, now)
        count = follow(category.count, "category_count" in notes, now_n)
        was, was_n = by_category(before, category.id)
        if (amount != category.amount and was.value != category.amount) or (
            count != category.count and was_n != category.count
        ):
            stuck.append(f"类别“{category.name}”")
        categories.append((amount, count))
    sources = []
    for source in plan.funding:
        amount = follow(source.amount, "source_total" in disclosed, by_source(after, source.id))
        if amount != source.amount and by_source(before, source.id).value != source.amount:
            stuck.append(f"资金来源“{source.name}”")
        sources.append(amount)
    plan_total = follow(plan.total, bool(disclosed & {"plan_total", "plan_funding"}), total(a for a, _ in categories))
    if plan_total != plan.total and total(c.amount for c in plan.categories).value != plan.total:
        stuck.append("计划总额")
    changed = (
        plan_total != plan.total
        or any(c.amount != a or c.count != n for c, (a, n) in zip(plan.categories, categories))
        or any(s.amount != a for s, a in zip(plan.funding, sources))
    )
    if not changed:
        return None
    path = next((f for f in sorted((content_dir / "plans").glob("*.yml")) if _plan_id(f) == plan.id), None)
    shown = display_path(path, root) if path else f"content/plans/{plan.id}.yml"
    if path is None or stuck:
        errors.append(
            SheetError(
                sheet,
                0,
                zh=f"导入会改变计划的{'、'.join(stuck) or '金额'}，但计划文件中这一项与记录本来就不一致（或有公开的差异说明）：没有写入",
                en="the import changes plan lines that already differ from the records: not written",
                hint=f"先运行 gongshi check 并改正 {shown}，或手工修改计划文件后再导入。",
            )
        )
        return None
    text = path.read_text(encoding="utf-8")
    data = load(text)
    for i, (amount, count) in enumerate(categories):
        data["categories"][i]["amount"] = _written(amount)
        data["categories"][i]["count"] = _written(count)
    for i, amount in enumerate(sources):
        data["funding"][i]["amount"] = _written(amount)
    data["total"] = _written(plan_total)
    if plan.summary and "summary" not in disclosed:  # a disclosed summary keeps the document's words
        doc = read_yaml_file(path, shown)
        for problem in check_summary(plan, doc, len(after), plan_total if isinstance(plan_total, Decimal) else None):
            data["summary"] = str(data["summary"]).replace(problem.found, problem.expected)
    return Change(path, shown, text, dump(data), ("total", "categories", "funding"))


def _written(value: Any) -> Any:
    """A value as a record writes it (UNSTATED → 原文件未列明)."""
    return NOT_STATED if value is UNSTATED else value


def _update(
    row: Row, parsed: _Parsed, project: Project, root: Path, errors: list[SheetError], texts: Texts
) -> Change | None:
    current = _resolved_of(texts, project)
    changed = [k for k, v in parsed.resolved.items() if k != "id" and _differs(current.get(k), v)]
    if not changed:
        return None
    if "investment" in changed and "funding" in parsed.fields and "funding" not in changed:
        # The fund source cell still says what the record says (as exported): the edit was to the investment.
        if not _follow_investment(row, parsed, project, errors):
            return None
        changed.append("funding")
    path = root / project.source
    text = path.read_text(encoding="utf-8")
    raw = dict(read_record_file(path, project.source).data)  # plain values, to validate
    front, rest = split(text)
    data = load(front)  # the same fields with their comments and order, to write
    body = None
    for key in changed:
        if key == "body":
            body = parsed.fields["body"] or ""
            continue
        _apply(raw, key, parsed.fields[key])
        _apply(data, key, parsed.fields[key])
    if "investment" in changed:
        investment = parsed.fields["investment"]
        if "funding" not in parsed.fields:
            if len(project.funding) != 1:
                errors.append(
                    _fail(
                        row,
                        "investment",
                        "投资额改了，但这个项目有多个资金来源，无法确定各来源的金额；请在“资金来源”列写明各来源的金额 | "
                        "the investment changed and the project has several fund sources: give each one's amount",
                        parsed.fields["investment"],
                    )
                )
                return None
            for holder in (raw, data):
                _apply(holder, "funding", [{"source": project.funding[0].source, "amount": investment}])
    if not _valid(row, raw, body if body is not None else project.body, errors):
        return None
    if body is not None:
        rest = f"{body.strip()}\n" if body.strip() else ""
    new = f"---\n{dump(data)}---\n{rest}"
    return Change(path, project.source, text, new, tuple(changed))


def _follow_investment(row: Row, parsed: _Parsed, project: Project, errors: list[SheetError]) -> bool:
    """The investment cell was edited, the fund source cell left as exported: a single source follows the new
    investment (its batch and date kept); several cannot be guessed, and the row is refused naming both cells."""
    investment = parsed.fields["investment"]
    funding = parsed.fields["funding"]
    if len(funding) == 1:
        parsed.fields["funding"] = ({**funding[0], "amount": investment},)
        source, _amount, *rest = parsed.resolved["funding"][0]
        parsed.resolved["funding"] = ((source, _compared(investment), *rest),)
        return True
    cell = f"{row.sheet}!{row.letters.get('investment', '')}{row.number}"
    sources = f"{row.sheet}!{row.letters.get('funding', '')}{row.number}"
    errors.append(
        _fail(
            row,
            "funding",
            f"投资额（{cell}）改了，但资金来源（{sources}）仍是原来的金额；这个项目有{len(funding)}个资金来源，"
            f"无法确定各来源的新金额，没有写入任何文件 | the investment ({cell}) changed but the fund sources "
            f"({sources}) keep the old amounts; the project has {len(funding)} sources: nothing written"
            f"||在 {sources} 写明各来源的新金额（相加等于 {_shown(investment)}），或把 {cell} 改回 {_shown(project.investment)}。",
            cell_text(row.values.get("funding")),
        )
    )
    return False


def _shown(amount: Any) -> str:
    return plain(amount) if isinstance(amount, Decimal) else str(amount)


def _differs(old: Any, new: Any) -> bool:
    if isinstance(old, Decimal) and isinstance(new, Decimal):
        return old != new
    if isinstance(old, tuple) and isinstance(new, tuple):
        return len(old) != len(new) or any(_differs(a, b) for a, b in zip(old, new))
    return old != new


def _create(
    row: Row,
    parsed: _Parsed,
    plan: Plan,
    content_dir: Path,
    root: Path,
    existing: dict[str, Project],
    errors: list[SheetError],
) -> Change | None:
    fields = parsed.fields
    number = fields.get("number") or ""
    project_id = fields.get("id") or f"{plan.id}-{''.join(ch for ch in number if ch.isdigit())}".lower()
    if not _SLUG.match(project_id) or project_id.endswith("-") or project_id in existing:
        errors.append(
            SheetError(
                row.sheet,
                row.number,
                row.letters.get("id", ""),
                row.headers.get("id", "项目编号"),
                "无法为新项目确定编号（请加“项目编号”列并填写小写英文编号）",
                "cannot choose an id for the new project: add a 项目编号 column",
                found=project_id,
            )
        )
        return None
    raw: dict[str, Any] = {"id": project_id, "plan": plan.id}
    for key, value in fields.items():
        if key not in ("id", "body"):
            _apply(raw, key, value)
    if "funding" not in raw and "investment" in raw and len(plan.funding) == 1:
        raw["funding"] = [{"source": plan.funding[0].id, "amount": raw["investment"]}]
    raw["status"] = raw.get("status", "计划")
    if not _valid(row, raw, fields.get("body") or "", errors):
        return None
    ordered = {k: raw[k] for k in _RECORD_ORDER if k in raw and raw[k] not in ([], {}, (), None)}
    digits = str(raw["order"]) if raw.get("order") else "".join(ch for ch in number if ch.isdigit())
    name = f"{int(digits):02d}-{project_id}.md" if digits else f"{project_id}.md"
    path = content_dir / "projects" / name
    shown = (
        path.resolve().relative_to(root.resolve()).as_posix()
        if path.resolve().is_relative_to(root.resolve())
        else path.as_posix()
    )
    if path.exists():
        errors.append(
            SheetError(
                row.sheet, row.number, "", "", "文件已存在，不会覆盖", "file exists; not overwritten", found=shown
            )
        )
        return None
    return Change(path, shown, None, new_record(ordered, fields.get("body") or ""), tuple(fields))


def _valid(row: Row, raw: dict[str, Any], body: str, errors: list[SheetError]) -> bool:
    """Validate the record the row would produce; report pydantic's errors against the row's cells.
    A field missing because its cell could not be read is reported once, for the cell."""
    unreadable = any(e.sheet == row.sheet and e.row == row.number for e in errors)
    try:
        Project.model_validate({**raw, "body": body})
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            if unreadable and err["type"] == "missing":
                continue
            top = str(err["loc"][0])
            key = _column_of(err["loc"])
            zh, _, en = err["msg"].partition(" | ")
            if err["type"] in _MESSAGES:
                zh, en, _expected = _MESSAGES[err["type"]]
            if err["type"] == "missing":
                zh, en = (
                    f"缺少必填的“{BY_KEY[top].header if top in BY_KEY else top}”",
                    f"required field `{top}` is missing",
                )
            errors.append(
                SheetError(
                    row.sheet,
                    row.number,
                    row.letters.get(key, ""),
                    row.headers.get(key, ""),
                    zh,
                    en or zh,
                    found=None if err["type"] == "missing" else cell_text(err.get("input")),
                    hint="可写：" + allowed_values(str((err.get("ctx") or {}).get("expected", "")))
                    if err["type"] == "literal_error"
                    else None,
                )
            )
        return False
    return True


def _column_of(loc: tuple) -> str:
    """The column that holds the field a validation error is about: the longest field path with a column
    (beneficiaries.households for an error in its value), else the project name's column."""
    names = [str(part) for part in loc if not isinstance(part, int)]
    for end in range(len(names), 0, -1):
        key = ".".join(names[:end])
        if key in BY_KEY:
            return key
    return "title"


def _check_totals(
    rows: list[Row], parsed: list[tuple[Row, _Parsed]], totals: list[tuple[Row, str, Decimal | None]]
) -> list[SheetError]:
    """A category heading's or subtotal's amount must equal its rows; a 合计 row, all rows of its sheet."""
    errors = []
    amounts = {(r.sheet, r.number): p.resolved.get("investment") for r, p in parsed}
    for index, (row, kind, declared) in enumerate(totals):
        if declared is None:
            continue
        same_sheet = [(r, a) for (s, r), a in amounts.items() if s == row.sheet]
        if kind == "heading":
            later = [t[0].number for t in totals[index + 1 :] if t[0].sheet == row.sheet]
            end = min(later) if later else 10**9
            members = [a for r, a in same_sheet if row.number < r < end]
        elif "小计" in kind:
            earlier = [t[0].number for t in totals[:index] if t[0].sheet == row.sheet]
            start = max(earlier) if earlier else 0
            members = [a for r, a in same_sheet if start < r < row.number]
        else:
            members = [a for r, a in same_sheet]
        summed = total(members)
        if not summed.complete:
            continue  # an amount that failed to read is reported already; one not stated cannot be added
        actual = summed.amount
        if actual != declared:
            errors.append(
                SheetError(
                    row.sheet,
                    row.number,
                    row.letters.get("investment", ""),
                    row.headers.get("investment", ""),
                    f"合计与各项目之和不符：表中为 {plain(declared)}，各项目相加为 {plain(actual)}；"
                    "这个合计没有导入，计划的金额按各项目行计算",
                    f"total does not match its rows: {plain(declared)} written, {plain(actual)} summed; "
                    "not imported, the plan's amounts come from the project rows",
                    found=plain(declared),
                )
            )
    return errors


def write_changes(changes: list[Change]) -> None:
    """Write every change (only called with --write, and only when there were no errors)."""
    for change in changes:
        change.path.parent.mkdir(parents=True, exist_ok=True)
        change.path.write_text(change.new, encoding="utf-8", newline="\n")


def annotate(xlsx: Path, out: Path, problems: list[SheetError]) -> int:
    """A copy of the workbook with each problem as a comment on its cell (or on the row's first cell);
    formulas and formatting stay. Returns the number of comments written."""
    from openpyxl import load_workbook
    from openpyxl.comments import Comment

    workbook = load_workbook(xlsx)
    written = 0
    for problem in problems:
        if problem.sheet not in workbook.sheetnames or problem.row < 1:
            continue
        cell = workbook[problem.sheet][f"{problem.column or 'A'}{problem.row}"]
        text = f"{problem.zh}" + (f"\n发现：{problem.found}" if problem.found else "")
        text += f"\n建议：{problem.hint}" if problem.hint else ""
        previous = cell.comment.text + "\n" if cell.comment else ""
        cell.comment = Comment(previous + text, "gongshi", width=320, height=160)
        written += 1
    workbook.save(out)
    return written
