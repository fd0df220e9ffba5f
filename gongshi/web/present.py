"""How values read on the page: amounts, shares, targets, dates — the templates' filters."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from markupsafe import Markup, escape

from gongshi.content.in_force import dividend_basis
from gongshi.content.model import ICP_RECORD_PAGE, Project, Quantity, Target
from gongshi.content.unstated import NOT_STATED, UNSTATED, Total, stated
from gongshi.content.unstated import total as sum_of
from gongshi.content.wording import person_reader_text
from gongshi.money import headline_wan, plain, wan_text, yuan_text

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


def shows_unstated(show: Callable[..., Any]) -> Callable[..., Any]:
    """A value filter that reads 原文件未列明 where the document does not state the value (the one way pages
    show UNSTATED; see gongshi.content.unstated)."""

    @functools.wraps(show)
    def wrapper(value: Any, *args: Any, **kwargs: Any) -> Any:
        return NOT_STATED if value is UNSTATED else show(value, *args, **kwargs)

    return wrapper


def wan(amount: Decimal) -> str:
    """'1,150 万元'."""
    return f"{wan_text(amount)} 万元"


def headline(amount: Decimal) -> str:
    """A headline amount, as a reader takes it in: '3,952.31 万元' for 3952.310194 (gongshi.money.headline_wan);
    the exact figure goes in the line below it (templates/pages/_macros.md.j2 `hero_total`)."""
    return f"{headline_wan(amount)} 万元"


def rounded(amount: Decimal) -> bool:
    """Whether the headline form of an amount is rounded (the exact figure must then be shown beside it)."""
    return headline_wan(amount) != wan_text(amount)


def covered(sum_: Total, show: Callable[[Decimal], str]) -> str:
    """A sum by the one rule for partly stated values, its amount shown by `show`: the amount when every value is
    stated; what it covers when some are not ("已列明的 2 项合计 150 万元，另有 1 项未列明"); 原文件未列明 when
    none is."""
    if sum_.counted == 0 and sum_.missing:
        return NOT_STATED
    if sum_.complete:
        return show(sum_.amount)
    return f"已列明的 {sum_.counted} 项合计 {show(sum_.amount)}，另有 {sum_.missing} 项未列明"


def total_wan(sum_: Total) -> str:
    """A sum of amounts: '150 万元'; '已列明的 2 项合计 150 万元，另有 1 项未列明'."""
    return covered(sum_, wan)


def total_number(sum_: Total) -> str:
    """A sum of counts, without a unit: '5'; '已列明的 2 项合计 3，另有 1 项未列明'."""
    return covered(sum_, number)


def yuan(amount: Decimal) -> str:
    """万元 amount shown in 元: '11,500,000 元'."""
    return f"{yuan_text(amount)} 元"


def number(value: Decimal) -> str:
    return wan_text(value)


def sum_investment(projects: Iterable[Project]) -> Total:
    """The projects' investment added up (万元, exact), with how many state none: show it by `total_wan`."""
    return sum_of(p.investment for p in projects)


def shares(amounts: Iterable[Any], total: Any = None, places: int = 1) -> list[Any]:
    """Percent shares of a total (by default the amounts' own sum). When every amount is stated they add up to
    exactly 100 (largest-remainder method). An amount that is not stated has no share (UNSTATED); nor has any
    when the total is not stated (a default total over amounts of which one is not stated is not stated). The
    stated amounts of a stated total keep their own share, each rounded, which need not add up to 100."""
    amounts = list(amounts)
    if total is None:
        total = sum_of(amounts).value
    if not stated(total):
        return [UNSTATED for _ in amounts]
    step = Decimal(1).scaleb(-places)
    if total == 0:
        return [Decimal(0) if stated(a) else UNSTATED for a in amounts]
    if any(not stated(a) for a in amounts):
        return [(a * 100 / total).quantize(step) if stated(a) else UNSTATED for a in amounts]
    exact = [a * 100 / total for a in amounts]
    floored = [e.quantize(step, rounding=ROUND_FLOOR) for e in exact]
    missing = int((Decimal(100) - sum(floored, Decimal(0))) / step)
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - floored[i]), i))
    for i in order[: max(missing, 0)]:
        floored[i] += step
    return floored


def percent(value: Decimal) -> str:
    return f"{value}%"


def share(part: Any, whole: Any) -> str:
    """One share of a whole, one decimal: '29.1%'."""
    if not stated(part) or not stated(whole) or whole == 0:
        return "—"
    return f"{(part * 100 / whole).quantize(Decimal('0.1'))}%"


def quantity(item: Target | Quantity) -> str:
    """A value with its unit and comparator, the way the document says it: '15,000㎡以上', '约2,000㎡', '10余名'."""
    if item.value is None:
        return ""
    if item.value is UNSTATED:
        return NOT_STATED
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
    """What the comparator means, for readers who don't know 以上 includes the value ('' for a value the document
    does not state: nothing is said of 原文件未列明)."""
    if item.comparator is None or not stated(item.value):
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


def coord(value: float) -> str:
    """A drawing coordinate (SVG), not a figure: shortest form, '12.5', '100'."""
    return f"{value:g}"


def cn_date(value: dt.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def yi(record: Any, name: str) -> str:
    """The Yi version of a text field (`title_ii` beside `title`), or '' where the record gives none — or where
    the document does not state the Chinese value (nothing is printed beside 原文件未列明)."""
    if record is None or getattr(record, name, None) is UNSTATED:
        return ""
    return getattr(record, f"{name}_ii", None) or ""


def md(text: str) -> Markup:
    """Escape text for a Markdown line (a heading): HTML-escaped and Markdown syntax neutralised."""
    flat = " ".join(str(text).split())
    return Markup(escape(_MD_SPECIAL.sub(r"\\\1", flat)))


FILTERS = {
    name: shows_unstated(show)
    for name, show in {
        "wan": wan,
        "headline": headline,
        "yuan": yuan,
        "number": number,
        "plain": plain,
        "percent": percent,
        "quantity": quantity,
        "comparator_meaning": comparator_meaning,
        "cn_date": cn_date,
        "md": md,
        "text": str,
    }.items()
}
FILTERS["total_wan"] = total_wan
FILTERS["total_number"] = total_number
FILTERS["coord"] = coord

GLOBALS = {
    "shares": shares,
    "share": share,
    "sum_investment": sum_investment,
    "total_of": sum_of,
    "stated": stated,
    "rounded": rounded,
    "NOT_STATED": NOT_STATED,
    "yi": yi,
    "dividend_basis": dividend_basis,
    "person_text": person_reader_text,
    "icp_record_page": ICP_RECORD_PAGE,
}
"""Functions every template may call."""
