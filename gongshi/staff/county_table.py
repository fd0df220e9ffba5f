"""Read a county's own project table — an .xlsx workbook, a .csv file, the tables of a .docx notice or of a
saved .html notice page — into a grid of cells, and find its header: on any of the first rows, one or two rows
deep, merged cells filled, each column matched to a record field through the field registry's aliases and the
usual headings of county tables. Nothing is dropped silently: every column that matches no field is listed.

Only the standard library and openpyxl: a .docx is a zip of WordprocessingML, an .html page is read with
html.parser.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from openpyxl.utils import get_column_letter

from gongshi.staff.archive_limits import ArchiveError, check_archive
from gongshi.staff.fundtable import column_for
from gongshi.staff.safe_xml import UnsafeXml, check_xml
from gongshi.staff.xlsx_read import filled_grid

HEADER_SCAN_ROWS = 15

# Headings county tables use, beyond the registry's aliases (normalised: no spaces, half-width brackets).
# A value is a record field, or one of the table's own keys: `part:` (a share of the amount, 其中：…),
# `funding_text` (资金来源 as words), `county` (the county's name, one value for every row).
SYNONYMS: dict[str, str] = {
    "序号": "number",
    "县(市、区)": "county",
    "县(市,区)": "county",
    "县市区": "county",
    "县区": "county",
    "县别": "county",
    "项目名称": "title",
    "项目类型": "category",
    "项目类别": "category",
    "建设性质": "construction_kind",
    "实施地点": "location",
    "建设地点": "location",
    "建设内容": "body",
    "建设内容及规模": "body",
    "主要建设内容": "body",
    "投资概算": "investment",
    "投资概算(万元)": "investment",
    "资金规模": "investment",
    "资金规模(万元)": "investment",
    "本年度计划投资": "investment",
    "年度计划投资": "investment",
    "今年计划投资": "investment",
    "计划投资": "investment",
    "项目总投资": "total_investment",
    "总投资": "total_investment",
    "总投资(万元)": "total_investment",
    "资金来源": "funding_text",
    "补助标准": "subsidy_standard",
    "预期绩效目标": "targets",
    "绩效目标": "targets",
    "联农带农机制": "benefit_mechanism",
    "联农带农": "benefit_mechanism",
    "实施期限": "period",
    "建设期限": "period",
    "责任单位": "responsible_units",
    "实施单位": "owner_unit",
    "业主单位": "owner_unit",
    "项目业主": "owner_unit",
}

# Fields this import knows how to write (anything else the registry names is listed as not imported).
FIELDS = (
    "id",
    "number", "title", "category", "construction_kind", "location", "body", "investment", "total_investment",
    "subsidy_standard", "targets", "benefit_mechanism", "period", "responsible_units", "owner_unit",
)  # fmt: skip
TABLE_KEYS = ("county", "funding_text", "ignore")
_SUM_WORDS = ("合计", "小计", "总计", "计")


def normalize(text: Any) -> str:
    """Header text compared loosely: NFKC, no whitespace, half-width brackets, no ':' after 其中."""
    text = unicodedata.normalize("NFKC", "" if text is None else str(text))
    return re.sub(r"\s+", "", text).replace("（", "(").replace("）", ")")


def match_header(text: str, mapping: dict[str, str] | None = None) -> str | None:
    """The key a header cell names (staff's --map first, then county synonyms, then the registry), or None."""
    name = normalize(text)
    if not name:
        return None
    for table in (mapping or {}, SYNONYMS):
        for candidate in (name, re.sub(r"\(.*?\)", "", name)):
            if candidate in table:
                return table[candidate]
    key = column_for(name)
    return key if key in FIELDS else (f"unknown:{key}" if key else None)


@dataclass
class Table:
    """One table of a file: its cells as values (merged ranges filled), and how its cells are named."""

    name: str  # the sheet's name, the csv file's name, or 表1, 表2 … in a document
    kind: str  # xlsx, csv, docx, html
    grid: list[list[Any]]
    uncalculated: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) → a formula Excel never
    # calculated (a file written by a program, never saved in Excel): its value is unknown, not empty

    def ref(self, row: int, col: int) -> str:
        """A cell as staff find it: Sheet!C5 in a workbook, “表1 第5行第3列” elsewhere (row, col 0-based)."""
        if self.kind == "xlsx":
            return f"{self.name}!{get_column_letter(col + 1)}{row + 1}"
        return f"{self.name} 第{row + 1}行第{col + 1}列"

    def letter(self, col: int) -> str:
        return get_column_letter(col + 1) if self.kind == "xlsx" else f"第{col + 1}列"


@dataclass
class Header:
    """Where a table's header is and what its columns hold."""

    first: int  # first header row (0-based)
    last: int  # last header row (0-based): data starts below
    columns: dict[int, str] = field(default_factory=dict)  # column → key
    names: dict[int, str] = field(default_factory=dict)  # column → the heading as written (group/sub)
    unmapped: dict[int, str] = field(default_factory=dict)  # column → heading of a column no field takes
    parts: dict[int, str] = field(default_factory=dict)  # column → the fund named by a 其中 column


def text_of(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def find_header(table: Table, mapping: dict[str, str] | None = None) -> Header | None:
    """The header: the first of the first rows naming a project name and two more fields; a second row below it
    (cells differing from those above, not a data row) names the sub-columns of a merged group heading."""
    grid = table.grid
    best = None
    for r, row in enumerate(grid[:HEADER_SCAN_ROWS]):
        keys = {match_header(text_of(v), mapping) for v in row} - {None}
        if "title" in keys and len(keys) >= 3:
            best = r
            break
    if best is None:
        return None
    last = best
    below = grid[best + 1] if best + 1 < len(grid) else []
    if below and _is_subheader(grid[best], below):
        last = best + 1
    header = Header(best, last)
    taken: set[str] = set()
    group = ""  # a group heading over sub-headings: a CSV (no merged cells) writes it over its first column only
    for c in range(max(len(grid[best]), len(below))):
        top = text_of(grid[best][c]) if c < len(grid[best]) else ""
        sub = text_of(below[c]) if last > best and c < len(below) else ""
        if sub == top:
            sub = ""
        if sub and top:
            group = top
        elif sub and not top:
            top = group
        elif top:
            group = ""
        written = f"{top}/{sub}" if sub else top
        if not written:
            continue
        header.names[c] = written
        key = _column_key(top, sub, mapping)
        if key and key.startswith("part:"):
            header.parts[c] = key[5:]
            continue
        if key is None or key.startswith("unknown:") or key in taken:
            header.unmapped[c] = written
            continue
        if key not in TABLE_KEYS:
            taken.add(key)
        header.columns[c] = key
    # 实施单位 is the 业主单位 where a table has both; in a table without 责任单位 it is the unit responsible.
    if "responsible_units" not in taken:
        for c, key in header.columns.items():
            if key == "owner_unit" and normalize(header.names[c]).startswith("实施单位"):
                header.columns[c] = "responsible_units"
    return header


def _is_subheader(top: list[Any], below: list[Any]) -> bool:
    """A row under the header that names sub-columns: some cell differs from the one above (a merged group
    splits), and no cell is a number (a data row has a 序号 or an amount)."""
    differs = False
    for c, value in enumerate(below):
        text = text_of(value)
        if isinstance(value, (int, float)) or re.fullmatch(r"[\d.,]+", normalize(text) or "x"):
            return False
        if text and text != text_of(top[c] if c < len(top) else None):
            differs = True
    return differs


def _column_key(top: str, sub: str, mapping: dict[str, str] | None) -> str | None:
    """What a column holds, from its heading and, under a merged group heading, its sub-heading:
    资金规模/合计 → investment, 资金规模/其中：衔接资金 → part:衔接资金."""
    if mapping:
        for name in (f"{top}/{sub}", sub, top):
            if name and normalize(name) in {normalize(k) for k in mapping}:
                return next(v for k, v in mapping.items() if normalize(k) == normalize(name))
    if not sub:
        return match_header(top, mapping)
    plain_sub = normalize(sub)
    group = match_header(top, mapping)
    own = match_header(sub, mapping)
    if re.match(r"^其中[:：]?", plain_sub):
        return "part:" + re.sub(r"^其中[:：]?", "", plain_sub)
    if group in ("investment", "total_investment", "funding_text"):
        if re.sub(r"\(.*?\)", "", plain_sub) in (*_SUM_WORDS, "金额", "总额", "总计"):
            return "investment" if group == "funding_text" else group
        if own in ("investment", "total_investment"):
            return own
        return "part:" + re.sub(r"\(.*?\)", "", plain_sub)
    return own or group


# --- readers --------------------------------------------------------------------------------------------------


class TableFileError(ValueError):
    """A file that cannot be read as a table, with the reason in Chinese and English."""


MAX_BYTES = 50 * 1024 * 1024


def read_tables(path: Path) -> list[Table]:
    """Every table of the file, by its suffix."""
    if path.stat().st_size > MAX_BYTES:
        raise TableFileError("文件超过 50 MB，不是一张项目表 | the file is over 50 MB")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx(path)
    if suffix in (".csv", ".txt"):
        return [Table(path.name, "csv", _csv_rows(path.read_bytes()))]
    if suffix == ".docx":
        return _docx(path)
    if suffix in (".html", ".htm"):
        return _html(path.read_bytes())
    raise TableFileError(
        f"不认识的文件类型 {suffix}：请另存为 .xlsx、.csv、.docx 或 .html | unknown file type {suffix}"
    )


def _xlsx(path: Path) -> list[Table]:
    from openpyxl import load_workbook

    try:
        check_archive(path)  # a workbook is a zip: entries and decompressed size limited before openpyxl reads it
    except ArchiveError as exc:
        raise TableFileError(str(exc)) from None
    workbook = load_workbook(path, data_only=True)
    formulas = load_workbook(path, data_only=False, read_only=True)  # streamed: only to find formulas
    tables = []
    for ws in workbook.worksheets:
        grid = filled_grid(ws)
        uncalculated = {
            (r, c): value
            for r, row in enumerate(formulas[ws.title].iter_rows(values_only=True))
            for c, value in enumerate(row)
            if isinstance(value, str)
            and value.startswith("=")
            and (r >= len(grid) or c >= len(grid[r]) or grid[r][c] is None)
        }
        tables.append(Table(ws.title, "xlsx", grid, uncalculated))
    formulas.close()
    return tables


def _csv_rows(data: bytes) -> list[list[Any]]:
    """CSV as saved by Excel: UTF-8 (with or without BOM) or GBK."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise TableFileError("CSV 文件既不是 UTF-8 也不是 GBK 编码 | the CSV is neither UTF-8 nor GBK")
    return [[cell.strip() or None for cell in row] for row in csv.reader(io.StringIO(text))]


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx(path: Path) -> list[Table]:
    """The tables of a Word document: gridSpan (merged across) and vMerge (merged down) filled."""
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo("word/document.xml")
            if info.file_size > MAX_BYTES:
                raise TableFileError("文档过大 | the document is too large")
            data = archive.read(info)
        check_xml(
            data,
            f"{path.name}:word/document.xml",
            ("请用 Word 或 WPS 打开后另存为 .docx", "save it again as .docx from Word or WPS"),
        )  # no document type, so no entities
        root = ElementTree.fromstring(data)
    except UnsafeXml as exc:
        raise TableFileError(str(exc)) from None
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError) as exc:
        raise TableFileError(f"不是有效的 .docx 文件 | not a valid .docx file: {exc}") from None
    tables = []
    for number, tbl in enumerate(root.iter(f"{_W}tbl"), start=1):
        grid: list[list[Any]] = []
        for tr in tbl.findall(f"{_W}tr"):
            row: list[Any] = []
            for tc in tr.findall(f"{_W}tc"):
                props = tc.find(f"{_W}tcPr")
                span, merge = 1, None
                if props is not None:
                    grid_span = props.find(f"{_W}gridSpan")
                    if grid_span is not None:
                        span = int(grid_span.get(f"{_W}val", "1"))
                    v_merge = props.find(f"{_W}vMerge")
                    if v_merge is not None:
                        merge = v_merge.get(f"{_W}val", "continue")
                text = "\n".join("".join(t.text or "" for t in p.iter(f"{_W}t")) for p in tc.findall(f"{_W}p")).strip()
                col = len(row)
                if merge == "continue" and grid and col < len(grid[-1]):
                    text = grid[-1][col]
                row.extend([text or None] * span)
            grid.append(row)
        _pad(grid)
        tables.append(Table(f"表{number}", "docx", grid))
    return tables


class _HTMLTables(HTMLParser):
    """Tables of an HTML page as grids; rowspan and colspan filled."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[Any]]] = []
        self._stack: list[dict] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._stack.append({"rows": [], "spans": {}, "row": None, "cell": None})
        elif not self._stack:
            return
        elif tag == "tr":
            self._stack[-1]["row"] = []
        elif tag in ("td", "th") and self._stack[-1]["row"] is not None:
            a = dict(attrs)
            self._stack[-1]["cell"] = {"text": [], "rows": _int(a.get("rowspan")), "cols": _int(a.get("colspan"))}
        elif tag in ("br", "p", "div") and self._stack[-1]["cell"] is not None:
            self._stack[-1]["cell"]["text"].append("\n")

    def handle_data(self, data: str) -> None:
        if self._stack and self._stack[-1]["cell"] is not None:
            self._stack[-1]["cell"]["text"].append(data)

    def handle_endtag(self, tag: str) -> None:
        if not self._stack:
            return
        table = self._stack[-1]
        if tag in ("td", "th") and table["cell"] is not None:
            cell, table["cell"] = table["cell"], None
            text = "\n".join(line.strip() for line in "".join(cell["text"]).split("\n") if line.strip()) or None
            row = table["row"]
            self._fill_spans(table, row)
            r = len(table["rows"])
            for _ in range(min(cell["cols"], 100)):
                col = len(row)
                row.append(text)
                for below in range(1, min(cell["rows"], 1000)):
                    table["spans"][(r + below, col)] = text
                self._fill_spans(table, row)
        elif tag == "tr" and table["row"] is not None:
            self._fill_spans(table, table["row"], end=True)
            table["rows"].append(table["row"])
            table["row"] = None
        elif tag == "table":
            self._stack.pop()
            _pad(table["rows"])
            self.tables.append(table["rows"])

    @staticmethod
    def _fill_spans(table: dict, row: list, end: bool = False) -> None:
        """Cells covered by a rowspan from above, at the current position (or all remaining at the row's end)."""
        r = len(table["rows"])
        while (r, len(row)) in table["spans"] or (
            end and any(key[0] == r and key[1] >= len(row) for key in table["spans"])
        ):
            row.append(table["spans"].pop((r, len(row)), None))


def _int(text: str | None) -> int:
    try:
        return max(1, int(text or 1))
    except ValueError:
        return 1


def _html(data: bytes) -> list[Table]:
    match = re.search(rb"charset=[\"']?([A-Za-z0-9_-]+)", data[:4096])
    encodings = ([match[1].decode("ascii")] if match else []) + ["utf-8", "gb18030"]
    for encoding in encodings:
        try:
            text = data.decode(encoding)
            break
        except (UnicodeDecodeError, LookupError):
            continue
    else:
        raise TableFileError("网页既不是 UTF-8 也不是 GBK 编码 | the page is neither UTF-8 nor GBK")
    parser = _HTMLTables()
    parser.feed(text)
    parser.close()
    return [Table(f"表{n}", "html", grid) for n, grid in enumerate(parser.tables, start=1)]


def _pad(grid: list[list[Any]]) -> None:
    width = max((len(r) for r in grid), default=0)
    for row in grid:
        row.extend([None] * (width - len(row)))
