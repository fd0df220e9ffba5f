"""The 资金计划表 (fund plan table): its columns, from the field registry, and how cell text reads back.

Export writes these columns with the wording of gongshi.content.values; import finds them again by their header
text (the label, or any alias the registry lists), in any order, and parses the cells back into fields.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import get_args

from pydantic import BaseModel
from pydantic_core import PydanticCustomError

from gongshi.content.fields import FieldRow, Surface, field_rows
from gongshi.content.model import DISCLOSURE_KINDS, CheckName, Project
from gongshi.content.unstated import NOT_STATED
from gongshi.content.values import CHOICE_WORDS
from gongshi.content.wording import WHOLE_RECORD, has_wording
from gongshi.money import parse_decimal


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


def sheet_title(plan_id: str) -> str:
    """The sheet a plan's table is on (`gongshi export` writes one per plan; import reads the chosen plan's)."""
    return f"{plan_id}资金计划表"[:31]  # Excel's limit on a sheet's title


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
    r"^(?P<indicator>.+?)：(?P<about>约|≥|≤|=)?(?P<value>\d+(?:\.\d+)?)(?P<unit>[^\d；;]*?)(?P<cmp>以上|以下|余)?$"
)
_NOTE = re.compile(r"^(?P<text>.*?)【(?P<note>[^【】]*)】$")
_KIND = re.compile(r"^〔(?P<group>[^·〕]+)(?:·(?P<kind>[^〕]+))?〕(?P<rest>.*)$")
_REPORTED = re.compile(
    r"^(?P<text>.*?)（(?:实际：(?P<actual>\d+(?:\.\d+)?))?[，,]?(?:完成情况：(?P<result>.*?))?[，,]?"
    r"(?:偏差原因：(?P<reason>.*?))?）$"
)


_QUANTITY = re.compile(r"^(?P<about>约|≥|≤|=)?(?P<value>\d+(?:\.\d+)?)(?P<unit>.*?)(?P<cmp>以上|以下|余)?$")


def parse_quantity(text: str) -> dict | None:
    """'1000人以上' → value, unit, comparator; raises ValueError for text that is not a quantity."""
    text = text.strip()
    if not text:
        return None
    match = _QUANTITY.match(text)
    if match is None or not match["unit"].strip():
        raise ValueError("应写作“数字+单位”，如“200户”“1000人以上” | write a number and a unit, e.g. 200户")
    out: dict = {"value": Decimal(match["value"]), "unit": match["unit"].strip()}
    comparator = match["about"] or match["cmp"]
    if comparator:
        out["comparator"] = comparator
    return out


def _target_lines(text: str) -> list[str]:
    """Lines of a targets cell: one per line, or separated by ；outside the （…） of a reported result."""
    out: list[str] = []
    for line in text.split("\n"):
        depth, start = 0, 0
        for i, char in enumerate(line):
            depth += (char == "（") - (char == "）")
            if char in "；;" and depth == 0:
                out.append(line[start:i])
                start = i + 1
        out.append(line[start:])
    return [line.strip() for line in out if line.strip()]


def parse_targets(text: str) -> tuple[dict, ...]:
    """The 绩效目标 cell back into target fields (the wording of gongshi.content.wording.target_text):
    〔group·kind〕 before the indicator, the reported actual, result and reason in a trailing （…）; a line
    without '：number' is a qualitative target, its planned words after the colon."""
    out = []
    for line in _target_lines(text):
        target: dict = {}
        reported = _REPORTED.match(line)
        if reported and (reported["actual"] or reported["result"] or reported["reason"]):
            line = reported["text"].strip()
            if reported["actual"]:
                target["actual"] = Decimal(reported["actual"])
            for key in ("result", "reason"):
                if reported[key]:
                    target[key] = reported[key].strip()
        kind = _KIND.match(line)
        if kind:
            target["group"] = kind["group"].strip()
            if kind["kind"]:
                target["kind"] = kind["kind"].strip()
            line = kind["rest"].strip()
        note = _NOTE.match(line)
        if note:
            line = note["text"].strip()
            target["note"] = note["note"]
        match = _TARGET.match(line.replace(":", "："))  # no NFKC here: it would turn ㎡ into m2
        if match is None:
            indicator, colon, planned = line.replace(":", "：").partition("：")
            target["indicator"] = indicator.strip() if colon and planned.strip() else line
            if colon and planned.strip():
                target["planned"] = planned.strip()
            out.append(target)
            continue
        target.update(indicator=match["indicator"].strip(), value=Decimal(match["value"]))
        if match["unit"].strip():
            target["unit"] = match["unit"].strip()
        comparator = match["about"] or match["cmp"]
        if comparator:
            target["comparator"] = comparator
        out.append(target)
    return tuple(out)


# --- the dividend as one cell: "保底分红 3%，每年34.5万元；运营后每年" ---------------------------------------

_SHARES = re.compile(r"[；;]\s*各村[：:]\s*(?P<shares>.+)$")
_DIVIDEND = re.compile(
    r"^(?P<kind>[^\d]*?)\s*(?P<rate>\d+(?:\.\d+)?)\s*[%％]\s*[，,]\s*每年\s*(?P<annual>\d+(?:\.\d+)?)\s*万元"
    r"(?:\s*[；;]\s*(?P<condition>.+))?$"
)
# A part the document does not state: 保底分红；比例：原文件未列明；每年：34.5万元；运营后每年
_DIVIDEND_PARTS = re.compile(
    rf"^(?P<kind>[^；;]*?)\s*[；;]\s*比例\s*[：:]\s*(?:(?P<rate>\d+(?:\.\d+)?)\s*[%％]|{NOT_STATED})\s*[；;]"
    rf"\s*每年\s*[：:]\s*(?:(?P<annual>\d+(?:\.\d+)?)\s*万元|{NOT_STATED})(?:\s*[；;]\s*(?P<condition>.+))?$"
)


def parse_dividend(text: str) -> dict | None:
    """The 保底分红 cell back into dividend fields; raises ValueError when it does not follow the pattern."""
    if not text.strip():
        return None
    shares = _SHARES.search(text.strip())
    if shares:
        text = text.strip()[: shares.start()]
    match = _DIVIDEND.match(text.strip()) or _DIVIDEND_PARTS.match(text.strip())
    if match is None:
        raise ValueError(
            "保底分红应写作“保底分红 3%，每年34.5万元；运营后每年” | "
            "write the dividend as 保底分红 3%，每年34.5万元；condition"
        )
    out: dict = {
        "rate_percent": Decimal(match["rate"]) if match["rate"] else NOT_STATED,
        "annual": Decimal(match["annual"]) if match["annual"] else NOT_STATED,
    }
    if match["kind"].strip() and match["kind"].strip() != "保底分红":
        out["kind"] = match["kind"].strip()
    if match["condition"]:
        out["condition"] = match["condition"].strip()
    if shares:
        out["shares"] = parse_village_amounts(shares["shares"])
    return out


# --- villages' amounts: "甲镇乙村 1.2" one per line (or separated by 、) -------------------------------------

_VILLAGE_AMOUNT = re.compile(r"^(?P<village>.+?)\s*(?P<amount>\d+(?:\.\d+)?)\s*(?:万元)?$")


def parse_village_amounts(text: str) -> tuple[dict, ...]:
    """Villages and amounts as written (village names are resolved by the import)."""
    out = []
    for part in re.split(r"[\n、；;]+", text):
        if not part.strip():
            continue
        match = _VILLAGE_AMOUNT.match(part.strip())
        if match is None:
            raise ValueError("各村金额写作“乡镇名+村名 金额”，如“甲镇乙村 1.2” | write each as village amount")
        out.append({"village": match["village"].strip(), "amount": Decimal(match["amount"])})
    return tuple(out)


# --- any other list of entries: one entry a line, "label：value；label：value" ---------------------------------


def parse_entries(text: str, model: type[BaseModel], path: str) -> tuple[dict, ...]:
    """Entries written with their fields' labels (the default wording of gongshi.content.values.Texts.entry).
    A part that does not start with a known label belongs to the value before it (a reason may hold "；")."""
    labels = {row.spec.label: row for row in field_rows(model, f"{path}[].")}
    words = {key: {v: k for k, v in choices.items()} for key, choices in CHOICE_WORDS.items()}
    out = []
    for line in text.split("\n"):
        if not line.strip():
            continue
        entry: dict = {}
        last = None
        for part in re.split(r"[；;]", line):
            label, colon, value = part.replace(":", "：", 1).partition("：")
            row = labels.get(label.strip()) if colon else None
            if row is None:
                if last is None:
                    raise ValueError(
                        f"每项写作“{'：…；'.join(list(labels)[:3])}：…”（按字段名称） | write each entry as label：value"
                    )
                entry[last] += "；" + part
                continue
            last = row.name
            entry[last] = _typed(row, words.get(row.path, {}).get(value.strip(), value.strip()))
        out.append(entry)
    return tuple(out)


def _typed(row: FieldRow, text: str) -> object:
    """A labelled value as its field's type: a date, an amount or number, a whole number, or text."""
    try:
        if row.kind.startswith("日期"):
            return dt.date.fromisoformat(text)
        if row.kind.startswith(("金额", "数字")):
            return parse_decimal(text)
        if row.kind.startswith("整数"):
            return int(text)
    except (ValueError, PydanticCustomError):
        raise ValueError(f"“{row.spec.label}”应为{row.kind}：{text} | {row.name} should be {row.kind}") from None
    return text


# --- disclosed discrepancies as one cell: one "check：note" per line -------------------------------------


_CHECKS = frozenset(get_args(CheckName))
_KINDS = {name: key for key, name in DISCLOSURE_KINDS.items()}


def parse_discrepancies(text: str) -> tuple[dict, ...]:
    """Lines of “核对项或字段〔类别〕：原因” (the wording of gongshi.content.wording.discrepancy_text)."""
    out = []
    for line in text.split("\n"):
        if not line.strip():
            continue
        subject, sep, note = line.replace(":", "：", 1).partition("：")
        if not sep:
            raise ValueError(
                "差异说明每行写作“核对项：原因”，如“number：原文序号重复” | write each line as check：note"
            )
        entry: dict = {"note": note.strip()}
        kind = re.search(r"〔(?P<kind>[^〕]*)〕\s*$", subject)
        if kind:
            entry["kind"] = _KINDS.get(kind["kind"].strip(), kind["kind"].strip())
            subject = subject[: kind.start()]
        subject = subject.strip()
        if subject in _CHECKS:
            entry["check"] = subject
        elif subject != WHOLE_RECORD:
            entry["field"] = subject
        out.append(entry)
    return tuple(out)


# --- the person responsible as one cell: "王某某（县林业局局长，0833-0000000）" -------------------------------

_PERSON = re.compile(r"^(?P<name>[^（(]+?)\s*(?:[（(](?P<details>[^）)]*)[）)])?$")
_PHONE = re.compile(r"^[0-9\-() ]{3,30}$")


PERSON_FORMAT = (
    "“姓名（职务，电话）”，如“王某某（县林业局局长，0833-0000000）”；职务、电话可以不写，如“王某某”“王某某（县林业局局长）”；"
    "某一项原文件未列明时逐项写，用“；”隔开，如“姓名：王某某；职务：原文件未列明”"
)
"""How the 责任人 cell is written (the guide and the import's message say the same)."""

_PERSON_LABELS = {"姓名": "name", "职务": "post", "电话": "phone", "联系电话": "phone"}
_NOT_A_NAME = re.compile(r"[\s，,、；;:：/0-9０-９]")


def _unreadable_person() -> ValueError:
    return ValueError(
        f"责任人的写法认不出（没有导入，也不会当作姓名保存）；应写作{PERSON_FORMAT} | "
        "the person responsible cannot be read (not imported): write 姓名（职务，电话）, e.g. 王某某（县林业局局长，0833-0000000）"
    )


def parse_person(text: str) -> dict | None:
    """The 责任人 cell back into name, post and phone: 王某某（县林业局局长，0833-0000000）, or labelled parts
    (姓名：王某某；职务：原文件未列明) as the export writes a partly unstated person. Anything else raises ValueError
    naming the format: a cell that cannot be read is never stored as the name."""
    text = text.strip()
    if not text:
        return None
    if re.match(r"^(姓名|职务|联系电话|电话)\s*[:：]", text):
        out: dict = {}
        for part in (p.strip() for p in re.split(r"[；;\n]+", text) if p.strip()):
            labelled = re.match(r"^(?P<label>[^:：]*)[:：](?P<value>.*)$", part)
            key = _PERSON_LABELS.get(labelled["label"].strip()) if labelled else None
            if key is None or key in out or not labelled["value"].strip():
                raise _unreadable_person()
            out[key] = labelled["value"].strip()
        if "name" not in out:
            raise _unreadable_person()
        return out
    match = _PERSON.match(text)
    if match is None or _NOT_A_NAME.search(match["name"]):
        raise _unreadable_person()
    out = {"name": match["name"].strip()}
    for part in re.split(r"[，,；;]", match["details"] or ""):
        part = part.strip()
        if not part:
            continue
        key = "phone" if _PHONE.match(part) else "post"
        if key in out:  # two posts or two phones: which is which cannot be told
            raise _unreadable_person()
        out[key] = part
    return out
