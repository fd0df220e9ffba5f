"""`gongshi import --table`: a county's own project table (any layout) → its records, plan lines and units.

Nothing is invented by hand and nothing is dropped silently: ids come from the plan's year and the 序号
(2026-017); categories (项目类型), units (责任单位, 业主单位) and fund sources (其中：… columns) are created from the
table's words and listed; place names are matched against places.yml (a village written without 村, a township
written without 镇/乡), unmatched ones listed by cell; an empty cell of a document field is 原文件未列明, never 0;
合计 / 小计 rows are totals the table declares, audited against its rows, never projects. Every unmapped column
is listed. Like `import --xlsx` it only computes changes; `write_changes` writes them (with --write).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from gongshi.content.fields import spec_of
from gongshi.content.model import Plan, Project
from gongshi.content.places import UnknownPlace
from gongshi.content.read import read_record_file
from gongshi.content.resolve import References, Unresolved, suggested
from gongshi.content.site import Site
from gongshi.content.unstated import NOT_STATED
from gongshi.errors import display_path
from gongshi.money import plain
from gongshi.staff.county_table import Header, Table, find_header, read_tables, text_of
from gongshi.staff.fundtable import parse_targets, split_list
from gongshi.staff.record_file import dump, load, new_record, plain_nodes, update_record
from gongshi.staff.xlsx_import import Change
from gongshi.staff.xlsx_read import SheetError, parse_amount

_TOTAL = ("合计", "总计", "小计")
_HEADING = re.compile(r"^\s*[一二三四五六七八九十]+\s*[、.．]\s*(?P<name>[^（(]+)")
_RESTARTED = "原表按类别分段编号，各类别的序号都从1开始，因此与其他类别的项目序号相同"
_NOTE_ROW = re.compile(r"^\s*(注|备注|说明|附注|填表|制表|审核|单位[:：])")
_WHOLE_COUNTY = re.compile(r"全县|各乡镇|各村|县城|县域|相关乡镇|县级")
# Fields read with their own rules; any other field a column holds is text as written.
_HANDLED = frozenset(
    {"id", "number", "category", "title", "location", "investment", "total_investment", "responsible_units", "targets",
     "body", "county", "funding_text", "ignore"}
)  # fmt: skip


@dataclass(frozen=True, order=True)
class Problem:
    """A message about one cell (or row, or column) of the table, in Chinese and English."""

    where: str  # Sheet!C5, or 表1 第5行第3列
    zh: str
    en: str = ""
    found: str | None = None
    hint: str | None = None
    sheet: str = field(default="", compare=False)
    row: int = field(default=0, compare=False)  # 1-based, for the workbook's comments
    column: str = field(default="", compare=False)

    def format(self) -> str:
        out = f"{self.where}: {self.zh}" + (f" / {self.en}" if self.en else "")
        if self.found is not None:
            out += f"\n    发现 found: {self.found}"
        if self.hint:
            out += f"\n    建议 hint: {self.hint}"
        return out

    def as_sheet_error(self) -> SheetError:
        return SheetError(self.sheet, self.row, self.column, "", self.zh, self.en, self.found, self.hint)


@dataclass
class TableResult:
    """What importing the table would do, and everything the clerk should know about it."""

    changes: list[Change] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)  # block writing
    notes: list[Problem] = field(default_factory=list)  # listed; the import goes on
    unmapped: list[Problem] = field(default_factory=list)  # columns no field takes
    unmatched_places: list[Problem] = field(default_factory=list)
    totals: list[Problem] = field(default_factory=list)  # each 合计 / 小计 row and how it compares
    created: dict[str, list[str]] = field(default_factory=dict)  # 类别 / 单位 / 资金来源 → names made
    mapped: dict[str, str] = field(default_factory=dict)  # heading → field, for the report
    rows: int = 0

    @property
    def problems(self) -> list[Problem]:
        return self.errors + self.notes + self.unmapped + self.unmatched_places + self.totals


@dataclass
class _Row:
    table: Table
    index: int  # 0-based row of the grid
    values: dict[str, Any]
    parts: dict[str, Any]
    cols: dict[str, int]
    heading: str | None = None

    def ref(self, key: str | None = None) -> str:
        return self.table.ref(self.index, self.cols.get(key, 0) if key else 0)

    def problem(self, key: str | None, zh: str, en: str = "", **kw: Any) -> Problem:
        col = self.cols.get(key, 0) if key else 0
        letter = self.table.letter(col) if self.table.kind == "xlsx" else ""
        return Problem(
            self.table.ref(self.index, col) if key else f"{self.table.name} 第{self.index + 1}行",
            zh,
            en,
            sheet=self.table.name,
            row=self.index + 1,
            column=letter,
            **kw,
        )


@dataclass
class _Total:
    row: _Row
    kind: str  # 合计 / 小计 / heading
    amounts: dict[str, Decimal | None]
    members: list[_Row] = field(default_factory=list)


def parse_map(items: list[str] | None) -> dict[str, str]:
    """--map 列名=field (repeatable) → heading → field; a field must be a record's (or `ignore`)."""
    out = {}
    for item in items or ():
        name, sep, key = item.partition("=")
        key = key.strip()
        if not sep or not name.strip() or not key:
            raise ValueError(f"--map 应写作 列名=字段，如 --map 建设规模=body | write --map HEADING=field: {item}")
        if key not in Project.model_fields and key not in ("county", "funding_text", "ignore"):
            raise ValueError(
                f"--map {item}：没有字段 {key}（字段名见填写指南“字段说明”，不导入的列写 ignore） | unknown field {key}"
            )
        out[name.strip()] = key
    return out


# --- reading rows -------------------------------------------------------------------------------------------------


def _rows(tables: list[Table], mapping: dict[str, str], result: TableResult) -> tuple[list[_Row], list[_Total]]:
    rows: list[_Row] = []
    totals: list[_Total] = []
    found = False
    for table in tables:
        header = find_header(table, mapping)
        if header is None:
            continue
        found = True
        _list_columns(table, header, result)
        cols = {key: c for c, key in header.columns.items()}
        heading: str | None = None
        open_rows: list[_Row] = []
        for r in range(header.last + 1, len(table.grid)):
            line = table.grid[r]
            if all(text_of(v) == "" for v in line):
                continue
            values = {key: line[c] for c, key in header.columns.items()}
            parts = {header.parts[c]: line[c] for c in header.parts}
            row = _Row(table, r, values, parts, {**cols, **{f"part:{n}": c for c, n in header.parts.items()}})
            for c in (c for c in (*header.columns, *header.parts) if (r, c) in table.uncalculated):
                result.errors.append(
                    Problem(
                        table.ref(r, c),
                        "公式没有计算结果：在 Excel 中打开、保存后再导入",
                        "a formula without a calculated value: open and save the file in Excel",
                        found=table.uncalculated[(r, c)],
                        sheet=table.name,
                        row=r + 1,
                        column=table.letter(c),
                    )
                )
            title, number = text_of(values.get("title")), text_of(values.get("number"))
            label = number if not number.isdigit() and number else title
            label = label or next((text_of(v) for v in line if text_of(v)), "")
            if _NOTE_ROW.match(label) and not number.isdigit():
                result.notes.append(row.problem(None, "说明行，没有导入", "a note row: not imported", found=label[:60]))
                continue
            total_word = None
            if not number.isdigit():  # a row with a 序号 is a project, whatever its name says
                total_word = next((w for w in _TOTAL if w in number or w in title[:6] or w in label[:6]), None)
            match = _HEADING.match(label)
            if total_word or (match and not number.isdigit()):
                amounts = {k: _quiet(values.get(k)) for k in ("investment", "total_investment")}
                amounts.update({f"part:{n}": _quiet(v) for n, v in parts.items()})
                if total_word:
                    kind = "小计" if total_word == "小计" else "合计"
                    totals.append(_Total(row, kind, amounts, list(open_rows) if kind == "小计" else []))
                    if kind == "小计":
                        open_rows = []
                else:
                    heading = match["name"].strip()
                    totals.append(_Total(row, "heading", amounts))
                    open_rows = []
                continue
            if not title:
                result.errors.append(
                    row.problem(
                        "title",
                        "缺少项目名称",
                        "project name is missing",
                        found=label or None,
                        hint="项目行要填写项目名称；合计行请写“合计”或“小计”。",
                    )
                )
                continue
            row.heading = heading
            rows.append(row)
            open_rows.append(row)
        for total in totals:
            if total.kind == "合计" and total.row.table is table:
                total.members = [r for r in rows if r.table is table]
            elif total.kind == "heading" and total.row.table is table:
                total.members = [r for r in rows if r.table is table and r.heading == _HEADING.match(
                    _label_of(total.row))["name"].strip()]  # fmt: skip
    if not found:
        result.errors.append(
            Problem(
                tables[0].name if tables else "",
                "没有找到表头：前 15 行中要有一行写着“项目名称”和另外两个认得的列名（如“序号”“资金规模”）",
                "no header row found (项目名称 and two more known headings in the first 15 rows)",
                hint="列名不同时用 --map 列名=字段 指定，如 --map 工程名称=title。",
            )
        )
    return rows, totals


def _label_of(row: _Row) -> str:
    title, number = text_of(row.values.get("title")), text_of(row.values.get("number"))
    return number if number and not number.isdigit() else title or next(
        (text_of(v) for v in row.table.grid[row.index] if text_of(v)), ""
    )  # fmt: skip


def _list_columns(table: Table, header: Header, result: TableResult) -> None:
    for c, key in header.columns.items():
        result.mapped[f"{table.name}:{header.names[c]}"] = key
    for c, name in header.parts.items():
        result.mapped[f"{table.name}:{header.names[c]}"] = f"资金来源“{name}”的金额"
    for c, name in header.unmapped.items():
        result.unmapped.append(
            Problem(
                table.ref(header.first, c),
                f"“{name}”列没有对应的字段，没有导入",
                f"column {name!r} matches no field: not imported",
                hint=f"如需导入，用 --map {name.split('/')[-1]}=字段名 指定（字段名见填写指南“字段说明”）。",
                sheet=table.name,
                row=header.first + 1,
                column=table.letter(c) if table.kind == "xlsx" else "",
            )
        )
    for c, key in header.columns.items():
        if key in ("county", "ignore"):
            why = "是县名，每行相同" if key == "county" else "按 --map 指定不导入"
            result.notes.append(
                Problem(
                    table.ref(header.first, c),
                    f"“{header.names[c]}”列{why}，没有导入",
                    "column not imported (the county's name, or --map …=ignore)",
                    sheet=table.name,
                    row=header.first + 1,
                    column=table.letter(c) if table.kind == "xlsx" else "",
                )
            )


def _quiet(value: Any) -> Decimal | None:
    try:
        return parse_amount(value) if text_of(value) else None
    except ValueError:
        return None


# --- the plan's names: categories, units, sources ----------------------------------------------------------------


class _Names:
    """Categories, units and fund sources the rows name: existing ones by name, new ones created and listed."""

    def __init__(self, site: Site, plan: Plan):
        self.plan = plan
        self.references = References({p.id: p for p in site.plans}, site.units, site.place_index)
        self.placeholder = (
            len(plan.categories) == 1 and str(plan.categories[0].name) == NOT_STATED and not site.projects_of_plan(plan)
        )
        self.categories: dict[str, str] = {}  # name → id, existing (and those made by this import)
        self.new_categories: dict[str, str] = {}
        for c in plan.categories:
            self.categories.setdefault(str(c.name), c.id)
        self.new_units: dict[str, str] = {}
        self.unit_ids = {u.id for u in site.units}
        self.new_sources: dict[str, str] = {}
        self.source_ids = {s.id for s in plan.funding}
        self.part_of: dict[str, str] = {}  # a 其中 column's fund name → source id
        self.places: dict[str, tuple[str | None, list[str]]] = {}  # a place as written → match_place

    def category(self, name: str) -> str:
        if name in self.categories and not (self.placeholder and name == NOT_STATED):
            return self.categories[name]
        if name not in self.new_categories:
            self.new_categories[name] = _free("type", len(self.new_categories) + 1, set(self.categories.values()))
        return self.new_categories[name]

    def unit(self, name: str) -> str:
        try:
            return self.references.unit(name)
        except Unresolved:
            if name not in self.new_units:
                self.new_units[name] = _free("unit", len(self.unit_ids) + 1, self.unit_ids)
                self.unit_ids.add(self.new_units[name])
            return self.new_units[name]

    def source(self, name: str) -> str:
        """A fund source by its name (or a unique part of it); the programme's name or short name is the plan's
        one source; other names make new sources."""
        programme = self.plan.programme
        if programme and name in (str(programme.name), str(programme.short)):
            of_programme = [s for s in self.plan.funding if str(programme.name) in str(s.name)]
            if len(of_programme) == 1 or len(self.plan.funding) == 1:
                self.part_of[name] = (of_programme or self.plan.funding)[0].id
                return self.part_of[name]
        try:
            self.part_of[name] = self.references.source(self.plan, name, by_name=True)
            return self.part_of[name]
        except Unresolved:
            if name not in self.new_sources:
                self.new_sources[name] = _free("fund", len(self.source_ids) + 1, self.source_ids)
                self.source_ids.add(self.new_sources[name])
            self.part_of[name] = self.new_sources[name]
            return self.new_sources[name]


def _free(prefix: str, start: int, taken: set[str]) -> str:
    n = start
    while f"{prefix}-{n}" in taken:
        n += 1
    return f"{prefix}-{n}"


# --- places ------------------------------------------------------------------------------------------------------


def match_place(site: Site, name: str) -> tuple[str | None, list[str]]:
    """A place name as a table writes it → the full name places.yml knows (None and suggestions if none):
    tried as written, with 村 added (a village written without it), and with an abbreviated township's 镇/乡."""
    index = site.place_index
    tries = [name, name + "村"]
    for township in site.gazetteer.townships:
        short = str(township.name)[:-1] if str(township.name)[-1:] in "镇乡" else None
        if short and name.startswith(short) and not name.startswith(str(township.name)):
            rest = name[len(short) :]
            tries += [str(township.name) + rest, str(township.name) + rest + "村"]
    suggestions: list[str] = []
    for attempt in tries:
        try:
            return index.resolve(attempt).full_name, []
        except UnknownPlace as exc:
            suggestions += [s for s in exc.suggestions if s not in suggestions]
    return None, suggestions


# --- rows → records ----------------------------------------------------------------------------------------------


def _project_fields(row: _Row, plan: Plan, names: _Names, site: Site, result: TableResult) -> dict[str, Any] | None:
    """The record fields a row states, in record order; None when a cell cannot be read (reported)."""
    v = {k: text_of(x) for k, x in row.values.items()}
    out: dict[str, Any] = {"plan": plan.id}
    ok = True
    out["number"] = v.get("number") or NOT_STATED
    category = v.get("category") or row.heading
    out["category"] = names.category(category) if category else plan.categories[0].id
    out["title"] = v["title"]
    out["location"] = v.get("location") or NOT_STATED
    if v.get("location"):
        places, complete = [], True
        for part in split_list(v["location"]):
            if _WHOLE_COUNTY.search(part):
                continue
            if part not in names.places:  # a table names the same places again and again
                names.places[part] = match_place(site, part)
            found, suggestions = names.places[part]
            if found is None:
                complete = False
                hint = (
                    f"是否应为 {suggested(suggestions[:3])}？"
                    if suggestions
                    else "把它加到 places.yml，或改正表中的写法。"
                )
                result.unmatched_places.append(
                    row.problem(
                        "location",
                        "地名不在 places.yml 中，没有关联到乡镇或村（实施地点照原文保留）",
                        "place not in places.yml: not linked (the location text is kept as written)",
                        found=part,
                        hint=hint,
                    )
                )
            elif found not in places:
                places.append(found)
                if found not in (part, part.replace(" ", "")):
                    result.notes.append(
                        row.problem("location", f"“{part}”按 places.yml 对应为“{found}”", f"{part} matched {found}")
                    )
        if complete and places:
            out["places"] = places
    amounts: dict[str, Any] = {}
    for key in ("investment", "total_investment"):
        if key not in v:
            continue
        if not v[key]:
            amounts[key] = NOT_STATED
            continue
        try:
            amounts[key] = parse_amount(row.values[key])
        except ValueError as exc:
            zh, _, en = str(exc).partition(" | ")
            result.errors.append(row.problem(key, zh, en, found=v[key]))
            ok = False
    out["investment"] = amounts.get("investment", NOT_STATED)
    if "total_investment" in amounts:
        out["total_investment"] = amounts["total_investment"]
    out["funding"] = _funding(row, out["investment"], names, result)
    if out["funding"] is None:
        ok = False
    if "responsible_units" in v:
        out["responsible_units"] = list(split_list(v["responsible_units"])) or NOT_STATED
    else:
        out["responsible_units"] = NOT_STATED
    for key in (k for k in v if k not in _HANDLED and k in Project.model_fields):
        # Any other text field (建设性质, 实施期限, 补助标准, 联农带农机制, 业主单位, a --map one): as written;
        # an empty cell of a document field is 原文件未列明, of any other field absent.
        if v[key]:
            out[key] = v[key]
        elif spec_of(Project, key).document:
            out[key] = NOT_STATED
    units = out["responsible_units"] if isinstance(out["responsible_units"], list) else []
    for unit in [*units, *([out["owner_unit"]] if out.get("owner_unit") not in (None, NOT_STATED) else [])]:
        names.unit(unit)
    if v.get("targets"):
        try:
            out["targets"] = list(parse_targets(v["targets"]))
        except ValueError as exc:
            result.errors.append(row.problem("targets", str(exc), found=v["targets"]))
            ok = False
    elif "targets" in v:
        out["targets"] = NOT_STATED
    return out if ok else None


def _funding(row: _Row, investment: Any, names: _Names, result: TableResult) -> Any:
    """A project's fund sources: the table's 其中 columns (each an amount), or 资金来源 as words with the whole
    amount, or the plan's one source; 原文件未列明 when the amount is not stated."""
    parts = {n: text_of(x) for n, x in row.parts.items() if text_of(x)}
    if parts:
        out = []
        for name, text in parts.items():
            try:
                amount = parse_amount(row.parts[name])
            except ValueError as exc:
                zh, _, en = str(exc).partition(" | ")
                result.errors.append(row.problem(f"part:{name}", zh, en, found=text))
                return None
            if amount:
                out.append({"source": names.source(name), "amount": amount})
        if out and isinstance(investment, Decimal) and sum(f["amount"] for f in out) != investment:
            result.errors.append(
                row.problem(
                    "investment",
                    f"各资金来源之和 {plain(sum(f['amount'] for f in out))} 与投资 {plain(investment)} 不符",
                    "the fund sources do not add up to the investment",
                    hint="按原文核对；原文如此时，导入后在记录中写差异说明（discrepancies）。",
                )
            )
            return None
        return out or NOT_STATED
    if not isinstance(investment, Decimal):
        return NOT_STATED
    words = text_of(row.values.get("funding_text"))
    if words:
        return [{"source": names.source(words), "amount": investment}]
    if len(names.plan.funding) == 1:
        return [{"source": names.plan.funding[0].id, "amount": investment}]
    return NOT_STATED


def _ids(rows: list[_Row], plan: Plan, result: TableResult) -> list[str]:
    """Stable ids: the plan's year and the 序号 (2026-017); where numbering restarts under each heading (a 序号 met
    twice), the heading's place too (2026-2-003); a row without 序号 its place among the rows (2026-r005).
    A re-import finds a record by id, else by 序号 and title, so an id once written stays."""
    numbers = [text_of(r.values.get("number")) for r in rows]
    restarts = any(n > 1 for number, n in Counter(numbers).items() if number)  # each section counts from 1
    headings: dict[str | None, int] = {}
    out, taken = [], set()
    for position, (row, number) in enumerate(zip(rows, numbers), start=1):
        digits = re.sub(r"\D", "", number)
        if not digits:
            candidate = f"{plan.year}-r{position:03d}"
        elif restarts:
            section = headings.setdefault(row.heading, len(headings) + 1)
            candidate = f"{plan.year}-{section}-{int(digits):03d}"
        else:
            candidate = f"{plan.year}-{int(digits):03d}"
        base, n = candidate, 2
        while candidate in taken:
            candidate = f"{base}-{n}"
            n += 1
        if candidate != base or not digits or restarts:
            result.notes.append(
                row.problem(
                    "number",
                    f"序号为空或重复，编号定为 {candidate}"
                    + ("；记录写上排列顺序（order）和公开的差异说明" if restarts and digits else ""),
                    f"no or repeated 序号: id {candidate}",
                )
            )
        taken.add(candidate)
        out.append(candidate)
    return out


def _norm(value: Any) -> Any:
    """A field value in comparable form (YAML numbers, Decimals and text alike)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float, Decimal)):
        return plain(Decimal(str(value)))
    if isinstance(value, dict):
        return tuple(sorted((str(k), _norm(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_norm(v) for v in value)
    return None if value is None else str(value).strip()


def plan_table_import(
    site: Site,
    content_dir: Path,
    path: Path,
    plan_id: str | None = None,
    mapping: dict[str, str] | None = None,
    root: Path | None = None,
) -> TableResult:
    """Every change importing the table would make, with the report; nothing is written."""
    root = root or content_dir.parent
    result = TableResult()
    if plan_id is None and len(site.plans) != 1:
        result.errors.append(
            Problem(path.name, f"有多个计划，请用 --plan 指定：{'、'.join(p.id for p in site.plans)}", "choose --plan")
        )
        return result
    plan = site.plan(plan_id) if plan_id else site.plans[0]
    tables = read_tables(path)
    rows, totals = _rows(tables, mapping or {}, result)
    result.rows = len(rows)
    names = _Names(site, plan)
    ids = _ids(rows, plan, result)
    existing = {p.id: p for p in site.projects}
    by_number_title = {(str(p.number), p.title): p for p in site.projects_of_plan(plan)}
    imported: dict[str, dict[str, Any]] = {}  # id → fields, for the plan's lines
    repeated = {n for n, k in Counter(text_of(r.values.get("number")) for r in rows).items() if n and k > 1}
    for position, (row, project_id) in enumerate(zip(rows, ids), start=1):
        fields = _project_fields(row, plan, names, site, result)
        if fields is None:
            continue
        if fields["number"] in repeated:
            # Numbering that restarts in each section: the table's order is kept (order), and the repeated 序号
            # is disclosed publicly, as the audit asks of any 序号 two projects share.
            fields["order"] = position
            fields["discrepancies"] = [{"check": "number", "note": _RESTARTED}]
        body = text_of(row.values.get("body"))
        project_id = text_of(row.values.get("id")) or project_id  # a table that has our 项目编号 column
        target = existing.get(project_id) or by_number_title.get((fields["number"], fields["title"]))
        if target is not None and target.plan != plan.id:
            result.errors.append(
                row.problem("number", f"编号 {project_id} 已被计划 {target.plan} 的项目使用", "id taken")
            )
            continue
        project_id = target.id if target is not None else project_id
        imported[project_id] = fields
        change = (
            _update(row, target, fields, body, root, result)
            if target is not None
            else _create(row, project_id, fields, body, content_dir, root, result)
        )
        if change is not None:
            result.changes.append(change)
        elif target is not None:
            result.unchanged.append(target.id)
    _audit_totals(totals, result)
    for kind, made in (("类别", names.new_categories), ("单位", names.new_units), ("资金来源", names.new_sources)):
        if made:
            result.created[kind] = [f"{name}（{made[name]}）" for name in made]
    if not result.errors:
        plan_change = _plan_change(site, plan, names, imported, totals, content_dir, root)
        if plan_change is not None:
            result.changes.append(plan_change)
        units_change = _units_change(names, content_dir, root)
        if units_change is not None:
            result.changes.append(units_change)
    return result


_ORDER = tuple(n for n in Project.model_fields if n not in ("body", "source"))


def _create(
    row: _Row, project_id: str, fields: dict, body: str, content_dir: Path, root: Path, result: TableResult
) -> Change | None:
    raw = {"id": project_id, **fields}
    if not _valid(row, raw, body, result):
        return None
    ordered = {k: raw[k] for k in _ORDER if k in raw}
    path = content_dir / "projects" / f"{project_id}.md"
    shown = display_path(path, root)
    if path.exists():
        result.errors.append(row.problem(None, f"文件已存在，不会覆盖：{shown}", "file exists; not overwritten"))
        return None
    return Change(path, shown, None, new_record(ordered, body), tuple(ordered))


def _update(row: _Row, project: Project, fields: dict, body: str, root: Path, result: TableResult) -> Change | None:
    """Only what the table changes: an empty cell never changes what the record says (a hand edit stays), fields
    the table has no column for stay, and so do comments and order (round-trip YAML)."""
    path = root / project.source
    text = path.read_text(encoding="utf-8")
    doc = read_record_file(path, project.source)
    data = dict(doc.data)  # plain values (exact amounts): compared, then validated with the changes
    changed: dict[str, Any] = {}
    for key, value in fields.items():
        if key == "plan":
            continue
        if value == NOT_STATED or key in ("order", "discrepancies"):
            continue  # an empty cell never clears nor replaces what a record says; order and disclosures are
            # written once, with the new record, and are the clerk's after that
        if _norm(value) != _norm(data.get(key)):
            changed[key] = value
    new_body = body if body and body.strip() != doc.body.strip() else None
    if not changed and new_body is None:
        return None
    data.update(changed)
    if not _valid(row, data, new_body if new_body is not None else doc.body, result):
        return None
    new = update_record(text, changed, new_body)
    return Change(path, project.source, text, new, tuple(changed) + (("body",) if new_body is not None else ()))


def _valid(row: _Row, raw: dict, body: str, result: TableResult) -> bool:
    try:
        Project.model_validate({**raw, "body": body})
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            key = str(err["loc"][0]) if err["loc"] else None
            zh, _, en = str(err["msg"]).partition(" | ")
            result.errors.append(row.problem(key, zh, en or zh, found=text_of(err.get("input"))[:80]))
        return False
    return True


def _audit_totals(totals: list[_Total], result: TableResult) -> None:
    """Each 合计 / 小计 / heading amount against the sum of its rows: agreeing ones listed as such, others as
    problems (not imported: the records hold the rows' amounts)."""
    for total in totals:
        for key, declared in total.amounts.items():
            if declared is None:
                continue
            values = [_row_amount(r, key) for r in total.members]
            if any(v is None for v in values):
                result.totals.append(
                    total.row.problem(key, f"{_kind(total)} {plain(declared)}：有的行没有写金额，无法核对",
                                      "total not checked: some rows state no amount", found=plain(declared))
                )  # fmt: skip
                continue
            actual = sum(values, Decimal(0))
            if actual == declared:
                result.totals.append(
                    total.row.problem(key, f"{_kind(total)} {plain(declared)} 与 {len(values)} 行之和相符",
                                      "total matches its rows")
                )  # fmt: skip
            else:
                result.totals.append(
                    total.row.problem(
                        key,
                        f"{_kind(total)}与各行之和不符：表中为 {plain(declared)}，{len(values)} 行相加为 {plain(actual)}；"
                        "这个合计没有写入计划",
                        f"total {plain(declared)} does not match its rows ({plain(actual)}): not written to the plan",
                        found=plain(declared),
                    )
                )
                total.amounts[key] = None  # not used for the plan


def _kind(total: _Total) -> str:
    return "类别合计" if total.kind == "heading" else total.kind


def _row_amount(row: _Row, key: str) -> Decimal | None:
    value = row.parts.get(key[5:]) if key.startswith("part:") else row.values.get(key)
    if key.startswith("part:") and not text_of(value):
        return Decimal(0)
    return _quiet(value)


def _plan_change(
    site: Site, plan: Plan, names: _Names, imported: dict[str, dict], totals: list[_Total], content_dir: Path,
    root: Path,
) -> Change | None:  # fmt: skip
    """The plan file with the table's categories and fund sources added, each category's count (the rows the
    table lists), and the amounts the table declares and its rows confirm (合计 → total, 小计 → category)."""
    path = next((f for f in sorted((content_dir / "plans").glob("*.yml")) if str(load(f.read_text("utf-8")).get("id")) == plan.id), None)  # fmt: skip
    if path is None:
        return None
    text = path.read_text(encoding="utf-8")
    data = load(text)
    if names.new_categories:
        if names.placeholder:
            data["categories"] = plain_nodes([])
        for name, category_id in names.new_categories.items():
            data["categories"].append(
                plain_nodes({"id": category_id, "name": name, "amount": NOT_STATED, "count": NOT_STATED})
            )
    for name, source_id in names.new_sources.items():
        data["funding"].append(plain_nodes({"id": source_id, "name": name, "amount": NOT_STATED}))
    # Projects of the plan after the import: those imported, and those the table does not list.
    after = {p.id: {"category": p.category, "investment": p.investment} for p in site.projects_of_plan(plan)}
    after.update(imported)
    for category in data["categories"]:
        members = [f for f in after.values() if f["category"] == category["id"]]
        category["count"] = len(members)
        declared = _declared_for(category, names, totals)
        if declared is not None:
            category["amount"] = declared
    grand = [t for t in totals if t.kind == "合计" and t.amounts.get("investment") is not None]
    if len({t.amounts["investment"] for t in grand}) == 1 and len(after) == len(grand[0].members):
        data["total"] = grand[0].amounts["investment"]
        for source in data["funding"]:
            name = next((n for n, i in names.part_of.items() if i == source["id"]), None)
            amount = grand[0].amounts.get(f"part:{name}") if name else None
            if amount is not None:
                source["amount"] = amount
    new = dump(data)
    if new == dump(load(text)):
        return None
    shown = display_path(path, root)
    return Change(path, shown, text, new, ("categories", "funding", "total"))


def _declared_for(category: Any, names: _Names, totals: list[_Total]) -> Decimal | None:
    """A category's amount as the table declares it: its heading row's or its 小计's, when it holds exactly that
    category's rows and agrees with them."""
    for total in totals:
        amount = total.amounts.get("investment")
        if amount is None or total.kind == "合计" or not total.members:
            continue
        kinds = {_category_of(r, names) for r in total.members}
        if kinds == {category["id"]}:
            return amount
    return None


def _category_of(row: _Row, names: _Names) -> str | None:
    name = text_of(row.values.get("category")) or row.heading
    return (names.new_categories.get(name) or names.categories.get(name)) if name else None


def _units_change(names: _Names, content_dir: Path, root: Path) -> Change | None:
    if not names.new_units:
        return None
    path = content_dir / "units.yml"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    data = load(text)
    if data.get("units") is None:
        data["units"] = plain_nodes([])
    for name, unit_id in names.new_units.items():
        data["units"].append(plain_nodes({"id": unit_id, "name": name}))
    return Change(path, display_path(path, root), text or None, dump(data), ("units",))


def annotate_table(path: Path, out: Path, problems: list[Problem]) -> int:
    """The workbook back with each problem as a comment on its cell (only for .xlsx tables)."""
    from gongshi.staff.xlsx_import import annotate

    return annotate(path, out, [p.as_sheet_error() for p in problems if p.sheet and p.row])


def command(site: Site, args: Any) -> int:
    """`gongshi import --table FILE [--plan ID] [--map 列名=field …] [--write] [--annotate OUT.xlsx]`."""
    import sys
    import zipfile

    from gongshi.staff.county_table import TableFileError
    from gongshi.staff.xlsx_import import write_changes

    path = Path(args.table)
    try:
        mapping = parse_map(args.map)
        result = plan_table_import(site, Path(args.content), path, args.plan, mapping)
    except (OSError, zipfile.BadZipFile, TableFileError, ValueError) as exc:
        print(f"无法读取 / cannot read {path}: {exc}", file=sys.stderr)
        return 1
    err = sys.stderr
    print(f"读到 {result.rows} 个项目行 / {result.rows} project rows", file=err)
    for heading, key in result.mapped.items():
        print(f"  列 column {heading} → {key}", file=err)
    sections = (
        ("没有导入的列 / columns not imported", result.unmapped),
        ("没有对应到 places.yml 的地名 / places not matched", result.unmatched_places),
        ("合计和小计的核对 / totals declared by the table", result.totals),
        ("说明 / notes", result.notes),
    )
    for title, problems in sections:
        if problems:
            print(f"== {title}: {len(problems)}", file=err)
            for problem in problems:
                print("  " + problem.format().replace("\n", "\n  "), file=err)
    for kind, made in result.created.items():
        print(f"== 新建的{kind} / created: {'、'.join(made)}", file=err)
    if args.annotate:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            count = annotate_table(path, Path(args.annotate), result.problems)
            print(f"已把 {count} 条问题写成批注 / {count} comment(s) written: {args.annotate}", file=err)
        else:
            print("--annotate 只用于 .xlsx 表 / --annotate needs an .xlsx table", file=err)
    if result.errors:
        print(f"== 问题 / problems: {len(result.errors)}", file=err)
        for error in sorted(result.errors):
            print(error.format(), file=err)
        print(f"共 {len(result.errors)} 处问题，没有写入任何文件。 / nothing written.", file=err)
        return 1
    for change in result.changes:
        kind = "新建 / new" if change.is_new else "修改 / update"
        print(f"{kind}: {change.shown}" + ("" if change.is_new else f"（{'、'.join(change.fields)}）"))
    summary = (
        f"{sum(c.is_new for c in result.changes)} 个新建，{sum(not c.is_new for c in result.changes)} 个修改，"
        f"{len(result.unchanged)} 个不变 / new, updated, unchanged"
    )
    if args.write:
        write_changes(result.changes)
        print(f"已写入 / written: {summary}。请运行 gongshi check。")
    else:
        print(f"{summary}。没有写入；确认后加 --write 写入。 / dry run: add --write to write.")
    return 0
