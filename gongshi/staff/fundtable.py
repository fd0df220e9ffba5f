"""The 资金计划表 (fund plan table): its columns, from the field registry, and how cell text reads back.

Export writes these columns with the wording of gongshi.content.values; import finds them again by their header
text (the label, or any alias the registry lists), in any order, and parses the cells back into fields.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from gongshi.content.fields import FieldRow, Surface, field_rows
from gongshi.content.model import Project
from gongshi.content.wording import has_wording


@dataclass(frozen=True)
class Column:
    """One column of the table: the record field it holds (its path), its header, other headers that mean it."""

    key: str
    header: str
    row: FieldRow
    aliases: tuple[str, ...] = ()

    @property
    def width(self) -> int:
        if self.key == "body":
            return 50
        if self.key == "title":
            return 30
        if self.row.is_list or self.row.inner is not None:
            return 30
        if self.key in ("number", "order"):
            return 8
        return 14 if self.row.is_money else 20

    @property
    def number(self) -> bool:
        return self.row.is_money


def _columns(rows: list[FieldRow], prefix: str = "") -> list[Column]:
    """A column per field on the Excel surface; a nested group without a one-cell wording by its own fields."""
    out = []
    for row in rows:
        rest = row.path.removeprefix(prefix)
        if not row.path.startswith(prefix) or "." in rest or not row.on(Surface.EXCEL):
            continue
        if row.inner is not None and not row.is_list and not has_wording(row.inner):
            out.extend(_columns(rows, f"{row.path}."))
        else:
            out.append(Column(row.path, row.heading, row, row.spec.aliases))
    return out


COLUMNS: tuple[Column, ...] = tuple(_columns(field_rows(Project, front_matter=False)))
"""The table's columns, in the record's field order (from the field registry)."""

BY_KEY = {c.key: c for c in COLUMNS}

TOTAL_WORDS = ("合计", "总计", "小计", "总额")
LIST_SEPARATORS = re.compile(r"[、，,；;\n]+")


def normalize_header(text: str) -> str:
    """Header text compared loosely: full-width to half-width, no spaces, line breaks or brackets' unit text."""
    text = unicodedata.normalize("NFKC", str(text))
    text = re.sub(r"\s+", "", text)
    return text.replace("（", "(").replace("）", ")")


_HEADERS: dict[str, str] = {}
for _column in COLUMNS:
    for _name in (_column.header, _column.row.spec.label, *_column.aliases):
        _HEADERS[normalize_header(_name)] = _column.key
        _HEADERS[re.sub(r"\(.*?\)", "", normalize_header(_name))] = _column.key


def column_for(header: object) -> str | None:
    """The column key a header cell names, or None."""
    if header is None:
        return None
    text = normalize_header(str(header))
    if not text:
        return None
    return _HEADERS.get(text) or _HEADERS.get(re.sub(r"\(.*?\)", "", text))


def join_list(items: tuple[str, ...] | list[str]) -> str:
    return "、".join(items)


def split_list(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in LIST_SEPARATORS.split(text) if part.strip())


# --- targets as one cell: "指标：约2000㎡以上；…" --------------------------------------------------

_TARGET = re.compile(
    r"^(?P<indicator>.+?)：(?P<about>约)?(?P<value>\d+(?:\.\d+)?)(?P<unit>[^\d；;]*?)(?P<cmp>以上|以下|余)?$"
)
_NOTE = re.compile(r"^(?P<text>.*?)【(?P<note>[^【】]*)】$")


_QUANTITY = re.compile(r"^(?P<about>约)?(?P<value>\d+(?:\.\d+)?)(?P<unit>.*?)(?P<cmp>以上|以下|余)?$")


def parse_quantity(text: str) -> dict | None:
    """'1000人以上' → value, unit, comparator; raises ValueError for text that is not a quantity."""
    text = text.strip()
    if not text:
        return None
    match = _QUANTITY.match(text)
    if match is None or not match["unit"].strip():
        raise ValueError("应写作“数字+单位”，如“200户”“1000人以上” | write a number and a unit, e.g. 200户")
    out: dict = {"value": Decimal(match["value"]), "unit": match["unit"].strip()}
    comparator = "约" if match["about"] else match["cmp"]
    if comparator:
        out["comparator"] = comparator
    return out


def parse_targets(text: str) -> tuple[dict, ...]:
    """The 绩效目标 cell back into target fields; a line without '：number' is a qualitative target."""
    out = []
    for line in re.split(r"[\n；;]+", text):
        line = line.strip()
        if not line:
            continue
        note = _NOTE.match(line)
        if note:
            line = note["text"].strip()
        match = _TARGET.match(line.replace(":", "："))  # no NFKC here: it would turn ㎡ into m2
        if match is None:
            out.append({"indicator": line, **({"note": note["note"]} if note else {})})
            continue
        target: dict = {"indicator": match["indicator"].strip(), "value": Decimal(match["value"])}
        if match["unit"].strip():
            target["unit"] = match["unit"].strip()
        comparator = "约" if match["about"] else match["cmp"]
        if comparator:
            target["comparator"] = comparator
        if note:
            target["note"] = note["note"]
        out.append(target)
    return tuple(out)


# --- the dividend as one cell: "保底分红 3%，每年34.5万元；运营后每年" ---------------------------------------

_DIVIDEND = re.compile(
    r"^(?P<kind>[^\d]*?)\s*(?P<rate>\d+(?:\.\d+)?)\s*[%％]\s*[，,]\s*每年\s*(?P<annual>\d+(?:\.\d+)?)\s*万元"
    r"(?:\s*[；;]\s*(?P<condition>.+))?$"
)


def parse_dividend(text: str) -> dict | None:
    """The 保底分红 cell back into dividend fields; raises ValueError when it does not follow the pattern."""
    if not text.strip():
        return None
    match = _DIVIDEND.match(text.strip())
    if match is None:
        raise ValueError(
            "保底分红应写作“保底分红 3%，每年34.5万元；运营后每年” | "
            "write the dividend as 保底分红 3%，每年34.5万元；condition"
        )
    out: dict = {"rate_percent": Decimal(match["rate"]), "annual": Decimal(match["annual"])}
    if match["kind"].strip() and match["kind"].strip() != "保底分红":
        out["kind"] = match["kind"].strip()
    if match["condition"]:
        out["condition"] = match["condition"].strip()
    return out


# --- disclosed discrepancies as one cell: one "check：note" per line -------------------------------------


def parse_discrepancies(text: str) -> tuple[dict, ...]:
    out = []
    for line in text.split("\n"):
        if not line.strip():
            continue
        check, sep, note = line.replace(":", "：", 1).partition("：")
        if not sep:
            raise ValueError(
                "差异说明每行写作“核对项：原因”，如“number：原文序号重复” | write each line as check：note"
            )
        out.append({"check": check.strip(), "note": note.strip()})
    return tuple(out)


# --- the person responsible as one cell: "王某某（县林业局局长，0833-0000000）" -------------------------------

_PERSON = re.compile(r"^(?P<name>[^（(]+?)\s*(?:[（(](?P<details>[^）)]*)[）)])?$")
_PHONE = re.compile(r"^[0-9\-() ]{3,30}$")


def parse_person(text: str) -> dict | None:
    """The 责任人 cell back into name, post and phone; raises ValueError when it does not follow the pattern."""
    text = text.strip()
    if not text:
        return None
    match = _PERSON.match(text)
    if match is None:
        raise ValueError(
            "责任人应写作“姓名（职务，电话）”，如“王某某（县林业局局长）” | write the person as 姓名（职务，电话）"
        )
    out: dict = {"name": match["name"].strip()}
    for part in re.split(r"[，,]", match["details"] or ""):
        part = part.strip()
        if part:
            out["phone" if _PHONE.match(part) else "post"] = part
    return out
