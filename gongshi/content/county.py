"""The county a site is about: its places list, its outline and the points on its map must all be that county.

Another county's outline, a gazetteer of another county, or a point outside the outline (a county seat copied
from another site's settings) is an error; a check that cannot be made (no outline) is listed publicly.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from gongshi.content.model import Coordinates, Gazetteer, SiteConfig
from gongshi.content.outline import Outline, Ring
from gongshi.content.read import Document, dotted
from gongshi.content.site import AuditNote
from gongshi.content.unstated import stated
from gongshi.errors import ContentError


def inside_ring(lon: float, lat: float, ring: Ring) -> bool:
    """Ray casting: whether the point is inside one ring (a point on the edge may go either way)."""
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def inside(outline: Outline, lon: float, lat: float) -> bool:
    """Whether the point is inside the outline: even-odd over every ring, so holes and islands count right."""
    return sum(inside_ring(lon, lat, ring) for ring in outline.rings) % 2 == 1


def county_code6(code: object) -> str:
    """The 6-digit county part of a 12-digit code ('' when the code is not stated)."""
    return str(code)[:6] if stated(code) else ""


def same_county(config: SiteConfig, name: str, code: str) -> bool:
    """Whether a declared county (name, 6-digit code; either may be empty) is the site's county."""
    own = county_code6(config.county.code)
    if code and own:
        return code[:6] == own
    return bool(name) and name == config.county.name


@dataclass
class CountyCheck:
    errors: list[ContentError]
    skipped: list[AuditNote]


def check_county(
    config: SiteConfig,
    site_doc: Document,
    gazetteer: Gazetteer | None,
    places_doc: Document | None,
    outline: Outline | None,
) -> CountyCheck:
    """Every error of a places list, an outline or a map point that is not this site's county."""
    out = CountyCheck([], [])
    if gazetteer is not None and places_doc is not None:
        code = county_code6(gazetteer.county_code)
        if not same_county(config, gazetteer.county, code):
            out.errors.append(
                ContentError(
                    places_doc.file,
                    places_doc.line_of(("county",)),
                    "county",
                    "地名表不是本站的县",
                    "the places list is of another county",
                    found=f"{gazetteer.county} {code}".strip(),
                    expected=f"{config.county.name}（site.yml 中的县）",
                    hint="用 gongshi places 重新生成本县的 places.yml。",
                )
            )
    if outline is not None:
        declared = outline.declared
        if not declared or not all(same_county(config, name, code) for name, code in declared):
            found = (
                "、".join(f"{name} {code}".strip() for name, code in declared)
                or "没有写明（properties 中没有 name 或 adcode）"
            )
            out.errors.append(
                ContentError(
                    site_doc.file,
                    site_doc.line_of(("map", "outline")),
                    "map.outline",
                    "县界文件不是本站的县，或没有写明是哪个县",
                    "the outline is of another county, or does not say which",
                    found=found,
                    expected=f"{config.county.name}的县界",
                    hint="用 gongshi places --outline 取得本县的县界，它会写明县名和代码。",
                )
            )
    for where, name, coordinates in _points(config, gazetteer):
        if outline is None:
            out.skipped.append(
                AuditNote("site", "point_in_county", f"“{name}”的坐标在县界内", "本站没有本县的县界数据")
            )
            continue
        if not inside(outline, float(coordinates.lon), float(coordinates.lat)):
            doc = site_doc if where[0] == "map" else places_doc
            out.errors.append(
                ContentError(
                    doc.file if doc else "content/places.yml",
                    doc.line_of(where) if doc else None,
                    dotted(where),
                    "坐标在县界以外",
                    "the point is outside the county outline",
                    found=f"{name}：东经 {coordinates.lon}，北纬 {coordinates.lat}（{coordinates.crs}）",
                    expected=f"{config.county.name}县界以内的坐标",
                    hint="核对坐标来源和经纬度是否写反；别的县的坐标不要留在本站。",
                )
            )
    return out


def _points(config: SiteConfig, gazetteer: Gazetteer | None) -> Iterator[tuple[tuple, str, Coordinates]]:
    for i, point in enumerate(config.map.points):
        yield ("map", "points", i, "coordinates"), point.name, point.coordinates
    for t, township in enumerate(gazetteer.townships if gazetteer else ()):
        if township.coordinates:
            yield ("townships", t, "coordinates"), township.name, township.coordinates
        for v, village in enumerate(township.villages):
            if village.coordinates:
                where = ("townships", t, "villages", v, "coordinates")
                yield where, township.name + village.name, village.coordinates
