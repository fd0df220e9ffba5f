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
from gongshi.content.model import Plan, Project, Unit
from gongshi.content.places import PlaceIndex, UnknownPlace
from gongshi.content.read import read_record_file
from gongshi.content.site import Site
from gongshi.money import plain
from gongshi.staff.fundtable import (
    BY_KEY,
    discrepancies_text,
    dividend_text,
    parse_discrepancies,
    parse_dividend,
    parse_quantity,
    parse_targets,
    quantity_text,
    split_list,
    targets_text,
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
    """What rows are checked against: the plan, units, places and existing records."""

    def __init__(self, site: Site, plan: Plan):
        self.site = site
        self.plan = plan
        self.places = PlaceIndex(site.gazetteer)
        self.units: dict[str, Unit] = {}
        for unit in site.units:
            for name in (unit.id, unit.name, unit.full_name, *unit.aliases):
                if name:
                    self.units[name] = unit

    def category(self, text: str) -> str:
        for c in self.plan.categories:
            if text in (c.id, c.name):
                return c.id
        names = [c.name for c in self.plan.categories]
        close = difflib.get_close_matches(text, names, n=1, cutoff=0.4)
        raise ValueError(
            f"类别不在计划 {self.plan.id} 中 | unknown category"
            + (f"||是否应为 {close[0]}？" if close else f"||可选：{'、'.join(names)}")
        )

    def unit(self, name: str) -> str:
        if name in self.units:
            return self.units[name].id
        close = difflib.get_close_matches(name, list(self.units), n=3, cutoff=0.4)
        raise ValueError(
            "单位不在 units.yml 中 | unit is not in units.yml"
            + (
                f"||是否应为 {'、'.join(close)}？新单位请先加到 content/units.yml。"
                if close
                else "||新单位请先加到 content/units.yml。"
            )
        )

    def place(self, name: str) -> str:
        try:
            return self.places.resolve(name).code
        except UnknownPlace as exc:
            hint = f"||是否应为 {'、'.join(exc.suggestions)}？" if exc.suggestions else ""
            raise ValueError(f"地名不在 places.yml 中 | place is not in places.yml{hint}") from None

    def village(self, name: str) -> str:
        try:
            place = self.places.resolve(name)
        except UnknownPlace as exc:
            hint = f"||是否应为 {'、'.join(exc.suggestions)}？" if exc.suggestions else ""
            raise ValueError(f"村名不在 places.yml 中 | village is not in places.yml{hint}") from None
        if not place.is_village:
            raise ValueError("这里应写村，不是乡镇 | a village is expected here, not a township")
        return place.code

    def funding(self, text: str, investment: Decimal | None) -> tuple[dict, ...]:
        parts = [p.strip() for p in re.split(r"[；;\n]+", text) if p.strip()]
        out = []
        for part in parts:
            match = re.match(r"^(?P<name>.*?)[\s:：]*(?P<amount>[0-9０-９][0-9０-９.,，]*)?\s*(万元|万)?$", part)
            name = (match["name"] if match else part).strip()
            source = self._source(name)
            if match and match["amount"]:
                amount = parse_amount(match["amount"])
            elif len(parts) == 1 and investment is not None:
                amount = investment
            else:
                raise ValueError(
                    "多个资金来源时每个都要写金额，如“2025年东西部协作资金 1150；往年结余资金 52.310194” | "
                    "give an amount for each fund source"
                )
            out.append({"source": source, "amount": amount})
        return tuple(out)

    def _source(self, name: str) -> str:
        for s in self.plan.funding:
            if name in (s.id, s.name):
                return s.id
        partial = [s for s in self.plan.funding if name and (name in s.name or s.name in name)]
        if len(partial) == 1:
            return partial[0].id
        names = "、".join(s.name for s in self.plan.funding)
        raise ValueError(f"资金来源不在计划 {self.plan.id} 中 | unknown fund source||可选：{names}")


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
    for key in ("number", "title", "location", "period", "benefit_mechanism", "body", "id", "status", "operation"):
        if key in v:
            text = cell_text(v[key]) or None
            out.fields[key] = out.resolved[key] = text
    if "investment" in v:
        try:
            out.fields["investment"] = out.resolved["investment"] = parse_amount(v["investment"])
        except ValueError as exc:
            errors.append(_fail(row, "investment", exc, v["investment"]))
    category_text = cell_text(v.get("category")) or row.category_hint
    if category_text:
        try:
            out.fields["category"] = out.resolved["category"] = ctx.category(category_text)
        except ValueError as exc:
            key = "category" if cell_text(v.get("category")) else "title"
            errors.append(_fail(row, key, exc, category_text))
    # Without a readable amount, a fund source that names no amount of its own cannot be split; skip it.
    if cell_text(v.get("funding")) and ("investment" in out.fields or re.search(r"\d", cell_text(v["funding"]))):
        try:
            funding = ctx.funding(cell_text(v["funding"]), out.fields.get("investment"))
            out.fields["funding"] = funding
            out.resolved["funding"] = tuple((f["source"], f["amount"]) for f in funding)
        except ValueError as exc:
            errors.append(_fail(row, "funding", exc, v["funding"]))
    if "responsible_units" in v:
        names = split_list(cell_text(v["responsible_units"]))
        out.fields["responsible_units"] = names
        out.resolved["responsible_units"] = _resolve_all(row, "responsible_units", names, ctx.unit, errors)
    if "owner_unit" in v:
        name = cell_text(v["owner_unit"]) or None
        out.fields["owner_unit"] = name
        out.resolved["owner_unit"] = _resolve_all(row, "owner_unit", (name,), ctx.unit, errors)[0] if name else None
    for key in ("asset_villages", "villages"):
        if key in v:
            names = split_list(cell_text(v[key]))
            out.fields[key] = names
            out.resolved[key] = _resolve_all(row, key, names, ctx.village, errors)
    parsers = (
        ("households", parse_quantity),
        ("people", parse_quantity),
        ("dividend", parse_dividend),
        ("discrepancies", parse_discrepancies),
    )
    for key, parse in parsers:
        if key in v:
            try:
                out.fields[key] = parse(cell_text(v[key]))
                out.resolved[key] = cell_text(v[key]) or None
            except ValueError as exc:
                errors.append(_fail(row, key, exc, v[key]))
    if "beneficiaries_note" in v:
        out.fields["beneficiaries_note"] = out.resolved["beneficiaries_note"] = (
            cell_text(v["beneficiaries_note"]) or None
        )
    if "order" in v:
        text = cell_text(v["order"])
        if text and not text.isdigit():
            errors.append(_fail(row, "order", "应为整数 | expected a whole number", v["order"]))
        else:
            out.fields["order"] = out.resolved["order"] = int(text) if text else None
    if "deadline" in v:
        try:
            out.fields["deadline"] = out.resolved["deadline"] = parse_date(v["deadline"])
        except ValueError as exc:
            errors.append(_fail(row, "deadline", exc, v["deadline"]))
    if "places" in v:
        names = split_list(cell_text(v["places"]))
        out.fields["places"] = names
        out.resolved["places"] = _resolve_all(row, "places", names, ctx.place, errors)
    if "targets" in v:
        out.fields["targets"] = parse_targets(cell_text(v["targets"]))
        out.resolved["targets"] = _target_lines(cell_text(v["targets"]))
    return out


def _resolve_all(row: Row, key: str, names: tuple, resolve, errors: list[SheetError]) -> tuple:
    resolved = []
    for name in names:
        try:
            resolved.append(resolve(name))
        except ValueError as exc:
            errors.append(_fail(row, key, exc, name))
    return tuple(resolved)


def _target_lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in re.split(r"[\n；;]+", text) if line.strip())


def _resolved_of(project: Project) -> dict[str, Any]:
    """An existing (linked) project in the same terms as a parsed row."""
    b = project.beneficiaries
    return {
        "number": project.number,
        "title": project.title,
        "location": project.location,
        "period": project.period,
        "benefit_mechanism": project.benefit_mechanism,
        "body": project.body.strip() or None,
        "id": project.id,
        "investment": project.investment,
        "category": project.category,
        "funding": tuple((f.source, f.amount) for f in project.funding),
        "responsible_units": project.responsible_units,
        "owner_unit": project.owner_unit,
        "asset_villages": b.asset_villages,
        "villages": b.villages,
        "places": project.places,
        "households": quantity_text(b.households) or None,
        "people": quantity_text(b.people) or None,
        "beneficiaries_note": b.description,
        "deadline": project.deadline,
        "status": project.status,
        "operation": project.operation,
        "dividend": dividend_text(project.dividend) or None,
        "order": project.order,
        "discrepancies": discrepancies_text(project.discrepancies) or None,
        "targets": _target_lines(targets_text(project.targets)),
    }


# Order of fields in a new record, as the model lists them.
_RECORD_ORDER = tuple(n for n in Project.model_fields if n not in ("body", "source"))


_BENEFICIARY_KEYS = {
    "asset_villages": "asset_villages",
    "villages": "villages",
    "households": "households",
    "people": "people",
    "beneficiaries_note": "description",
}


def _apply(raw: dict[str, Any], key: str, value: Any) -> str:
    """Set one parsed field into raw record data; returns the top-level field it touched."""
    if key in _BENEFICIARY_KEYS:
        beneficiaries = dict(raw.get("beneficiaries") or {})
        beneficiaries[_BENEFICIARY_KEYS[key]] = list(value) if isinstance(value, tuple) else value
        raw["beneficiaries"] = {k: v for k, v in beneficiaries.items() if v not in ([], None)}
        return "beneficiaries"
    if value is None:
        raw.pop(key, None)
    else:
        raw[key] = list(value) if isinstance(value, tuple) else value
    return key


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
            change = _update(row, parsed, target, root, result.errors)
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


def _update(row: Row, parsed: _Parsed, project: Project, root: Path, errors: list[SheetError]) -> Change | None:
    current = _resolved_of(project)
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


_FIELD_COLUMN = {"beneficiaries": "asset_villages"}


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
            inner = {v: k for k, v in _BENEFICIARY_KEYS.items()}
            key = (
                inner.get(str(err["loc"][1]), "asset_villages")
                if top == "beneficiaries" and len(err["loc"]) > 1
                else _FIELD_COLUMN.get(top, top)
            )
            key = key if key in BY_KEY else "title"
            zh, _, en = err["msg"].partition(" | ")
            if err["type"] in _MESSAGES:
                zh, en, _expected = _MESSAGES[err["type"]]
            if err["type"] == "missing":
                zh, en = (
                    f"缺少必填的“{BY_KEY.get(top, BY_KEY['title']).header if top in BY_KEY else top}”",
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
