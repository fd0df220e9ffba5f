"""How values read on the page: amounts, shares, targets, dates — the templates' filters."""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_FLOOR, Decimal

from markupsafe import Markup, escape

from gongshi.content.model import Project, Quantity, Target
from gongshi.money import plain, wan_text, yuan_text

# Python-Markdown's backslash escapes; `<` and `&` are handled by HTML escaping.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!])")
COMPARATOR_WORDS = {
    "以上": "不少于",
    "以下": "不超过",
    "约": "约",
    "余": "多于",
    "≥": "不少于",
    "≤": "不超过",
    "=": "等于",
}


def wan(amount: Decimal) -> str:
    """'1,150 万元'."""
    return f"{wan_text(amount)} 万元"


def yuan(amount: Decimal) -> str:
    """万元 amount shown in 元: '11,500,000 元'."""
    return f"{yuan_text(amount)} 元"


def number(value: Decimal) -> str:
    return wan_text(value)


def sum_investment(projects: list[Project]) -> Decimal:
    """The projects' investment added up (万元, exact)."""
    return sum((p.investment for p in projects), Decimal(0))


def shares(amounts: list[Decimal], total: Decimal | None = None, places: int = 1) -> list[Decimal]:
    """Percent shares rounded so that they add up to exactly 100 (largest-remainder method)."""
    total = sum(amounts, Decimal(0)) if total is None else total
    if total == 0:
        return [Decimal(0) for _ in amounts]
    step = Decimal(1).scaleb(-places)
    exact = [a * 100 / total for a in amounts]
    floored = [e.quantize(step, rounding=ROUND_FLOOR) for e in exact]
    missing = int((Decimal(100) - sum(floored, Decimal(0))) / step)
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - floored[i]), i))
    for i in order[: max(missing, 0)]:
        floored[i] += step
    return floored


def percent(value: Decimal) -> str:
    return f"{value}%"


def share(part: Decimal, whole: Decimal) -> str:
    """One share of a whole, one decimal: '29.1%'."""
    if whole == 0:
        return "—"
    return f"{(part * 100 / whole).quantize(Decimal('0.1'))}%"


def quantity(item: Target | Quantity) -> str:
    """A value with its unit and comparator, the way the document says it: '15,000㎡以上', '约2,000㎡', '10余名'."""
    if item.value is None:
        return ""
    value, unit = number(item.value), item.unit or ""
    comparator = item.comparator
    if comparator == "以上":
        return f"{value}{unit}以上"
    if comparator == "以下":
        return f"{value}{unit}以下"
    if comparator == "约":
        return f"约{value}{unit}"
    if comparator == "余":
        return f"{value}余{unit}"
    if comparator in ("≥", "≤", "="):
        return f"{comparator}{value}{unit}"
    return f"{value}{unit}"


def comparator_meaning(item: Target | Quantity) -> str:
    """What the comparator means, for readers who don't know 以上 includes the value."""
    if item.comparator is None:
        return ""
    return {
        "以上": "（含本数）",
        "以下": "（含本数）",
        "约": "（约数）",
        "余": "（多于此数）",
        "≥": "（不少于）",
        "≤": "（不超过）",
        "=": "（等于）",
    }[item.comparator]


def cn_date(value: dt.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def md(text: str) -> Markup:
    """Escape text for a Markdown line (a heading): HTML-escaped and Markdown syntax neutralised."""
    flat = " ".join(str(text).split())
    return Markup(escape(_MD_SPECIAL.sub(r"\\\1", flat)))


FILTERS = {
    "wan": wan,
    "yuan": yuan,
    "number": number,
    "plain": plain,
    "percent": percent,
    "quantity": quantity,
    "comparator_meaning": comparator_meaning,
    "cn_date": cn_date,
    "md": md,
}

GLOBALS = {"shares": shares, "share": share, "sum_investment": sum_investment}
"""Functions every template may call."""
