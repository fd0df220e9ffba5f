"""The county outline named by site.yml `map.outline`: a GeoJSON file read and checked with the content."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from gongshi.content.files import file_problem
from gongshi.content.model import MapConfig
from gongshi.content.read import Document
from gongshi.errors import ContentError, display_path

Ring = tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Outline:
    """The county outline's rings (lon, lat) as read from its GeoJSON file, and the counties its features name
    (name, 6-digit code; either may be empty)."""

    rings: tuple[Ring, ...]
    declared: tuple[tuple[str, str], ...] = ()


def read_outline(
    config: MapConfig, content_dir: Path, root: Path, doc: Document
) -> tuple[Outline | None, list[ContentError]]:
    """The outline named in site.yml `map.outline` (None when there is none), or the error that stops reading it."""
    if not config.outline:
        return None, []
    path = content_dir / config.outline
    shown = display_path(path, root)

    def fail(zh: str, en: str, found: str | None = None) -> tuple[None, list[ContentError]]:
        return None, [
            ContentError(
                doc.file,
                doc.line_of(("map", "outline")),
                "map.outline",
                zh,
                en,
                found,
                "content/ 下的 GeoJSON 文件（Polygon 或 MultiPolygon）",
            )
        ]

    refused = file_problem(path, root)  # a regular file inside the repository, never a link
    if refused:
        zh, en, where = refused
        if zh == "文件不存在":
            return fail("县界文件不存在", "outline file not found", shown)
        return fail(f"县界文件：{zh}", en, where)
    try:
        data = json.loads(path.read_text(encoding="utf-8"), parse_constant=_no_constant)
        rings = tuple(_rings(data))
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError, OverflowError) as exc:
        return fail("县界文件不是有效的 GeoJSON", "outline file is not valid GeoJSON", f"{shown}: {exc}")
    if not rings:
        return fail("县界文件中没有多边形", "outline file has no polygon", shown)
    return Outline(rings, tuple(dict.fromkeys(_declared(data)))), []


def _declared(data: dict) -> Iterator[tuple[str, str]]:
    """The county each feature declares in its properties: `name`, and `code`, `adcode` or `gb` (156 + code)."""
    if data.get("type") == "FeatureCollection":
        for feature in data["features"]:
            yield from _declared(feature)
        return
    properties = data.get("properties") or {}
    name = str(properties.get("name") or "")
    code = str(properties.get("code") or properties.get("adcode") or "")
    gb = str(properties.get("gb") or "")
    if not code and gb.startswith("156"):
        code = gb[3:]
    if name or code:
        yield name, code[:6]


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} 不是数字 / is not a number")


def _point(p: list) -> tuple[float, float]:
    """A position: finite, within the globe (`1e309` reads as infinity)."""
    lon, lat = float(p[0]), float(p[1])
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):  # false for NaN and infinity too
        raise ValueError(f"经纬度超出范围 / position out of range: {str(p[0])[:40]}, {str(p[1])[:40]}")
    return lon, lat


def _rings(data: dict) -> Iterator[Ring]:
    """Every ring of every (Multi)Polygon in a GeoJSON object."""
    kind = data["type"]
    if kind == "FeatureCollection":
        for feature in data["features"]:
            yield from _rings(feature)
    elif kind == "Feature":
        if data.get("geometry"):
            yield from _rings(data["geometry"])
    elif kind == "Polygon":
        for ring in data["coordinates"]:
            yield tuple(_point(p) for p in ring)
    elif kind == "MultiPolygon":
        for polygon in data["coordinates"]:
            for ring in polygon:
                yield tuple(_point(p) for p in ring)
