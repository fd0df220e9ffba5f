"""Words for the village channels: a text message of at most 70 characters and a loudspeaker script in plain
spoken Chinese, where every amount, count, percent and date is written as it is read aloud
(1150 万元 → 一千一百五十万元). Nothing is added that the record does not state."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

import cn2an

from gongshi.content.model import Project
from gongshi.content.places import Place
from gongshi.content.site import Site
from gongshi.content.unstated import stated, total
from gongshi.content.values import project_name
from gongshi.money import YUAN_PER_WAN, headline_wan, plain

SMS_LIMIT = 70
"""Characters in one Chinese text message (a UCS-2 segment); a longer one arrives split, or not at all."""
ELLIPSIS = "…"
NAME_ROOM = 8
"""Characters of a project's name a text message keeps before it names its villages more briefly."""
_DIGITS = "零一二三四五六七八九"  # read one by one: after a point, in a telephone number
_YEAR_DIGITS = "〇一二三四五六七八九"  # a year as written in words: 二〇二五年


MAX_DIGITS = 16
"""The longest whole number read as a number (cn2an's limit, 千万亿); a longer one is read digit by digit."""


def spoken_integer(number: int) -> str:
    """一千一百五十, 十万, 一千零一 (cn2an's lower-case reading); past 16 digits, digit by digit."""
    text = str(number)
    if len(text) > MAX_DIGITS:
        return "".join(_DIGITS[int(d)] for d in text)
    return cn2an.an2cn(text, "low")


def spoken_yuan(wan: Decimal) -> str:
    """An amount in 万元 as read aloud in 元: 1150 → 一千一百五十万元; 34.5 → 三十四万五千元;
    3952.310194 → 三千九百五十二万三千一百零一元九角四分. Every published digit is read."""
    yuan = wan * YUAN_PER_WAN
    whole = int(yuan)
    rest = yuan - whole
    words = spoken_integer(whole) + "元" if whole or not rest else ""
    if rest:
        cents = rest * 100
        if cents == int(cents):
            jiao, fen = divmod(int(cents), 10)
            words += (_DIGITS[jiao] + "角" if jiao else ("零" if whole and fen else "")) + (
                _DIGITS[fen] + "分" if fen else ""
            )
        else:  # finer than a fen: read the digits after the point
            words = f"{spoken_integer(whole)}点{''.join(_DIGITS[int(d)] for d in plain(rest).split('.')[1])}元"
    return words


def spoken_number(value: Decimal | str) -> str:
    """A count or measure: 120 → 一百二十; 3.5 → 三点五 (a string of digits is read as written)."""
    text = value if isinstance(value, str) else plain(value)
    whole, _, fraction = text.partition(".")
    words = spoken_integer(int(whole))
    return words + ("点" + "".join(_DIGITS[int(d)] for d in fraction) if fraction else "")


def spoken_date(day: dt.date) -> str:
    """2025-12-31 → 二〇二五年十二月三十一日."""
    year = "".join(_YEAR_DIGITS[int(d)] for d in str(day.year))
    return f"{year}年{spoken_integer(day.month)}月{spoken_integer(day.day)}日"


def spoken_digits(phone: str) -> str:
    """A telephone number read digit by digit: 12317 → 一二三一七."""
    return "".join(_DIGITS[int(c)] if c.isdigit() else "" for c in phone)


_PHONE = re.compile(
    r"(?:(?<=电话)|(?<=热线)|(?<=拨打)|(?<=手机)|(?<=号码))([：:]?\s*)(\d[\d\-－]{2,}\d)"
    r"|(?<![\d.])(0\d{2,3}[\-－]\d{7,8}|1[3-9]\d{9})(?![\d.])"
)
"""A telephone number: after 电话/热线/拨打/手机/号码, or shaped like one (0833-5123456, 13912345678)."""
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*[%％]")
_YEAR = re.compile(r"(\d{4})(?=\s*年)")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_UNITS = {
    "㎡": "平方米",
    "m²": "平方米",
    "㎥": "立方米",
    "m³": "立方米",
    "km": "公里",
    "㎞": "公里",
    "kg": "公斤",
    "㎏": "公斤",
}


def spoken_text(text: str) -> str:
    """Text from a record as read aloud: telephone numbers digit by digit (电话12317 → 电话一二三一七), years digit
    by digit (2025年 → 二〇二五年), percentages (3% → 百分之三), other numbers as numbers (1200 → 一千二百), unit
    signs as words (㎡ → 平方米)."""
    text = _PHONE.sub(lambda m: (m.group(1) or "") + spoken_digits(m.group(2) or m.group(3)), text)
    text = _YEAR.sub(lambda m: "".join(_YEAR_DIGITS[int(d)] for d in m.group(1)), text)
    text = _PERCENT.sub(lambda m: "百分之" + spoken_number(m.group(1)), text)
    text = _NUMBER.sub(lambda m: spoken_number(m.group(0)), text)
    for sign, word in _UNITS.items():
        text = text.replace(sign, word)
    return text


def hotline(site: Site) -> str:
    """The first supervision number the site publishes (12317 in the national rules), or ''."""
    return next((c.phone for c in site.config.contacts if c.phone), "")


def short_amount(wan: Decimal) -> str:
    """962.31万元: the headline amount (gongshi.money.headline_wan), no separator (a message counts characters);
    the exact figure is on the page the message links to."""
    return f"{headline_wan(wan, grouped=False)}万元"


def short_address(site_url: str) -> str:
    """The site's address without https:// and the final slash: what a phone turns into a link."""
    return re.sub(r"^https?://", "", site_url).rstrip("/")


@dataclass(frozen=True)
class Message:
    """A text message and how many characters it has."""

    text: str

    @property
    def length(self) -> int:
        return len(self.text)


def _fit(parts: list[str], name: str, limit: int) -> str:
    """The message with `name` at {name}, shortened with … when the whole would pass the limit."""
    template = "".join(parts)
    room = limit - len(template.replace("{name}", ""))
    if len(name) > room:
        name = name[: max(room - 1, 0)] + ELLIPSIS
    return template.replace("{name}", name)


def _room(parts: list[str]) -> int:
    return SMS_LIMIT - len("".join(parts).replace("{name}", ""))


def _shortest(name: str, wheres: list[str], ways: list[list[str]]) -> str:
    """The message that keeps the most: each way is a list of message parts with {name}, from the fullest to the
    briefest (each says the figures). Shortened in this order, least important first: the words around the
    figures (the ways, fullest first) while the name fits whole; then the name, to NAME_ROOM characters with …,
    linking the page itself (`wheres[0]`); then the link, to the next of `wheres` (the site's home, the village
    board); the name last.
    The amount and the telephone number are never cut."""
    for where in wheres:
        built = [[part.replace("{where}", where) for part in way] for way in ways]
        fits = next((parts for parts in built if _room(parts) >= len(name)), None)
        if fits is None and _room(built[-1]) >= min(len(name), NAME_ROOM):
            fits = built[-1]
        if fits is not None:
            return _fit(fits, name, SMS_LIMIT)
    return _fit([part.replace("{where}", wheres[-1]) for part in ways[-1]], name, SMS_LIMIT)


def project_sms(site: Site, project: Project, villages: tuple[Place, ...], wheres: list[str]) -> Message:
    """【公示】name 投资 amount，village等N个村共享。详见 page，监督电话 12317 — at most 70 characters, linking the
    project's own page (`wheres`: its address, then the site's home, or the village board). An amount several
    villages share says so (N个村共享). A fact the document does not state is left out (no amount clause without
    a stated investment); a project without a stated title is named by what the document does state of it
    (gongshi.content.values.project_name). See _shortest for what is shortened first."""
    phone = hotline(site)
    tail = "。详见{where}" + (f"，监督电话{phone}" if phone else "")
    amount = f"投资{short_amount(project.investment)}" if stated(project.investment) else ""
    ways = [[]]
    if len(villages) > 1 and amount:
        count = f"等{len(villages)}个村共享"
        ways = [[f"，{villages[0].full_name}{count}"], [f"，{villages[0].name}{count}"], [f"，{len(villages)}个村共享"]]
    elif len(villages) > 1:
        count = f"等{len(villages)}个村"
        ways = [[f"，受益{villages[0].full_name}{count}"], [f"，受益{villages[0].name}{count}"]]
        ways.append([f"，受益村{len(villages)}个"])
    elif villages:
        ways = [[f"，受益{villages[0].full_name}"], [f"，受益{villages[0].name}"], []]
    ways = [["【公示】{name}", amount, *way, tail] for way in ways]
    return Message(_shortest(project_name(site, project), wheres, ways))


def place_sms(site: Site, place: Place, projects: list[Project], wheres: list[str], shared: bool = True) -> Message:
    """【公示】village：N个项目与本村有关，总投资 X万元（多村共享）。详见 page，监督电话 12317, linking the village's
    own page (`wheres`, as for project_sms). The total is said only when the document states every project's
    investment: a part is not the total, and a text message has no room to say what a part covers. `shared`:
    some project's amount is shared with other villages."""
    phone = hotline(site)
    tail = "。详见{where}" + (f"，监督电话{phone}" if phone else "")
    invested = total(p.investment for p in projects)
    amount = short_amount(invested.amount) if invested.complete and projects else ""
    share = "（多村共享）" if shared and amount else ""
    ways = [
        ["【公示】{name}", f"：{len(projects)}个项目与本村有关", f"，总投资{amount}{share}" if amount else "", tail],
        ["【公示】{name}", f"：{len(projects)}个相关项目", f"，投资{amount}{share}" if amount else "", tail],
        ["【公示】{name}", f"：{len(projects)}个项目", f"{amount}" if amount else "", tail],
    ]
    return Message(_shortest(place.full_name, wheres, ways))
