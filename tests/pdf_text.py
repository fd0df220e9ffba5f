"""What a printed PDF says and where: the text runs of a PDF that Chromium (Skia) prints, with their place on the
sheet and the clip they are drawn in. Enough PDF for the tests of the printed notices, no more: Flate streams,
Type0/Type3 fonts with ToUnicode maps, marked content with ActualText, q/Q/cm, rectangle clips, BT/ET, Tf, Tm,
Td, Tj and TJ."""

from __future__ import annotations

import re
import unicodedata
import zlib
from dataclasses import dataclass

_OBJECT = re.compile(rb"(\d+) 0 obj\s*(.*?)endobj", re.S)
_STREAM = re.compile(rb"stream\r?\n(.*)\r?\nendstream", re.S)
_TOKEN = re.compile(
    rb"<<|>>|\[|\]|<[0-9A-Fa-f\s]*>|\((?:\\.|[^\\)])*\)|/[^\s/\[\]()<>{}]*|[-+]?(?:\d+\.?\d*|\.\d+)|[A-Za-z'\"*]+"
)

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _mul(m: Matrix, n: Matrix) -> Matrix:
    """m then n (PDF's row-vector convention: m × n)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return (a * x + c * y + e, b * x + d * y + f)


@dataclass(frozen=True)
class Run:
    """One drawn piece of text: its page (from 0), where it starts on the sheet (points, origin top left), and
    the clip rectangle it is drawn in (left, top, right, bottom), or None when only the sheet clips it."""

    page: int
    text: str
    x: float
    y: float
    clip: tuple[float, float, float, float] | None

    @property
    def visible(self) -> bool:
        if self.clip is None:
            return True
        left, top, right, bottom = self.clip
        return left - 0.5 <= self.x <= right + 0.5 and top - 0.5 <= self.y <= bottom + 0.5


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    runs: list[Run]

    def rows(self) -> list[list[Run]]:
        """The page's runs, a row per baseline from the top, each in reading order."""
        rows: dict[int, list[Run]] = {}
        for run in self.runs:
            rows.setdefault(round(run.y), []).append(run)
        return [sorted(rows[y], key=lambda r: r.x) for y in sorted(rows)]

    def lines(self) -> list[str]:
        """The page's text, a line per baseline."""
        return ["".join(r.text for r in row) for row in self.rows()]

    @property
    def text(self) -> str:
        return "\n".join(self.lines())


def _cmap(data: bytes) -> tuple[dict[bytes, str], int]:
    """A ToUnicode CMap: code bytes → text, and the code's width in bytes."""
    width = 1
    space = re.search(rb"begincodespacerange\s*<([0-9A-Fa-f]+)>", data)
    if space:
        width = len(space.group(1)) // 2
    out: dict[bytes, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for code, uni in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            out[bytes.fromhex(code.decode())] = bytes.fromhex(uni.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, uni in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            start, end, first = int(lo, 16), int(hi, 16), int(uni, 16)
            for i in range(end - start + 1):
                out[(start + i).to_bytes(len(lo) // 2, "big")] = chr(first + i)
    return out, width


def _radicals(text: str) -> str:
    """A font's cmap may name a Kangxi radical (U+2F00-2FDF) or a compatibility ideograph for an ordinary
    character (⽰ for 示); the PDF's ToUnicode then says the radical. Read it as the character it looks like."""
    return "".join(
        unicodedata.normalize("NFKC", c) if "\u2e80" <= c <= "\u2fdf" or "\uf900" <= c <= "\ufaff" else c for c in text
    )


def _string(token: bytes) -> bytes:
    if token.startswith(b"<"):
        return bytes.fromhex(re.sub(rb"\s", b"", token[1:-1]).decode())
    body = token[1:-1]
    return re.sub(
        rb"\\([nrtbf()\\])", lambda m: {b"n": b"\n", b"r": b"\r", b"t": b"\t"}.get(m.group(1), m.group(1)), body
    )


def pdf_pages(pdf: bytes) -> list[Page]:
    """Every page of the PDF with its text runs."""
    objects = {int(n): body for n, body in _OBJECT.findall(pdf)}

    def stream(n: int) -> bytes:
        body = objects[n]
        raw = _STREAM.search(body).group(1)
        return zlib.decompress(raw) if b"/FlateDecode" in body.split(b"stream", 1)[0] else raw

    fonts: dict[int, tuple[dict[bytes, str], int]] = {}

    def font(n: int) -> tuple[dict[bytes, str], int]:
        if n not in fonts:
            ref = re.search(rb"/ToUnicode (\d+) 0 R", objects[n])
            fonts[n] = _cmap(stream(int(ref.group(1)))) if ref else ({}, 1)
        return fonts[n]

    pages = []
    kids = re.search(rb"/Type /Pages.*?/Kids \[(.*?)\]", pdf, re.S)
    order = [int(k) for k in re.findall(rb"(\d+) 0 R", kids.group(1))] if kids else []
    for number, n in enumerate(order):
        body = objects[n]
        box = [float(v) for v in re.search(rb"/MediaBox \[([^\]]*)\]", body).group(1).split()]
        width, height = box[2] - box[0], box[3] - box[1]
        font_refs = {}
        resources = re.search(rb"/Font <<(.*?)>>", body, re.S)
        if resources:
            font_refs = {name: int(ref) for name, ref in re.findall(rb"/(\w+) (\d+) 0 R", resources.group(1))}
        contents = [
            int(c) for c in re.findall(rb"(\d+) 0 R", re.search(rb"/Contents (\[[^\]]*\]|\d+ 0 R)", body).group(1))
        ]
        data = b"\n".join(stream(c) for c in contents)
        pages.append(Page(width, height, _runs(number, data, height, {k: font(v) for k, v in font_refs.items()})))
    return pages


def _runs(page: int, data: bytes, height: float, fonts: dict[bytes, tuple[dict[bytes, str], int]]) -> list[Run]:
    runs: list[Run] = []
    ctm, clip = IDENTITY, None
    stack: list[tuple[Matrix, tuple | None]] = []
    tm = tlm = IDENTITY
    cmap: tuple[dict[bytes, str], int] = ({}, 1)
    actual: list[str | None] = []  # marked content: the ActualText of each open BDC (None when it has none)
    pending_rect = None
    operands: list = []

    def sheet(x: float, y: float) -> tuple[float, float]:
        px, py = _apply(ctm, x, y)
        return px, height - py

    def show(codes: bytes) -> None:
        mapping, width = cmap
        text = "".join(mapping.get(codes[i : i + width], "\ufffd") for i in range(0, len(codes), width))
        for k in range(len(actual) - 1, -1, -1):  # inside a span with ActualText: its text once, for all its glyphs
            if actual[k] is not None:
                text, actual[k] = actual[k], ""
                break
        x, y = sheet(*_apply(tm, 0, 0))
        if text:
            runs.append(Run(page, _radicals(text), x, y, clip))

    tokens = _TOKEN.findall(data)
    i = 0
    while i < len(tokens):
        t = tokens[i]
        i += 1
        if t == b"<<":  # a dictionary operand (marked content properties): keep its ActualText, if any
            depth, start = 1, i
            while depth:
                depth += {b"<<": 1, b">>": -1}.get(tokens[i], 0)
                i += 1
            inner = tokens[start : i - 1]
            text = None
            if b"/ActualText" in inner:
                value = inner[inner.index(b"/ActualText") + 1]
                raw = _string(value)
                text = raw[2:].decode("utf-16-be") if raw.startswith(b"\xfe\xff") else raw.decode("latin-1")
            operands.append(("dict", text))
            continue
        if t == b"[":
            items = []
            while tokens[i] != b"]":
                items.append(tokens[i])
                i += 1
            i += 1
            operands.append(("array", items))
            continue
        if t[:1] in b"</(" or re.fullmatch(rb"[-+]?(?:\d+\.?\d*|\.\d+)", t):
            operands.append(t)
            continue
        op = t
        nums = [float(o) for o in operands if isinstance(o, bytes) and re.fullmatch(rb"[-+]?(?:\d+\.?\d*|\.\d+)", o)]
        if op == b"q":
            stack.append((ctm, clip))
        elif op == b"Q":
            ctm, clip = stack.pop() if stack else (IDENTITY, None)
        elif op == b"cm":
            ctm = _mul(tuple(nums[-6:]), ctm)
        elif op == b"re":
            x, y, w, h = nums[-4:]
            corners = [sheet(x, y), sheet(x + w, y + h)]
            pending_rect = (
                min(c[0] for c in corners),
                min(c[1] for c in corners),
                max(c[0] for c in corners),
                max(c[1] for c in corners),
            )
        elif op in (b"W", b"W*"):
            if pending_rect is not None:
                if clip is None:
                    clip = pending_rect
                else:
                    clip = (
                        max(clip[0], pending_rect[0]),
                        max(clip[1], pending_rect[1]),
                        min(clip[2], pending_rect[2]),
                        min(clip[3], pending_rect[3]),
                    )
        elif op in (b"n", b"f", b"S", b"B", b"f*", b"B*"):
            pending_rect = None
        elif op == b"BT":
            tm = tlm = IDENTITY
        elif op == b"Tf":
            name = next(o for o in operands if isinstance(o, bytes) and o.startswith(b"/"))
            cmap = fonts.get(name[1:], ({}, 1))
        elif op == b"Tm":
            tm = tlm = tuple(nums[-6:])
        elif op in (b"Td", b"TD"):
            tm = tlm = _mul((1, 0, 0, 1, nums[-2], nums[-1]), tlm)
        elif op == b"Tj":
            show(_string(operands[-1]))
        elif op == b"TJ":
            show(b"".join(_string(item) for item in operands[-1][1] if item[:1] in b"<("))
        elif op in (b"BDC", b"BMC"):
            props = next((o for o in operands if isinstance(o, tuple) and o[0] == "dict"), None)
            actual.append(props[1] if props else None)
        elif op == b"EMC" and actual:
            actual.pop()
        operands = []
    return runs
