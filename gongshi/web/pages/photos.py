"""Progress photos on the site: each resized, upright and without metadata, beside its project's page."""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from pathlib import Path

from PIL import Image, ImageOps

from gongshi.content.model import Project
from gongshi.content.photos import MAX_PIXELS, BadImage, record_dir
from gongshi.content.read import SourceError, dotted, read_record_file
from gongshi.errors import ContentError, ContentErrors
from gongshi.web.family import GeneratedPage, PageFamily
from gongshi.web.render import Renderer

MAX_SIDE = 1280  # pixels; enough for a phone screen, small on a rural network
QUALITY = 80
FORMATS = ("JPEG", "PNG", "WEBP")  # what gongshi.content.photos accepts; Pillow tries no other decoder


def web_jpeg(path: Path) -> bytes:
    """The photo upright, at most MAX_SIDE pixels, as JPEG without metadata (no GPS, no camera serial).
    Same input, same Pillow: same bytes. Raises BadImage for anything Pillow cannot decode whole."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return _web_jpeg(path)
    except BadImage:
        raise
    except Exception as exc:  # any decoder failure (OSError, SyntaxError, ValueError, bombs …) is a bad file
        raise BadImage(
            "图片无法解码（文件损坏、不完整或过大）", f"image cannot be decoded ({type(exc).__name__})"
        ) from None


def _web_jpeg(path: Path) -> bytes:
    with Image.open(path, formats=FORMATS) as probe:  # reads the header only
        if probe.width * probe.height > MAX_PIXELS:
            raise BadImage(
                f"图片过大（{probe.width}×{probe.height} 像素，最多 {MAX_PIXELS // 1_000_000} 百万像素）",
                f"image too large ({probe.width}×{probe.height} pixels)",
            )
        probe.verify()
    with Image.open(path, formats=FORMATS) as image:
        image.load()  # a truncated or damaged file fails here, not half-drawn
        upright = ImageOps.exif_transpose(image)
        if upright.mode in ("RGBA", "LA", "P"):
            upright = upright.convert("RGBA")
            flat = Image.new("RGB", upright.size, (255, 255, 255))
            flat.paste(upright, mask=upright.split()[-1])
            upright = flat
        upright = upright.convert("RGB")
        upright.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        upright.save(out, "JPEG", quality=QUALITY, optimize=True)
        return out.getvalue()


def photo_pages(renderer: Renderer) -> Iterator[GeneratedPage]:
    """Every progress photo, resized, as an asset beside its project's page; a photo Pillow cannot decode
    is a content error naming the record, line and photo, and no site is built."""
    site = renderer.site
    if site.root is None:
        return
    errors = []
    for project in site.projects:
        folder = record_dir(site.root, project)
        named = {}
        for i, entry in enumerate(project.progress):
            for j, name in enumerate(entry.photos):
                named.setdefault(name, ("progress", i, "photos", j))
        for name, where in named.items():
            try:
                yield GeneratedPage(renderer.urls.photo(project, name), web_jpeg(folder / name))
            except BadImage as exc:
                errors.append(_photo_error(site.root, project, where, name, exc))
    if errors:
        raise ContentErrors(errors)


def _photo_error(root: Path, project: Project, where: tuple, name: str, exc: BadImage) -> ContentError:
    try:  # the Site keeps no line numbers: read the record again to point at the photo's line
        line = read_record_file(root / project.source, project.source).line_of(where)
    except SourceError:
        line = None
    return ContentError(
        project.source,
        line,
        dotted(where),
        exc.zh,
        exc.en,
        found=name,
        expected="完整的 JPEG、PNG 或 WebP 照片",
        hint="用手机或相机重新导出这张照片，再放到记录文件旁边。",
    )


FAMILY = PageFamily("photos", photo_pages)
