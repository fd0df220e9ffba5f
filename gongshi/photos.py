"""Progress photos: check that each named file exists beside its record, and resize it for the web."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from gongshi.errors import ContentError
from gongshi.model import Project
from gongshi.pages import GeneratedPage, Renderer, Routes
from gongshi.source import Document

MAX_SIDE = 1280  # pixels; enough for a phone screen, small on a rural network
QUALITY = 80


def record_dir(root: Path, project: Project) -> Path:
    """The folder of the record file (project.source is shown relative to root)."""
    return (root / project.source).parent


def check_photos(records: list[tuple[Project, Document]], root: Path) -> list[ContentError]:
    """A missing or unreadable photo is a content error naming the record, line and field."""
    errors = []
    for project, doc in records:
        folder = record_dir(root, project)
        for i, entry in enumerate(project.progress):
            for j, name in enumerate(entry.photos):
                path = ("progress", i, "photos", j)
                problem = _problem(folder / name)
                if problem:
                    errors.append(ContentError(doc.file, doc.line_of(path), f"progress[{i}].photos[{j}]",
                                               problem[0], problem[1], found=name,
                                               expected=f"与记录同一文件夹中的图片文件（{folder.name}/{name}）",
                                               hint="把照片放在项目记录 .md 文件旁边，文件名只用字母、数字和 - _ ."))
    return errors


def _problem(path: Path) -> tuple[str, str] | None:
    if not path.is_file():
        return "照片文件不存在", "photo file not found"
    try:
        with Image.open(path) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError):
        return "无法识别的图片文件", "not a readable image"
    return None


def photo_uri(project: Project, name: str) -> str:
    """Where the resized photo is published: beside the project's page, always JPEG."""
    stem = name if name.lower().endswith((".jpg", ".jpeg")) else f"{name}.jpg"
    folder = Routes.project(project).removesuffix(".md")
    return f"{folder}/photos/{stem}"


def web_jpeg(path: Path) -> bytes:
    """The photo upright, at most MAX_SIDE pixels, as JPEG without metadata (no GPS, no camera serial).
    Same input, same Pillow: same bytes."""
    with Image.open(path) as image:
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
    """Every progress photo, resized, as an asset beside its project's page."""
    site = renderer.site
    if site.root is None:
        return
    for project in site.projects:
        folder = record_dir(site.root, project)
        names = dict.fromkeys(name for entry in project.progress for name in entry.photos)
        for name in names:
            yield GeneratedPage(photo_uri(project, name), web_jpeg(folder / name))
