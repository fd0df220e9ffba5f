"""Fonts the build uses: the Yi font the site serves (subset to the characters it uses) and the CJK face the
share images are drawn with.

- Yi: Nuosu SIL (OFL, SIL International), shipped in the package (gongshi/web/assets/fonts/, 255 KB), so every
  build of the same content makes the same subset on any machine. The subset keeps only the characters the
  site's Yi text uses and is renamed "gongshi Yi": the licence reserves the names Nuosu and SIL for the
  unmodified font.
- CJK: Noto Sans CJK SC from Debian's `fonts-noto-cjk` (OFL), the Chinese font of Android. It is not shipped:
  the collection is about 20 MB per weight and the characters a share image needs are not known before the
  content is. Its path is fixed by the Debian package (or `GONGSHI_CJK_FONT` names another file), so two
  builds on one machine draw identical images; another version of the package may move a pixel.
"""

from __future__ import annotations

import functools
import io
import os
import subprocess
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

ASSETS = Path(__file__).resolve().parent / "assets" / "fonts"
YI_SOURCE = ASSETS / "NuosuSIL-Regular.ttf"
YI_FAMILY = "gongshi Yi"
CJK_FAMILY = "Noto Sans CJK SC"
CJK_PACKAGE = "fonts-noto-cjk"
_DEBIAN = Path("/usr/share/fonts/opentype/noto")


class FontMissing(RuntimeError):
    """The CJK font the share images need is not installed."""


def is_yi(char: str) -> bool:
    """Yi syllables and radicals (U+A000–U+A4CF)."""
    return "\ua000" <= char <= "\ua4cf"


def yi_subset(text: str) -> bytes:
    """The Yi font with only the glyphs of `text` (and .notdef), as WOFF, renamed; deterministic."""
    chars = sorted({c for c in text if is_yi(c)} | {" "})
    font = TTFont(YI_SOURCE, recalcTimestamp=False, recalcBBoxes=False)
    options = subset.Options()
    options.flavor = "woff"
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 16, 17]
    options.layout_features = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in chars])
    subsetter.subset(font)
    for record in font["name"].names:
        if record.nameID in (1, 4, 16):
            record.string = YI_FAMILY
        elif record.nameID == 6:
            record.string = YI_FAMILY.replace(" ", "") + "-Regular"
        elif record.nameID == 3:
            record.string = f"{YI_FAMILY} subset"
    font.flavor = "woff"
    out = io.BytesIO()
    font.save(out, reorderTables=True)
    return out.getvalue()


SAMPLE = "公示项目规划投资万元监督举报电话受益村乡镇"
"""Characters every share card draws: a font without them would draw boxes (tofu)."""


def _missing_help(detail: str) -> str:
    return (
        f"分享图片无法绘制中文：{detail}。请安装 Debian/Ubuntu 的 {CJK_PACKAGE}（apt-get install {CJK_PACKAGE}），"
        f"或用环境变量 GONGSHI_CJK_FONT 指定一个含中文的字体文件（{CJK_FAMILY}）"
        f" / share images cannot draw Chinese: {detail}. Install the {CJK_PACKAGE} package or set "
        f"GONGSHI_CJK_FONT to a font file with Chinese glyphs ({CJK_FAMILY})"
    )


def is_cjk(char: str) -> bool:
    """A Chinese character (CJK Unified Ideographs, extensions A–G, compatibility ideographs)."""
    code = ord(char)
    return 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0x20000 <= code <= 0x3FFFF


@functools.cache
def cjk_font(bold: bool = False) -> tuple[str, int]:
    """The CJK font file and the index of its Simplified Chinese face (a .ttc holds JP, KR, SC, TC, HK). A file
    that has no glyph for the characters every card draws (a Latin font fontconfig falls back to) is refused:
    with GONGSHI_CJK_FONT set, that file is the only one tried."""
    given = os.environ.get("GONGSHI_CJK_FONT")
    weight = "Bold" if bold else "Regular"
    if given:
        path = Path(given)
        if not path.is_file():
            raise FontMissing(_missing_help(f"GONGSHI_CJK_FONT={given} 不是文件 / is not a file"))
        index = _face_index(path)
        lacking = missing_glyphs(str(path), index, SAMPLE)
        if lacking:
            raise FontMissing(
                _missing_help(f"GONGSHI_CJK_FONT={given} 没有“{lacking}”等汉字的字形 / has no glyph for {lacking}")
            )
        return str(path), index
    candidates = [_DEBIAN / f"NotoSansCJK-{weight}.ttc"]
    try:
        found = subprocess.run(
            ["fc-match", "-f", "%{file}", f"{CJK_FAMILY}:{weight.lower()}"],
            capture_output=True,
            text=True,
            timeout=30,
        ).stdout.strip()
        if found:
            candidates.append(Path(found))
    except (OSError, subprocess.SubprocessError):
        pass
    tried = []
    for path in candidates:
        if path.is_file():
            index = _face_index(path)
            if not missing_glyphs(str(path), index, SAMPLE):
                return str(path), index
            tried.append(path.name)
    detail = f"找到的字体 {'、'.join(tried)} 没有汉字 / the fonts found ({', '.join(tried)}) have no Chinese glyphs"
    raise FontMissing(_missing_help(detail if tried else f"没有找到 {CJK_FAMILY} / {CJK_FAMILY} not found"))


@functools.cache
def _cmap(path: str, index: int) -> frozenset[int]:
    """The code points a font face has glyphs for."""
    font = TTFont(path, fontNumber=index, lazy=True)
    return frozenset(font.getBestCmap() or {})


def missing_glyphs(path: str, index: int, text: str) -> str:
    """The Chinese characters of `text` the font face has no glyph for, each once, in order ('' when none)."""
    cmap = _cmap(path, index)
    return "".join(dict.fromkeys(c for c in text if is_cjk(c) and ord(c) not in cmap))


MISSING_GLYPH = "〓"
"""What a share image draws for a Chinese character its font has no glyph for (a rare character of CJK
Extension B and beyond, as some village names have): the 缺字符号 printers use for a character they cannot set,
never the font's empty box. The page itself shows the character (the reader's phone may have it)."""


def lacking_glyphs(text: str) -> str:
    """The Chinese characters of `text` the CJK font cannot draw in its regular or its bold face, each once."""
    lacking = ""
    for bold in (False, True):
        path, index = cjk_font(bold)
        lacking += missing_glyphs(path, index, text)
    return "".join(dict.fromkeys(lacking))


def _face_index(path: Path) -> int:
    """The index of the Simplified Chinese face in a collection (0 for a single font)."""
    if path.suffix.lower() not in (".ttc", ".otc"):
        return 0
    collection = TTCollection(str(path), lazy=True)
    for index, font in enumerate(collection.fonts):
        if font["name"].getDebugName(1) == CJK_FAMILY:
            return index
    return 0
