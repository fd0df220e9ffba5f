"""Reading a built site as the public reads it, for the rules that hold for any county: the visible text of a
page, where 原文件未列明 stands in it, the totals rows of its tables, and the invented zeros a not-stated
amount must never become. Used by tests/test_generated_counties.py and tests/test_partial_county.py."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from gongshi.content.unstated import NOT_STATED

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
HIDDEN = {"script", "style", "template"}


@dataclass
class _Element:
    tag: str
    text: list[str] = field(default_factory=list)
    marked: bool = False  # a text node of its own holds 原文件未列明


@dataclass
class Table:
    rows: list[list[str]] = field(default_factory=list)  # each row's cells' text
    heads: list[bool] = field(default_factory=list)  # the row is a header row (only <th>, or in <thead>)
    kinds: list[str] = field(default_factory=list)  # the row's data-kind: group, segment (a group's part), total


class PageText(HTMLParser):
    """The visible text of a page (outside script, style and template), and each element whose own text holds
    原文件未列明 with that element's whole text; and its tables' rows."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self.unstated_in: list[str] = []  # the whole text of each element whose own text has 原文件未列明
        self.tables: list[Table] = []
        self._stack: list[_Element] = []
        self._hidden = 0
        self._open_tables: list[Table] = []
        self._row: list[str] | None = None
        self._row_head = True
        self._row_kind = ""
        self._cell: list[str] | None = None
        self._span = 1
        self._in_thead = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in HIDDEN:
            self._hidden += 1
            return
        if tag in VOID:
            return
        self._stack.append(_Element(tag))
        if tag == "table":
            self._open_tables.append(Table())
        elif tag == "thead":
            self._in_thead += 1
        elif tag == "tr":
            self._row, self._row_head = [], True
            self._row_kind = dict(attrs).get("data-kind") or ""
        elif tag in ("td", "th"):
            self._cell = []
            span = dict(attrs).get("colspan") or "1"
            self._span = int(span) if span.isdigit() else 1
            if tag == "td":
                self._row_head = False

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN:
            self._hidden = max(0, self._hidden - 1)
            return
        if tag in VOID or not any(e.tag == tag for e in self._stack):
            return
        while self._stack:
            element = self._stack.pop()
            if element.marked:
                self.unstated_in.append(_squash("".join(element.text)))
            if element.tag in ("td", "th") and self._row is not None and self._cell is not None:
                # a cell spanning columns: the columns after it are blank, so the next cell stays in its column
                self._row += [_squash("".join(self._cell))] + [""] * (self._span - 1)
                self._cell = None
            elif element.tag == "tr" and self._row is not None and self._open_tables:
                self._open_tables[-1].rows.append(self._row)
                self._open_tables[-1].heads.append(self._row_head or self._in_thead > 0)
                self._open_tables[-1].kinds.append(self._row_kind)
                self._row = None
            elif element.tag == "thead":
                self._in_thead -= 1
            elif element.tag == "table" and self._open_tables:
                self.tables.append(self._open_tables.pop())
            if element.tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._hidden:
            return
        self.chunks.append(data)
        for element in self._stack:
            element.text.append(data)
        if self._cell is not None:
            self._cell.append(data)
        if NOT_STATED in data and self._stack:
            self._stack[-1].marked = True

    @property
    def text(self) -> str:
        return _squash(" ".join(self.chunks))


def _squash(text: str) -> str:
    return " ".join(text.split())


def read_page(path: Path) -> PageText:
    parser = PageText()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def public_pages(site: Path) -> list[Path]:
    """Every HTML page of the site except the staff guide."""
    return sorted(p for p in site.rglob("*.html") if p.relative_to(site).parts[0] not in ("guide", "assets"))


# --- the rules ---------------------------------------------------------------------------------------------

_AFTER_LABEL = re.compile(rf"：\s*{NOT_STATED}\s*(?:$|[；;。]\s*|\s·\s)")


def _in_place(whole: str, start: int) -> bool:
    """The occurrence at `start` is the value after a label ending in "：", up to the element's end or a "；"/"。"
    that ends the label's value (项目名称：原文件未列明；金额：100 万元), or a " · " between facts on one line."""
    head = whole[:start].rstrip()
    return head.endswith("：") and bool(_AFTER_LABEL.match(whole, len(head) - 1))


def unstated_misplaced(page: PageText) -> list[str]:
    """Elements in which 原文件未列明 is neither the whole text nor the value after a label ending in "："."""
    out = []
    for whole in page.unstated_in:
        if whole == NOT_STATED:
            continue
        # the term named in quotes (本站写“原文件未列明”) is not a value
        spots = [m.start() for m in re.finditer(NOT_STATED, whole) if whole[max(0, m.start() - 1) : m.start()] != "“"]
        if any(not _in_place(whole, i) for i in spots):
            out.append(whole)
    return out


INVENTED_ZERO = re.compile(
    r"(?<![\d.,])0(?:\.0+)?\s*(?:万元|元|个村|个单位|（0(?:\.0+)?%）)|零万?元|(?<!项)合计\s*0(?![\d.,])"
)
"""A zero amount or count in words: what a not-stated value must never turn into (generated stated amounts,
villages and units are never 0). A total that says what it covers ("已列明的 1 项合计 0，另有 3 项未列明": the
one stated count is 0, as a category without records states it) is a sum of stated values, not an invented one."""


def invented_zeros(text: str) -> list[str]:
    return [text[max(0, m.start() - 30) : m.end() + 10] for m in INVENTED_ZERO.finditer(text)]


DOUBLED = ("项目项目", "投资投资", "万元万元", "资金资金", "。。", "，，", "：：")


def doubled_words(text: str) -> list[str]:
    return [w for w in DOUBLED if w in text]


LEAKS = (".yml", "content/", "site_url", ".md")


def leaks(text: str, ids: set[str]) -> list[str]:
    """Internal ids, file names and config keys in visible text (an id inside a shown web address, after "/", is
    the address)."""
    found = [w for w in LEAKS if w in text]
    found += sorted(i for i in ids if re.search(rf"(?<![\w/-]){re.escape(i)}(?![\w-])", text))
    return found


_NUMBER = re.compile(r"^(?P<n>-?[\d,]+(?:\.\d+)?)(?:\s*(?:万元|元))?$")


def number(cell: str) -> Decimal | None:
    match = _NUMBER.match(cell.strip())
    if not match:
        return None
    try:
        return Decimal(match["n"].replace(",", ""))
    except InvalidOperation:
        return None


def table_totals(page: PageText) -> list[str]:
    """Problems of the totals rows (first cell starting with 合计) of the page's tables: a column of numbers whose
    total differs from their sum; a column with 原文件未列明 among its values whose total is a bare number that
    does not say it covers only part."""
    problems = []
    for table in page.tables:
        body: list[list[str]] = []
        grouped = "group" in table.kinds  # a tree table: a group's segments are parts of the group row
        for row, head, kind in zip(table.rows, table.heads, table.kinds):
            if head or not row or (grouped and kind == "segment"):
                continue
            if not row[0].startswith("合计"):
                body.append(row)
                continue
            for col in range(1, len(row)):
                cells = [r[col] for r in body if col < len(r)]
                if not cells or any("%" in c for c in [*cells, row[col]]):
                    continue
                values = [number(c) for c in cells]
                shown = number(row[col])
                missing = [c for c in cells if NOT_STATED in c]
                if missing and shown is not None:
                    problems.append(
                        f"合计 {row[col]!r} over {len(cells)} values of which {len(missing)} are {NOT_STATED}, "
                        f"without saying it covers only part (row {row})"
                    )
                elif not missing and shown is not None and all(v is not None for v in values):
                    expected = sum(values, Decimal(0))  # type: ignore[arg-type]
                    if expected != shown:
                        problems.append(f"合计 {row[col]!r} ≠ sum {expected} of {cells} (row {row})")
            body = []
    return problems


AMOUNT_KEYS = {"investment", "amount", "annual", "total", "settled", "surplus", "disbursed", "management_fee"}


def json_zero_amounts(value: Any, where: str = "") -> list[str]:
    """Amount fields of a JSON download that hold 0."""
    out = []
    if isinstance(value, dict):
        for key, item in value.items():
            if (key in AMOUNT_KEYS or key.endswith("_wan")) and _is_zero(item):
                out.append(f"{where}.{key} = {item!r}")
            out += json_zero_amounts(item, f"{where}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            out += json_zero_amounts(item, f"{where}[{i}]")
    return out


def _is_zero(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return value == 0
    return isinstance(value, str) and number(value) == 0


def csv_zero_amounts(text: str) -> list[str]:
    """Amount columns (…_wan) of a CSV download that hold 0."""
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    return [
        f"row {i + 1} {key} = {value!r}"
        for i, row in enumerate(rows)
        for key, value in row.items()
        if key and key.endswith("_wan") and value and _is_zero(value)
    ]


def download_problems(site: Path) -> list[str]:
    """Invented zeros in the site's CSV and JSON downloads (data/ and each project's JSON)."""
    problems = []
    for path in sorted(site.rglob("*.csv")):
        problems += [f"{path.relative_to(site)}: {p}" for p in csv_zero_amounts(path.read_text(encoding="utf-8"))]
    for path in sorted([*site.glob("data/*.json"), *site.glob("projects/*.json")]):
        data = json.loads(path.read_text(encoding="utf-8"))
        problems += [f"{path.relative_to(site)}: {p}" for p in json_zero_amounts(data)]
    return problems


def texts(site: Path) -> list[Path]:
    """The plain-text and feed outputs: sms.txt, broadcast.txt, feeds."""
    return sorted([*site.rglob("sms.txt"), *site.rglob("broadcast.txt"), *site.rglob("feed.xml")])
