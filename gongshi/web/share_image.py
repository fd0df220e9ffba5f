"""The share image of a project or a village (a PNG 1080 px wide, for WeChat groups), drawn at build time with
Pillow and a CJK font (gongshi.web.fonts). Text is black on white, line by line, so that what it says can be
read back; nothing is drawn that the card does not hold."""

from __future__ import annotations

import functools
import io
import re
from dataclasses import dataclass, field

import segno
from PIL import Image, ImageDraw, ImageFont, PngImagePlugin

from gongshi.web.fonts import CJK_FAMILY, YI_SOURCE, cjk_font, is_yi

WIDTH = 1080
HEIGHT = 1350  # 4:5, what WeChat and most phones show whole: the tallest card; a card is as tall as what it says
FOOT = 230  # the rule, the hotline, the footer line and the QR code
MARGIN = 64
BAND = (0xB7, 0x1C, 0x1C)  # the site's primary colour (gongshi.css)
BAND_HEIGHT = 132
INK = 0  # grey levels: the card is drawn in greyscale, the band as white on its colour
GREY = 85
WHITE = 255
LEVELS = 128  # palette entries per ramp: black → white for the card, the band's colour → white for the band


def _palette() -> list[int]:
    """256 RGB entries: LEVELS greys from black to white, then LEVELS steps from the band's colour to white."""
    out = []
    for i in range(LEVELS):
        out += [round(i * 255 / (LEVELS - 1))] * 3
    for i in range(LEVELS):
        out += [round(c + (255 - c) * i / (LEVELS - 1)) for c in BAND]
    return out


PALETTE = _palette()


@dataclass(frozen=True)
class Card:
    """What a share image says: a kicker, the name, the amount, a few labelled facts, the hotline, a QR code."""

    kicker: str
    title: str
    amount: str  # the headline: 962.31 万元 (gongshi.money.headline_wan)
    amount_note: str  # the exact figure: 精确金额 962.310194 万元, or 合 11,500,000 元 when the headline is exact
    facts: tuple[tuple[str, str], ...] = ()
    hotline: str = ""
    url: str = ""  # absolute; '' without site_url: no QR code
    title_ii: str = ""
    footer: str = ""
    meta: dict[str, str] = field(default_factory=dict)
    amount_label: str = "规划投资"


@functools.cache
def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    path, index = cjk_font(bold)
    return ImageFont.truetype(path, size, index=index)


@functools.cache
def _yi_font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(YI_SOURCE), size)


_WORD = re.compile(r"[A-Za-z0-9]+(?:[.,:/'’\-][A-Za-z0-9]+)*[%％]?")
CLOSING = set("，。、；：！？）」』”’》〉】…%％·,.;:!?)]")
"""Characters a line never starts with: they stay with the character before them."""
OPENING = set("（「『“‘《〈【([")
"""Characters a line never ends with: they stay with the character after them."""


def tokens(text: str) -> list[str]:
    """The pieces a line may break between: a Latin word or a number whole (with its decimal point, separators
    and percent sign), each Chinese character alone; closing punctuation joined to the piece before it, opening
    punctuation to the piece after it."""
    pieces: list[str] = []
    i = 0
    while i < len(text):
        match = _WORD.match(text, i)
        piece = match.group(0) if match else text[i]
        i += len(piece)
        if pieces and (piece[0] in CLOSING or pieces[-1][-1] in OPENING):
            pieces[-1] += piece
        else:
            pieces.append(piece)
    return pieces


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Lines of at most `width` pixels, broken between pieces (gongshi.web.share_image.tokens): between Chinese
    characters, never inside a Latin word or a number, never before closing punctuation. The last line never holds
    a lone character: the piece before it comes down too. A piece wider than a line is broken between
    characters."""
    lines: list[list[str]] = []
    line: list[str] = []
    for piece in tokens(text):
        if line and font.getlength("".join(line) + piece) > width:
            lines.append(line)
            line = []
            piece = piece.lstrip()
        if font.getlength(piece) > width:  # no break point inside: break it between characters
            for char in piece:
                if line and font.getlength("".join(line) + char) > width:
                    lines.append(line)
                    line = []
                line.append(char)
        elif piece:
            line.append(piece)
    if line:
        lines.append(line)
    lone = len(lines) > 1 and len("".join(lines[-1]).strip()) == 1 and len(lines[-2]) > 1
    if lone and font.getlength(lines[-2][-1] + "".join(lines[-1])) <= width:
        lines[-1].insert(0, lines[-2].pop())
    return ["".join(line).rstrip() for line in lines]


def _clip(lines: list[str], count: int, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """At most `count` lines; the last one ends with … when text is left over."""
    if len(lines) <= count:
        return lines
    last = lines[count - 1]
    while last and font.getlength(last + "…") > width:
        last = last[:-1]
    return [*lines[: count - 1], last + "…"]


def _qr(url: str, size: int) -> Image.Image:
    """The QR code of `url` with a quiet zone of 2 modules, `size` pixels square, black (0) on white (255)."""
    code = segno.make(url, error="m", micro=False)
    rows = [bytes(0 if dark else 255 for dark in row) for row in code.matrix_iter(scale=1, border=2)]
    modules = Image.frombytes("L", (len(rows[0]), len(rows)), b"".join(rows))
    return modules.resize((size, size), Image.NEAREST)


@dataclass(frozen=True)
class _Text:
    y: int
    text: str
    font: ImageFont.FreeTypeFont
    fill: int


def layout(card: Card) -> tuple[int, list[_Text], int]:
    """Where each line of a card goes, the card's height and where its foot (rule, hotline, QR code) begins. The
    card is as tall as what it says, at most HEIGHT (4:5): facts that do not fit are cut with …."""
    inner = WIDTH - 2 * MARGIN
    out: list[_Text] = []
    y = BAND_HEIGHT + 48
    # The name, as large as fits in four lines.
    for size in (68, 60, 52, 46):
        title_font = _font(size, True)
        lines = wrap(card.title, title_font, inner)
        if len(lines) <= 4:
            break
    for line in _clip(lines, 4, title_font, inner):
        out.append(_Text(y, line, title_font, INK))
        y += int(title_font.size * 1.35)
    if card.title_ii:
        yi = _yi_font(44)
        for line in _clip(wrap(card.title_ii, yi, inner), 2, yi, inner):
            out.append(_Text(y, line, yi, INK))
            y += 62
    y += 24
    label = _font(34)
    out.append(_Text(y, card.amount_label, label, GREY))
    y += 52
    out.append(_Text(y, card.amount, _font(96, True), INK))
    y += 124
    if card.amount_note:
        out.append(_Text(y, card.amount_note, label, GREY))
        y += 60
    y += 16
    fact = _font(38)
    bottom = HEIGHT - FOOT
    for name, value in card.facts:
        room = max((bottom - y) // 54, 0)
        if room == 0:
            break
        for line in _clip(wrap(f"{name}：{value}", fact, inner), min(room, 3), fact, inner):
            out.append(_Text(y, line, fact, INK))
            y += 54
        y += 10
    foot = min(y + 20, HEIGHT - FOOT)
    return foot + FOOT, out, foot


def height(card: Card) -> int:
    """The card's height in pixels (its width is WIDTH)."""
    return layout(card)[0]


def chinese_text(card: Card) -> str:
    """Everything a card draws with the CJK font (the Yi line is drawn with the Yi font)."""
    facts = "".join(f"{name}：{value}" for name, value in card.facts)
    return "".join((card.kicker, card.title, card.amount_label, card.amount, card.amount_note, facts)) + (
        card.hotline + card.footer + "监督举报电话"
    )


def render(card: Card) -> bytes:
    """The PNG of a card; the same card gives the same bytes."""
    total, lines, foot = layout(card)
    image = Image.new("L", (WIDTH, total), WHITE)
    draw = ImageDraw.Draw(image)
    inner = WIDTH - 2 * MARGIN
    # The kicker on the band: the site's name, white (255) on the band's colour (0).
    band = Image.new("L", (WIDTH, BAND_HEIGHT), 0)
    kicker = _font(38, True)
    for i, line in enumerate(_clip(wrap(card.kicker, kicker, inner), 2, kicker, inner)):
        ImageDraw.Draw(band).text((MARGIN, 22 + i * 50), line, font=kicker, fill=WHITE)
    for line in lines:
        draw.text((MARGIN, line.y), line.text, font=line.font, fill=line.fill)
    # The hotline and the QR code at the foot.
    draw.line((MARGIN, foot, WIDTH - MARGIN, foot), fill=GREY, width=2)
    qr_size = 190 if card.url else 0
    text_width = inner - (qr_size + 30 if qr_size else 0)
    foot_y = foot + 30
    if card.hotline:
        draw.text((MARGIN, foot_y), "监督举报电话", font=_font(34), fill=GREY)
        draw.text((MARGIN, foot_y + 48), card.hotline, font=_font(60, True), fill=INK)
    note = _font(28)
    for i, line in enumerate(_clip(wrap(card.footer, note, text_width), 2, note, text_width)):
        draw.text((MARGIN, foot_y + 124 + i * 36), line, font=note, fill=GREY)
    if card.url:
        code = _qr(card.url, qr_size)
        image.paste(code, (WIDTH - MARGIN - qr_size, foot + 15))
    # One byte a pixel: the greys map to the first ramp (within 2 levels), the band to the second. A palette
    # image is a third of the RGB bytes to compress, and a third of the file.
    index = image.point(lambda v: v * (LEVELS - 1) // 255)
    index.paste(band.point(lambda v: LEVELS + v * (LEVELS - 1) // 255), (0, 0))
    image = Image.frombytes("P", index.size, index.tobytes())
    image.putpalette(PALETTE)
    info = PngImagePlugin.PngInfo()
    info.add_text("Software", "gongshi")
    info.add_text("Font", CJK_FAMILY)
    for key, value in card.meta.items():
        info.add_itxt(key, value)
    out = io.BytesIO()
    # zlib's default level: `optimize=True` made each image 3.5× slower to write (126 of 144 ms) for 4 % fewer bytes.
    image.save(out, "PNG", pnginfo=info)
    return out.getvalue()


def has_yi(text: str) -> bool:
    return any(is_yi(c) for c in text)
