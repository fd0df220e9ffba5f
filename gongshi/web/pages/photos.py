"""Progress photos on the site: each resized, upright and without metadata, beside its project's page."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

from PIL import Image, ImageOps

from gongshi.content.photos import record_dir
from gongshi.web.family import GeneratedPage, PageFamily
from gongshi.web.render import Renderer

MAX_SIDE = 1280  # pixels; enough for a phone screen, small on a rural network
QUALITY = 80


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
            yield GeneratedPage(renderer.urls.photo(project, name), web_jpeg(folder / name))


FAMILY = PageFamily("photos", photo_pages)
