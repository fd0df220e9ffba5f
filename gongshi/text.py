"""Text hygiene: the one rule for which characters may be published, used for every field and commit message.

A notice is read on phones, printed, fed to feed readers and opened in spreadsheets. Some characters have no
place in any of them: C0 and C1 control characters (a terminal escape, a NUL that makes XML ill-formed),
the bidirectional embeddings, overrides and isolates that reorder what a reader sees ("Trojan source"),
surrogates, the Unicode non-characters (U+FFFE, U+FFFF and the rest), which XML and XLSX refuse, and the
line and paragraph separators U+2028/U+2029, which YAML and old JavaScript take for line breaks.
Content files are refused when they contain one (`find_unsafe`, with file, line and field); text that
cannot be refused because it is already history — commit messages, old versions of records — has them
removed (`strip_unsafe`, `one_line`). Tab, line feed and carriage return are ordinary text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
)
UNSAFE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # C0 (but tab, LF, CR), DEL, C1
    "\u202a-\u202e\u2066-\u2069"  # bidi embeddings, overrides and isolates
    "\u2028\u2029"  # line and paragraph separators: line breaks to YAML and old JavaScript, invisible in editors
    "\ud800-\udfff"  # surrogates (a YAML escape can make one; no encoder writes it)
    f"{_NONCHARACTERS}]"
)
"""Characters never published: refused in content, removed from history."""

# Characters that draw nothing: a name made only of these would publish an invisible name.
_BLANK_CATEGORIES = {"Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Me", "Cs"}
_BLANK_LETTERS = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800", "\u180e"}  # Hangul fillers, braille blank


@dataclass(frozen=True)
class Unsafe:
    """The first character that may not be published, where it is, and what it is, in Chinese and English."""

    char: str
    position: int

    @property
    def code(self) -> str:
        return f"U+{ord(self.char):04X}"

    @property
    def kind(self) -> tuple[str, str]:
        point = ord(self.char)
        if 0x202A <= point <= 0x202E or 0x2066 <= point <= 0x2069:
            return "改变文字方向的双向控制字符", "bidirectional control character"
        if point in (0x2028, 0x2029):
            return "分行控制字符", "line or paragraph separator"
        if 0xD800 <= point <= 0xDFFF:
            return "代理字符，不是完整的文字", "surrogate"
        if point > 0x9F:
            return "Unicode 非字符，不是文字", "non-character"
        return "控制字符", "control character"

    @property
    def message(self) -> tuple[str, str]:
        """What is wrong, in Chinese and English."""
        zh, en = self.kind
        if "控制字符" in zh:
            return (
                f"含有不可见的{zh} {self.code}，请删除后重新输入",
                f"contains the invisible {en} {self.code}; delete it",
            )
        return f"含有无效字符 {self.code}（{zh}），请删除", f"contains the {en} {self.code}; delete it"


def find_unsafe(text: str) -> Unsafe | None:
    """The first character of `text` that may not be published, or None."""
    match = UNSAFE.search(text)
    return Unsafe(match.group(), match.start()) if match else None


_CHAR_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));?")


def find_unsafe_markup(text: str) -> Unsafe | None:
    """Like `find_unsafe`, for Markdown with HTML (a record's body): a numeric character reference such as
    `&#x202E;` or `&#xFFFE;` becomes that character in the page, so it is refused like the character."""
    found = [bad] if (bad := find_unsafe(text)) else []
    for match in _CHAR_REFERENCE.finditer(text):
        code = int(match.group(1), 16) if match.group(1) else int(match.group(2))
        char = chr(code) if 0 < code <= 0x10FFFF else "\x00"
        if UNSAFE.fullmatch(char):
            found.append(Unsafe(char, match.start()))
            break
    return min(found, key=lambda u: u.position) if found else None


def strip_unsafe(text: str) -> str:
    """`text` without the characters that may not be published (for history, which cannot be refused)."""
    return UNSAFE.sub("", text)


def one_line(text: str, limit: int = 300) -> str:
    """Text from outside the content (a commit message) as one clean line of at most `limit` characters."""
    line = " ".join(strip_unsafe(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def visible(text: str, limit: int | None = None) -> str:
    """Text for an error message: every unsafe character shown as ⟨U+XXXX⟩, so that a terminal or a log
    shows where it is instead of obeying it."""
    shown = UNSAFE.sub(lambda m: f"⟨U+{ord(m.group()):04X}⟩", text)
    if limit is not None and len(shown) > limit:
        shown = shown[: limit - 1] + "…"
    return shown


def excerpt(text: str, position: int, width: int = 24) -> str:
    """The text around `position`, made `visible`, for an error's "found"."""
    start, end = max(0, position - width), position + width
    return ("…" if start else "") + visible(text[start:end]) + ("…" if end < len(text) else "")


def is_blank(text: str) -> bool:
    """True for non-empty text in which no character draws anything (zero-width spaces, joiners, fillers)."""
    return bool(text) and all(
        ch.isspace() or ch in _BLANK_LETTERS or unicodedata.category(ch) in _BLANK_CATEGORIES for ch in text
    )


def non_ascii_digit(text: str) -> str | None:
    """The first digit that is not 0–9 (full-width, superscript, circled, Arabic-Indic …), or None."""
    return next((ch for ch in text if ch.isdigit() and not ("0" <= ch <= "9")), None)
