"""Turn pydantic's validation errors into errors staff can act on."""

from __future__ import annotations

import difflib
import re
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ValidationError

from gongshi.content.fields import spec_of
from gongshi.content.model import DISCLOSURE_KINDS, NOTICE_STAGES
from gongshi.content.read import Document, dotted
from gongshi.content.slips import curly_quotes_hint, date_hint
from gongshi.errors import ContentError
from gongshi.text import excerpt, visible

# pydantic error type → (Chinese, English, what is expected)
_MESSAGES: dict[str, tuple[str, str, str | None]] = {
    "missing": ("缺少必填字段", "required field is missing", "填写这个字段"),
    "extra_forbidden": ("未知字段", "unknown field", "模型中定义的字段名（见填写指南）"),
    "string_type": ("应为文字", "expected text", "一段文字"),
    "string_too_short": ("不能为空", "must not be empty", "至少一个字"),
    "string_too_long": ("文字过长", "text is too long", None),
    "string_pattern_mismatch": ("格式不对", "wrong format", None),
    "int_type": ("应为整数", "expected a whole number", "整数，如 2"),
    "int_parsing": ("应为整数", "expected a whole number", "整数，如 2"),
    "int_from_float": ("应为整数", "expected a whole number", "整数，如 2"),
    "literal_error": ("不是允许的取值", "not one of the allowed values", None),
    "date_type": ("应为日期", "expected a date", "YYYY-MM-DD，如 2025-02-25"),
    "date_from_datetime_parsing": ("日期格式不对", "invalid date", "YYYY-MM-DD，如 2025-02-25"),
    "date_parsing": ("日期格式不对", "invalid date", "YYYY-MM-DD，如 2025-02-25"),
    "tuple_type": ("应为列表", "expected a list", "以“- ”开头的多行列表"),
    "too_short": ("列表不能为空", "list must not be empty", "至少一项"),
    "model_type": ("应为一组字段", "expected a group of fields", "缩进的“字段: 值”"),
    "model_attributes_type": ("应为一组字段", "expected a group of fields", "缩进的“字段: 值”"),
    "dict_type": ("应为一组字段", "expected a group of fields", "缩进的“字段: 值”"),
    "greater_than_equal": ("数值太小", "value is too small", None),
    "greater_than": ("数值太小", "value is too small", None),
    "less_than_equal": ("数值太大", "value is too large", None),
    "decimal_type": ("应为数字", "expected a number", "数字，如 1150"),
}


def explain(exc: ValidationError, doc: Document, model: type[BaseModel], prefix: tuple = ()) -> list[ContentError]:
    """One ContentError per pydantic error, located by the document's line map."""
    raw = exc.errors(include_url=False)
    errors = []
    for err in raw:
        loc = prefix + tuple(err["loc"])
        if err["type"] == "too_short" and any(
            len(o["loc"]) > len(err["loc"]) and tuple(o["loc"][: len(err["loc"])]) == tuple(err["loc"]) for o in raw
        ):
            continue  # "at least 1 item after validation": its only item is wrong, and has its own error
        errors.append(_one(err, loc, doc, model))
    return errors


def _one(err: dict[str, Any], loc: tuple, doc: Document, model: type[BaseModel]) -> ContentError:
    kind = err["type"]
    found = _found(err.get("input"))
    ctx = err.get("ctx") or {}
    if kind.startswith("gs_"):
        zh, _, en = err["msg"].partition(" | ")
        line = doc.line_of(loc)
        if loc == ("body",) and "position" in ctx:  # the body has no field lines: count to the character
            line = doc.body_line + doc.body[: ctx["position"]].count("\n")
            found = None  # the line number says where; the whole body would say nothing more
        elif kind == "gs_blank_text" and isinstance(err.get("input"), str):
            found = " ".join(f"U+{ord(c):04X}" for c in err["input"][:8])  # shown, they would show nothing
        elif "position" in ctx and isinstance(err.get("input"), str):
            found = excerpt(err["input"], ctx["position"])
        return ContentError(doc.file, line, dotted(loc), zh.strip(), en.strip() or zh, found=found)
    if kind in ("too_long", "too_short") and isinstance(err.get("input"), str):
        kind = f"string_{kind}"  # a length limit after a BeforeValidator (Name) comes back as too_long/too_short
    zh, en, expected = _MESSAGES.get(kind, ("取值无效", err["msg"], None))
    hint = None
    if kind == "extra_forbidden":
        hint = _did_you_mean(str(loc[-1]), _fields_at(model, loc[:-1]))
    if kind == "literal_error":
        expected = allowed_values(str(ctx.get("expected", "")))
        hint = _id_for_label(err.get("input"), str(ctx.get("expected", "")))
    if kind in ("greater_than_equal", "greater_than"):
        expected = f"不小于 {ctx.get('ge', ctx.get('gt'))}"
    if kind == "less_than_equal":
        expected = f"不大于 {ctx.get('le')}"
    if kind == "string_too_long":
        expected = f"不超过 {ctx.get('max_length')} 个字"
    if kind == "string_pattern_mismatch":
        expected = _pattern_words(str(ctx.get("pattern", "")))
    if kind.startswith("date") and isinstance(err.get("input"), str):
        hint = date_hint(err["input"])
    elif kind == "string_type" and isinstance(err.get("input"), (int, Decimal)) and not isinstance(err["input"], bool):
        hint = '数字会被当作数值读入；这里要的是文字，请加英文引号，如 "12317" (quote it)'
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        group = _model_at(model, loc) if any(isinstance(p, str) for p in loc) else None
        if group is not None and any(spec_of(group, n).example for n in group.model_fields):
            expected, hint = _group_example(group, loc, err.get("input"))
    if hint is None and isinstance(err.get("input"), str):
        hint = curly_quotes_hint(err["input"])
    if kind == "missing":
        found = "（没有这个字段）"
        if loc[:1] == ("body",):
            expected = "正文"
    return ContentError(doc.file, doc.line_of(loc), dotted(loc), zh, en, found=found, expected=expected, hint=hint)


_VALUE_LABELS: dict[str, str] = {**NOTICE_STAGES, **DISCLOSURE_KINDS}
"""The Chinese name beside an id a clerk writes: plan（项目计划公示）."""


def allowed_values(expected: str) -> str:
    """pydantic's "'library', 'plan' or 'review'" as a clerk reads it: each id with its Chinese name, joined with
    、 and 或: library（项目入库公示）、plan（项目计划公示）或 review（项目绩效自评公示）."""
    values = re.findall(r"'((?:[^'\\]|\\.)*)'", expected)
    if not values:
        return expected
    shown = [f"{v}（{_VALUE_LABELS[v]}）" if v in _VALUE_LABELS else v for v in values]
    if len(shown) == 1:
        return shown[0]
    return "、".join(shown[:-1]) + ("或 " if shown[-1][:1].isascii() else "或") + shown[-1]


def _id_for_label(found: Any, expected: str) -> str | None:
    """A clerk who wrote the Chinese name (计划公示) where the id (plan) goes: which id to write."""
    if not isinstance(found, str) or not found.strip():
        return None
    text = found.strip()
    ids = [v for v, label in _VALUE_LABELS.items() if f"'{v}'" in expected and (text in label or label in text)]
    return f"这里写英文编号，不写中文名称：“{text}”应写作 {ids[0]}" if len(ids) == 1 else None


def _pattern_words(pattern: str) -> str:
    if "jpg|jpeg" in pattern:
        return "照片文件名：英文字母、数字和 - _ . 组成，扩展名为小写的 .jpg、.jpeg、.png 或 .webp，如 site-2025-06.jpg"
    if "a-z0-9" in pattern:
        return "小写英文字母、数字和连字符，如 mouxiang-road"
    if r"\d{12}" in pattern:
        return "12位数字的统计用区划代码；名单中没有的写“原文件未列明”"
    if "https" in pattern:
        return "以 https:// 开头的网址"
    if pattern.startswith("^[0-9"):
        return "电话号码：数字、空格、- 和括号，3 到 30 个字符，如 0833-5123456"
    return pattern


def _found(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list, tuple)):
        return None
    return visible(str(value), 60)


_QUANTITY_TEXT = re.compile(
    r"^\s*(?P<about>约)?\s*(?P<value>[0-9]+(?:\.[0-9]+)?)\s*(?P<unit>[^\s0-9.]+?)\s*(?P<comparator>以上|以下|余|左右)?\s*$"
)


def _group_example(group: type[BaseModel], loc: tuple, value: Any) -> tuple[str, str]:
    """What a group of fields looks like, for a clerk who wrote a value on one line (people: 5000人以上): its
    fields with their labels, and the lines to write, from her own text where it reads as number, unit and
    comparator, else from the fields' examples."""
    names = [n for n in group.model_fields if spec_of(group, n).example or group.model_fields[n].is_required()]
    examples = {n: spec_of(group, n).example for n in names}
    quantity = _QUANTITY_TEXT.match(value) if isinstance(value, str) and {"value", "unit"} <= set(names) else None
    if quantity:
        comparator = "约" if quantity["about"] or quantity["comparator"] == "左右" else quantity["comparator"]
        examples = {"value": quantity["value"], "unit": quantity["unit"]}
        if comparator and "comparator" in names:
            examples["comparator"] = comparator
    key = next((str(p) for p in reversed(loc) if not isinstance(p, int)), "")
    head = f"- {key}:" if loc and isinstance(loc[-1], int) else f"{key}:"
    lines = "\n".join(f"      {n}: {v}" for n, v in examples.items() if v)
    labels = "、".join(f"{n}（{spec_of(group, n).label}）" for n in names)
    return (
        f"一组缩进的字段：{labels}",
        f"不要写在一行里；写成下面几行（各字段比 {key} 多缩进两个空格，冒号后有一个空格）：\n    {head}\n{lines}",
    )


def _model_at(model: type[BaseModel], path: tuple) -> type[BaseModel] | None:
    """The sub-model that the field at `path` holds (None when it holds no group of fields)."""
    current: Any = model
    for part in path:
        if isinstance(part, int):
            continue
        field = getattr(current, "model_fields", {}).get(part)
        if field is None:
            return None
        current = _inner_model(field.annotation)
    return current if current is not model or not path else None


def _fields_at(model: type[BaseModel], path: tuple) -> list[str]:
    """Field names of the sub-model that `path` points into."""
    current: Any = model
    for part in path:
        if isinstance(part, int):
            continue
        field = getattr(current, "model_fields", {}).get(part)
        if field is None:
            return []
        current = _inner_model(field.annotation)
    return list(getattr(current, "model_fields", {}))


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _did_you_mean(name: str, candidates: list[str]) -> str | None:
    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
    if close:
        return f"是否应为 `{close[0]}`？ (did you mean `{close[0]}`?)"
    if candidates:
        return "允许的字段 (allowed fields): " + ", ".join(c for c in candidates if c not in ("body", "source"))
    return None
