"""Chinese-keyboard slips in YAML: found on the line where they are, each with the corrected line.

With a Chinese input method on, a clerk types `location：` (full-width colon), indents with the full-width
space U+3000, or separates list items with `，`. YAML reads these as something else or fails a line later with
an English parser message; this scan runs first and says what to type instead. Text inside block scalars
(`>-`, `|`) and inside quotes is text as published and is never touched.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata

from gongshi.errors import ContentError

IDEOGRAPHIC_SPACE = "\u3000"
_KEY_FULLWIDTH_COLON = re.compile(r"^(?P<lead>[ \u3000]*(?:-[ \u3000]+)?)(?P<key>[A-Za-z_][A-Za-z0-9_-]*)[ \u3000]*：")
_FLOW_LIST = re.compile(r"^(?P<head>[ ]*(?:-[ ]+)?[A-Za-z_][A-Za-z0-9_-]*:[ ]+)\[(?P<items>[^\]\"']*)\][ ]*$")
# What an indent leads to when it is structure (a field name or a list item), not a continued line of text.
_STRUCTURE = re.compile(r"^(?:-(?:[ \u3000]|$)|[A-Za-z_][A-Za-z0-9_-]*[ \u3000]*[:：])")
_BLOCK_SCALAR = re.compile(r"(?::|^[ ]*-)[ ]+[|>][0-9+-]*[ ]*(?:#.*)?$")


def _error(shown: str, number: int, zh: str, en: str, found: str, fixed: str) -> ContentError:
    return ContentError(
        shown,
        number,
        "(输入法)",
        zh,
        en,
        found=found.rstrip().replace(IDEOGRAPHIC_SPACE, "□"),
        expected=fixed.rstrip(),
        hint="切换到英文（半角）输入法后重新输入这一行，或把这一行改成“应为”后面的写法"
        + ("（□ 表示全角空格，每个换成两个半角空格）。" if IDEOGRAPHIC_SPACE in found else "。"),
    )


def find_slips(text: str, shown: str, first_line: int = 1) -> list[ContentError]:
    """Every full-width colon after a field name, full-width space in an indent and `，` in a `[…]` list."""
    errors: list[ContentError] = []
    block_indent: int | None = None  # inside a block scalar: lines indented deeper than its key are text
    for number, line in enumerate(text.split("\n"), start=first_line):
        indent = len(line) - len(line.lstrip(" "))
        if block_indent is not None:
            if not line.strip() or indent > block_indent:
                continue
            block_indent = None
        lead = line[: len(line) - len(line.lstrip(" " + IDEOGRAPHIC_SPACE))]
        fixed = line
        problems: list[tuple[str, str]] = []
        # A full-width space before text that continues a quoted value (a paragraph's 　　) is the text's own.
        if IDEOGRAPHIC_SPACE in lead and _STRUCTURE.match(line[len(lead) :]):
            fixed = lead.replace(IDEOGRAPHIC_SPACE, "  ") + fixed[len(lead) :]
            problems.append(("行首缩进用了全角空格", "the indent uses the full-width space U+3000"))
        colon = _KEY_FULLWIDTH_COLON.match(fixed)
        if colon:
            rest = fixed[colon.end() :].lstrip(" " + IDEOGRAPHIC_SPACE)
            fixed = f"{colon['lead']}{colon['key']}: {rest}".rstrip()
            problems.append(("字段名后面用了全角冒号“：”", "a full-width colon ： follows the field name"))
        flow = _FLOW_LIST.match(fixed)
        if flow and "，" in flow["items"]:
            items = [item.strip() for item in re.split(r"[，,]", flow["items"]) if item.strip()]
            fixed = f"{flow['head']}[{', '.join(items)}]"
            problems.append(("列表的各项之间用了全角逗号“，”", "list items are separated by the full-width comma ，"))
        if problems:
            zh = "；".join(p[0] for p in problems) + "，应为英文（半角）符号"
            en = "; ".join(p[1] for p in problems) + ": type it with the half-width (English) keyboard"
            errors.append(_error(shown, number, zh, en, line, fixed))
        if _BLOCK_SCALAR.search(fixed):
            block_indent = indent
    return errors


_LOOSE_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


def date_hint(text: str) -> str | None:
    """The date a clerk meant, written as YYYY-MM-DD (2025/6/1, 2025年6月1日, full-width digits), or why none."""
    match = _LOOSE_DATE.match(unicodedata.normalize("NFKC", text))
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups())
    try:
        return f"请改为 {dt.date(year, month, day).isoformat()}"
    except ValueError:
        if 1 <= month <= 12:
            last = calendar.monthrange(year, month)[1]
            return f"{year}年{month}月只有{last}天，请核对日期（如 {year}-{month:02d}-{last:02d}）"
        return f"没有{month}月，请核对日期"


_FLOW_THEN_BLOCK = re.compile(
    r"^(?P<lead>[ ]*(?:-[ ]+)?)(?P<key>[A-Za-z_][A-Za-z0-9_-]*):[ ]*\[(?P<items>[^\]\"'#]*)\][ ]*(?:#.*)?$"
)


def empty_list_then_entries(text: str, shown: str, first_line: int = 1) -> ContentError | None:
    """`units: []` (an empty list, as a template writes it) with entries added below it, or a list written in
    [ ] with more entries below: YAML then fails a line or more later with a message that never mentions the
    brackets. The error names the bracket line and its fix."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        flow = _FLOW_THEN_BLOCK.match(line)
        if flow is None:
            continue
        after = index + 1
        while after < len(lines) and (not lines[after].strip() or lines[after].lstrip().startswith("#")):
            after += 1
        if after == len(lines):
            continue
        below = lines[after]
        indent = len(below) - len(below.lstrip(" "))
        if below.lstrip(" ").startswith("-") and indent >= len(flow["lead"]):
            key, items = flow["key"], [i.strip() for i in re.split(r"[,，]", flow["items"]) if i.strip()]
            fixed = f"{flow['lead']}{key}:".strip()
            if not items:
                zh = f"“{key}: []”表示空列表，下面却写了列表的项：添加了项以后要删掉这一行的“[]”"
                en = f"`{key}: []` is an empty list, yet entries follow it: delete the `[]` once entries are added"
                hint = f"把这一行改为“{fixed}”（冒号后面什么也不写），下面的各项（以“- ”开头）保持缩进不变。"
            else:
                zh = f"“{key}”在这一行用 [ ] 写了列表，下面又写了列表的项：两种写法只能用一种"
                en = f"`{key}` is written as a [ ] list on this line, and entries follow below: use one form"
                moved = "、".join(f"“- {item}”" for item in items)
                hint = f"把这一行改为“{fixed}”，[ ] 中的各项移到下面，每项一行：{moved}，与下面的各项对齐。"
            return ContentError(shown, first_line + index, key, zh, en, found=line.strip(), expected=fixed, hint=hint)
    return None


_CURLY = {"“": "”", "‘": "’", "「": "」", "『": "』", "＂": "＂", "＇": "＇"}


def curly_quotes_hint(text: str) -> str | None:
    """What to type when a value is wrapped in Chinese quotes (`plan: “2025”`): YAML keeps them as part of it."""
    text = text.strip()
    if len(text) < 2 or _CURLY.get(text[0]) != text[-1]:
        return None
    inner = text[1:-1].strip()
    return (
        f'中文引号 {text[0]}{text[-1]} 不是 YAML 的引号，会当作值的一部分：去掉它们，或换成英文引号，写作 "{inner}"'
        f' / Chinese quotes are part of the value: write "{inner}"'
    )
