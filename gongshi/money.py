"""Money in 万元 as published: parsing staff input exactly, formatting it for readers."""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer
from pydantic_core import PydanticCustomError

YUAN_PER_WAN = Decimal(10000)
_PLAIN_NUMBER = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$")  # ASCII only: Decimal() also takes "１１５０"
_UNIT_WORDS = ("万元", "万", "元", "%", "％", "㎡", "人", "个", "场", "次")


def parse_decimal(value: Any) -> Decimal:
    """Accept an int, a Decimal or a plain ASCII number string; explain anything else."""
    if isinstance(value, bool):
        raise PydanticCustomError("gs_number", "应为数字，而不是“是/否” | expected a number, not true/false")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        # Unreachable from our YAML reader, which reads floats as Decimal; refuse to guess.
        raise PydanticCustomError("gs_number", "金额不能是浮点数 | float amounts lose cents")
    if isinstance(value, str):
        return _parse_number_text(value)
    raise PydanticCustomError("gs_number", "应为数字 | expected a number")


def _parse_number_text(text: str) -> Decimal:
    stripped = text.strip()
    if _PLAIN_NUMBER.match(stripped):
        try:
            return Decimal(stripped)
        except InvalidOperation:
            pass
    normalized = unicodedata.normalize("NFKC", stripped)
    unit = next((u for u in _UNIT_WORDS if u in stripped), None)
    digits = re.sub(r"[^\d.]", "", normalized)
    suggestion = digits or "1150"
    if unit:
        raise PydanticCustomError(
            "gs_number_unit",
            "数字字段只写数字，不要写单位“{unit}”，请改为：{suggestion} | write the number only, without the unit: {suggestion}",
            {"unit": unit, "suggestion": suggestion},
        )
    if normalized != stripped and _PLAIN_NUMBER.match(normalized):
        raise PydanticCustomError(
            "gs_number_fullwidth",
            "使用了全角数字或符号，请改为半角：{suggestion} | full-width digits; write half-width: {suggestion}",
            {"suggestion": normalized},
        )
    raise PydanticCustomError(
        "gs_number", "应为数字，例如 1150 或 962.310194 | expected a number, e.g. 1150 or 962.310194"
    )


# The amounts a site publishes: 万元 to 6 decimals (0.01 元, a fen) and below a billion 万元 (10 万亿元): at
# most 15 significant digits, which a chart's JavaScript number (a double) and a spreadsheet still hold exactly.
WAN_DECIMALS = 6
MAX_WAN = Decimal("999999999.999999")


def _non_negative(value: Any) -> Decimal:
    """An amount in 万元: not negative, at most WAN_DECIMALS decimals, at most MAX_WAN."""
    number = parse_decimal(value)
    if number < 0:
        raise PydanticCustomError("gs_negative", "金额不能为负数 | amount cannot be negative")
    if not number.is_finite() or number > MAX_WAN:
        raise PydanticCustomError(
            "gs_too_large",
            "金额过大：最多 {max} 万元 | amount too large: at most {max} (万元)",
            {"max": wan_text(MAX_WAN)},
        )
    if number != number.quantize(Decimal(1).scaleb(-WAN_DECIMALS), rounding="ROUND_DOWN"):
        raise PydanticCustomError(
            "gs_too_precise",
            "金额最多 {decimals} 位小数（万元，精确到分） | at most {decimals} decimals (万元, to the fen)",
            {"decimals": WAN_DECIMALS},
        )
    return number


Wan = Annotated[Decimal, BeforeValidator(_non_negative), PlainSerializer(lambda d: str(d), return_type=str)]
"""An amount in 万元, exact, never negative."""

Number = Annotated[Decimal, BeforeValidator(parse_decimal), PlainSerializer(lambda d: str(d), return_type=str)]
"""An exact number (a target value, a percentage)."""


def wan_text(amount: Decimal) -> str:
    """1150 → '1,150', 962.310194 → '962.310194' (as published, grouped)."""
    normalized = plain(amount)
    whole, _, frac = normalized.partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = whole.lstrip("-")
    grouped = f"{int(whole):,}"
    return f"{sign}{grouped}.{frac}" if frac else f"{sign}{grouped}"


HEADLINE_PLACES = 2
"""Decimals of 万元 a headline amount keeps (a hundred 元): what a reader takes in at a glance."""


def headline_amount(amount: Decimal) -> Decimal:
    """The amount a headline shows: as published when it has at most two decimals of 万元, else rounded half up
    to two (962.310194 → 962.31). The exact figure is shown one step away (the detail rows, downloads)."""
    if -amount.normalize().as_tuple().exponent <= HEADLINE_PLACES:
        return amount
    return amount.quantize(Decimal(1).scaleb(-HEADLINE_PLACES), rounding=ROUND_HALF_UP)


def is_rounded(amount: Decimal) -> bool:
    """Whether the headline of `amount` is not the exact figure."""
    return headline_amount(amount) != amount


def headline_wan(amount: Decimal, grouped: bool = True) -> str:
    """A headline amount in 万元, without the unit: 962.310194 → '962.31', 3952.310194 → '3,952.31',
    1150 → '1,150', 34.5 → '34.5' (exact: as published), 1000.004 → '1,000.00' (rounded: two decimals, so a
    reader sees it is rounded). `grouped=False` leaves out the thousands separators (a text message)."""
    value = headline_amount(amount)
    if value == amount:
        text = wan_text(amount)
    else:
        text = f"{value:,.{HEADLINE_PLACES}f}"
    return text if grouped else text.replace(",", "")


def yuan_text(amount: Decimal) -> str:
    """万元 → 元 with thousands separators: 962.310194 → '9,623,101.94'."""
    return wan_text(amount * YUAN_PER_WAN)


def plain(number: Decimal) -> str:
    """Decimal without exponent or trailing zeros: 1.150E+3 → '1150'."""
    text = format(number.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"
