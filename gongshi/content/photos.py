"""Progress photos named by records: each must be a regular file beside its record and a whole image.

The check reads the file's own structure (PNG chunks, JPEG markers, WebP header) without decoding pixels,
so `gongshi check` needs no imaging library; the site's resized copies are made by gongshi.web.pages.photos.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

from gongshi.content.files import file_problem
from gongshi.content.model import Project
from gongshi.content.read import Document
from gongshi.errors import ContentError

MAX_PIXELS = 60_000_000  # a 60-megapixel camera; larger images are decompression bombs, not progress photos


@dataclass(frozen=True)
class ImageInfo:
    """What a photo's header says: its format and size in pixels."""

    format: str
    width: int
    height: int


class BadImage(ValueError):
    """A file that is not a whole PNG, JPEG or WebP image; the message says why, in Chinese and English."""

    def __init__(self, zh: str, en: str):
        self.zh, self.en = zh, en
        super().__init__(f"{zh} / {en}")


def record_dir(root: Path, project: Project) -> Path:
    """The folder of the record file (project.source is shown relative to root)."""
    return (root / project.source).parent


def image_info(data: bytes) -> ImageInfo:
    """The format and size of a PNG, JPEG or WebP image; raises BadImage for anything else or a cut-off file."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        info = _png(data)
    elif data.startswith(b"\xff\xd8"):
        info = _jpeg(data)
    elif data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        info = _webp(data)
    else:
        raise BadImage("不是 JPEG、PNG 或 WebP 图片", "not a JPEG, PNG or WebP image")
    if info.width <= 0 or info.height <= 0:
        raise BadImage("图片尺寸无效", "the image has no size")
    if info.width * info.height > MAX_PIXELS:
        raise BadImage(
            f"图片过大（{info.width}×{info.height} 像素，最多 {MAX_PIXELS // 1_000_000} 百万像素）",
            f"image too large ({info.width}×{info.height} pixels)",
        )
    return info


def _png(data: bytes) -> ImageInfo:
    if len(data) < 33 or data[12:16] != b"IHDR":
        raise BadImage("PNG 文件头不完整", "PNG header is incomplete")
    width, height = struct.unpack(">II", data[16:24])
    if not data.rstrip(b"\x00").endswith(b"IEND\xaeB`\x82"):
        raise BadImage("PNG 文件不完整（可能没有传完）", "PNG file is cut off")
    return ImageInfo("png", width, height)


_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _jpeg(data: bytes) -> ImageInfo:
    pos, size = 2, None
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            raise BadImage("JPEG 文件结构损坏", "JPEG structure is damaged")
        marker = data[pos + 1]
        if marker == 0xFF:
            pos += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            pos += 2
            continue
        length = struct.unpack(">H", data[pos + 2 : pos + 4])[0]
        if marker in _SOF and pos + 9 <= len(data):
            height, width = struct.unpack(">HH", data[pos + 5 : pos + 9])
            size = (width, height)
        if marker == 0xDA:  # start of scan: entropy-coded data follows until the end marker
            break
        pos += 2 + length
    if size is None:
        raise BadImage("JPEG 文件头不完整", "JPEG header is incomplete")
    if not data.rstrip(b"\x00").endswith(b"\xff\xd9"):
        raise BadImage("JPEG 文件不完整（可能没有传完）", "JPEG file is cut off")
    return ImageInfo("jpeg", *size)


def _webp(data: bytes) -> ImageInfo:
    declared = struct.unpack("<I", data[4:8])[0] + 8
    if len(data) < declared or len(data) < 30:
        raise BadImage("WebP 文件不完整（可能没有传完）", "WebP file is cut off")
    chunk = data[12:16]
    if chunk == b"VP8 " and data[23:26] == b"\x9d\x01\x2a":
        width, height = struct.unpack("<HH", data[26:30])
        return ImageInfo("webp", width & 0x3FFF, height & 0x3FFF)
    if chunk == b"VP8L" and data[20] == 0x2F:
        bits = int.from_bytes(data[21:25], "little")
        return ImageInfo("webp", (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
    if chunk == b"VP8X":
        return ImageInfo("webp", int.from_bytes(data[24:27], "little") + 1, int.from_bytes(data[27:30], "little") + 1)
    raise BadImage("WebP 文件头无法识别", "WebP header not recognised")


def check_photos(records: list[tuple[Project, Document]], root: Path) -> list[ContentError]:
    """A missing or unreadable photo is a content error naming the record, line and field."""
    errors = []
    for project, doc in records:
        folder = record_dir(root, project)
        for i, entry in enumerate(project.progress):
            for j, name in enumerate(entry.photos):
                path = ("progress", i, "photos", j)
                problem = _problem(folder / name, root)
                if problem:
                    errors.append(
                        ContentError(
                            doc.file,
                            doc.line_of(path),
                            f"progress[{i}].photos[{j}]",
                            problem[0],
                            problem[1],
                            found=name,
                            expected=f"与记录同一文件夹中的图片文件（{folder.name}/{name}）",
                            hint="把照片放在项目记录 .md 文件旁边，文件名只用字母、数字和 - _ .",
                        )
                    )
    return errors


def _problem(path: Path, root: Path) -> tuple[str, str] | None:
    refused = file_problem(path, root)  # a regular file inside the repository, never a link
    if refused:
        return ("照片文件不存在", "photo file not found") if refused[0] == "文件不存在" else refused[:2]
    try:
        image_info(path.read_bytes())
    except BadImage as exc:
        return exc.zh, exc.en
    return None
