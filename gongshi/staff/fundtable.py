"""The 资金计划表 (fund plan table): its columns, and how a project's fields read as cell text.

Export writes these columns; import finds them again by their header text, in any order and spelling listed here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from gongshi.content.model import Discrepancy, Dividend, Target
from gongshi.money import plain


@dataclass(frozen=True)
class Column:
    """One column of the table: the project field it holds, its header, other headers that mean it, its width."""

    key: str
    header: str
    aliases: tuple[str, ...] = ()
    width: int = 14
    number: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("number", "序号", ("项目序号", "编号序号"), 6),
    Column("title", "项目名称", ("项目", "名称"), 30),
    Column("category", "类别", ("项目类别", "类型", "项目类型"), 14),
    Column("body", "建设内容", ("建设内容及规模", "建设任务", "主要建设内容", "建设规模及内容"), 50),
    Column("location", "实施地点", ("建设地点", "地点", "项目地点"), 16),
    Column(
        "investment", "投资(万元)", ("投资", "规划投资", "资金规模", "投资金额", "金额", "资金", "计划投资"), 14, True
    ),
    Column("funding", "资金来源", ("资金来源及规模",), 24),
    Column("responsible_units", "责任单位", ("主管单位", "责任部门"), 16),
    Column("owner_unit", "业主单位", ("实施单位", "项目业主"), 16),
    Column("asset_villages", "受益村(资产确权)", ("受益村", "确权村", "资产确权村"), 30),
    Column("villages", "其他受益村", (), 20),
    Column("households", "受益户数", (), 14),
    Column("people", "受益人数", (), 14),
    Column("beneficiaries_note", "受益说明", (), 20),
    Column("targets", "绩效目标", ("绩效指标", "预期目标"), 36),
    Column("benefit_mechanism", "联农带农机制", ("联农带农", "带农机制", "利益联结机制"), 36),
    Column("dividend", "保底分红", ("分红",), 24),
    Column("period", "实施期限", ("建设期限", "完成时限"), 16),
    Column("deadline", "完成日期", ("截止日期",), 12),
    Column("status", "项目状态", ("状态",), 10),
    Column("operation", "运营方式", (), 20),
    Column("places", "涉及乡镇村", ("实施地点涉及村", "涉及村"), 20),
    Column("order", "排序", ("顺序",), 6),
    Column("discrepancies", "差异说明", (), 30),
    Column("id", "项目编号(网址)", ("项目编号", "id"), 24),
)

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
    for _name in (_column.header, *_column.aliases):
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


def target_text(target: Target) -> str:
    """One target as a line of the 绩效目标 cell: 指标：约2000㎡以上【说明】; a qualitative one is its indicator."""
    note = f"【{target.note}】" if target.note else ""
    if target.value is None:
        return target.indicator + note
    return f"{target.indicator}：{quantity_text(target)}{note}"


def quantity_text(q: Any) -> str:
    """A value with unit and comparator as published: 约2000㎡, 100人以上."""
    if q is None or q.value is None:
        return ""
    about = "约" if q.comparator == "约" else ""
    after = q.comparator if q.comparator in ("以上", "以下", "余") else ""
    return f"{about}{plain(q.value)}{q.unit or ''}{after}"


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


def targets_text(targets: tuple[Target, ...]) -> str:
    return "\n".join(target_text(t) for t in targets)


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


def dividend_text(dividend: Dividend | None) -> str:
    if dividend is None:
        return ""
    text = f"{dividend.kind} {plain(dividend.rate_percent)}%，每年{plain(dividend.annual)}万元"
    return text + (f"；{dividend.condition}" if dividend.condition else "")


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


def discrepancies_text(items: tuple[Discrepancy, ...]) -> str:
    return "\n".join(f"{d.check}：{d.note}" for d in items)


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
