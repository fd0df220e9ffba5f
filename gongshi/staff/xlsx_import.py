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

from pydantic import ValidationError

from gongshi.content.explain import _MESSAGES
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
from gongshi.content.values import Texts, value_at
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
    split_list,
)
from gongshi.staff.record_file import new_record, update_record
from gongshi.staff.xlsx_read import Row, SheetError, cell_text, parse_amount, parse_date, read_rows

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


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


class _Context:
    """What rows are checked against: the plan, and the same References the loader resolves records with."""

    def __init__(self, site: Site, plan: Plan):
        self.site = site
        self.plan = plan
        self.references = References({p.id: p for p in site.plans}, site.units, site.place_index)

    def resolve(self, ref: str, text: str) -> str:
        """A name in a cell → the id or code a linked record holds; ValueError explains a name that names nothing."""
        refs = self.references
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

    def funding(self, text: str, investment: Decimal | None) -> tuple[dict, ...]:
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
            match = re.match(r"^(?P<name>.*?)[\s:：]*(?P<amount>[0-9０-９][0-9０-９.,，]*)?\s*(万元|万)?$", part)
            name = (match["name"] if match else part).strip()
            source = self.resolve("source", name)
            if match and match["amount"]:
                amount = parse_amount(match["amount"])
            elif len(parts) == 1 and investment is not None:
                amount = investment
            else:
                raise ValueError(
                    "多个资金来源时每个都要写金额，如“2025年东西部协作资金 1150；往年结余资金 52.310194” | "
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


def _parse_cell(row: Row, column: Column, raw: Any, ctx: _Context, investment: Decimal | None) -> tuple[Any, Any]:
    """A cell as (the value to write in the record, the value to compare with the linked record)."""
    text, field_row = cell_text(raw), column.row
    ref, inner = field_row.spec.ref, field_row.inner
    if inner is Funding:
        if investment is None and not re.search(r"\d", text):
            raise _Skip  # a fund source that names no amount of its own cannot be split without the investment
        funding = ctx.funding(text, investment)
        return funding, tuple((f["source"], f["amount"], f.get("batch"), f.get("date")) for f in funding)
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


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in re.split(r"[\n；;]+", text) if line.strip())


def _resolved_of(texts: Texts, project: Project) -> dict[str, Any]:
    """An existing (linked) project in the same terms as a parsed row."""
    out: dict[str, Any] = {}
    for column in COLUMNS:
        value = value_at(project, column.key)
        inner = column.row.inner
        if inner is Funding:
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
        target[group] = dict(target.get(group) or {})
        target = target[group]
    if value is None or value == ():
        target.pop(name, None)
    else:
        target[name] = list(value) if isinstance(value, tuple) else value
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
    plan = site.plan(plan_id) if plan_id else site.plans[0]
    ctx = _Context(site, plan)
    texts = Texts(site)
    rows, errors, totals = read_rows(xlsx)
    result.errors.extend(errors)
    existing = {p.id: p for p in site.projects}
    by_title = {p.title: p for p in site.projects if p.plan == plan.id}
    parsed_rows: list[tuple[Row, _Parsed]] = []
    for row in rows:
        row_errors: list[SheetError] = []
        parsed = _parse_row(row, ctx, row_errors)
        result.errors.extend(row_errors)
        parsed_rows.append((row, parsed))
    result.errors.extend(_check_totals(rows, parsed_rows, totals))
    seen: dict[str, int] = {}
    for row, parsed in parsed_rows:
        target = existing.get(parsed.fields.get("id") or "") or by_title.get(parsed.fields.get("title") or "")
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
        else:
            change = _create(row, parsed, plan, content_dir, root, existing, result.errors)
            if change is not None:
                seen[change.shown] = row.number
                result.changes.append(change)
    result.errors.sort()
    return result


def _update(
    row: Row, parsed: _Parsed, project: Project, root: Path, errors: list[SheetError], texts: Texts
) -> Change | None:
    current = _resolved_of(texts, project)
    changed = [k for k, v in parsed.resolved.items() if k != "id" and _differs(current.get(k), v)]
    if not changed:
        return None
    path = root / project.source
    text = path.read_text(encoding="utf-8")
    raw = dict(read_record_file(path, project.source).data)
    touched: dict[str, None] = {}
    body = None
    for key in changed:
        if key == "body":
            body = parsed.fields["body"] or ""
            continue
        touched[_apply(raw, key, parsed.fields[key])] = None
    if "investment" in changed and "funding" not in parsed.fields and len(project.funding) == 1:
        raw["funding"] = [{"source": project.funding[0].source, "amount": parsed.fields["investment"]}]
        touched["funding"] = None
    if not _valid(row, raw, body if body is not None else project.body, errors):
        return None
    new = update_record(text, {k: raw.get(k) for k in touched}, body)
    return Change(path, project.source, text, new, tuple(changed))


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
    amounts = {(r.sheet, r.number): p.fields.get("investment") for r, p in parsed}
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
        if any(a is None for a in members):
            continue  # an amount that failed to read is reported already
        actual = sum(members, Decimal(0))
        if actual != declared:
            errors.append(
                SheetError(
                    row.sheet,
                    row.number,
                    row.letters.get("investment", ""),
                    row.headers.get("investment", ""),
                    f"合计与各项目之和不符：表中为 {plain(declared)}，各项目相加为 {plain(actual)}",
                    f"total does not match its rows: {plain(declared)} written, {plain(actual)} summed",
                    found=plain(declared),
                )
            )
    return errors


def write_changes(changes: list[Change]) -> None:
    """Write every change (only called with --write, and only when there were no errors)."""
    for change in changes:
        change.path.parent.mkdir(parents=True, exist_ok=True)
        change.path.write_text(change.new, encoding="utf-8", newline="\n")
