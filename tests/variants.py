"""Variants of the test county, made by editing a copy of its files (tests/fixtures/county) in the test."""

from __future__ import annotations

from pathlib import Path

from conftest import ROOT
from helpers import edit
from PIL import Image

PROGRESS = ROOT / "tests" / "fixtures" / "progress"
# The records the progress variant adds to (see tests/fixtures/progress/README.md).
TEA = "content/projects/01-tea-processing.md"
MUSHROOM = "content/projects/02-mushroom-base.md"
ROAD = "content/projects/03-liuxi-road.md"
TILES = "https://tiles.example.org/{z}/{x}/{y}.png"


def add_front_matter(project: Path, rel: str, text: str) -> None:
    """Append fields at the end of a record's front matter."""
    path = project / rel
    lines = path.read_text(encoding="utf-8").split("\n")
    end = lines.index("---", 1)
    path.write_text("\n".join(lines[:end] + text.rstrip("\n").split("\n") + lines[end:]), encoding="utf-8")


def draw_photos(folder: Path) -> None:
    """Two camera-sized images, one with EXIF metadata that must not be published."""
    Image.new("RGBA", (3000, 2000), (20, 120, 60, 255)).save(folder / "site-2025-06.png")
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    Image.new("RGB", (1000, 4000), (200, 80, 30)).save(folder / "crane.jpg", exif=exif)


def with_progress(project: Path) -> Path:
    """More progress reports (one of them after a deadline), reported results, a promised dividend and
    what was paid of it, and two camera-sized photos."""
    for rel in (TEA, MUSHROOM, ROAD):
        add_front_matter(project, rel, (PROGRESS / Path(rel).with_suffix(".yml").name).read_text("utf-8"))
    edit(project, MUSHROOM, "    value: 40\n    unit: 个\n", "    value: 40\n    unit: 个\n    actual: 42\n")
    edit(project, ROAD, "    value: 3.5\n    unit: 公里\n", "    value: 3.5\n    unit: 公里\n    actual: 3.2\n")
    edit(project, ROAD, "status: 计划\n", "status: 已完工\n")  # its latest report says 完工
    draw_photos(project / "content" / "projects")
    return project


def with_tiles(project: Path) -> Path:
    """Turn the tile layer on in the copy's site.yml."""
    edit(project, "content/site.yml", "  tiles:\n", f"  tiles: {TILES}\n  tiles_attribution: 测试瓦片\n")
    return project
