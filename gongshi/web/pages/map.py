"""The village map page: a server-side SVG of the county outline and every place with coordinates,
plus a schematic of the named villages grouped by township (no JavaScript, no other host)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from gongshi.content.model import Coordinates
from gongshi.content.outline import Outline, Ring
from gongshi.content.places import Place
from gongshi.content.site import Site
from gongshi.content.unstated import Total
from gongshi.money import wan_text
from gongshi.web.family import GeneratedPage, PageFamily
from gongshi.web.pages.places import TownshipGroup, linked_investment, place_projects, township_groups
from gongshi.web.render import Renderer

WIDTH = 640.0  # SVG user units; the map scales to the page width
FONT = 22.0  # label size in SVG user units (matches .gs-map-svg in villages.css); CJK glyphs are about 1em wide
PAD = 0.06  # margin around the drawing, as a share of its extent
LEVEL_COLOURS = 4  # classes in the schematic's legend (.gs-lv0 … .gs-lv3 in gongshi.css)
# Web maps in China come in two datums: GCJ-02 (offset by law, hundreds of metres) and WGS-84/CGCS2000.
DATUM = {"WGS-84": "WGS-84/CGCS2000", "CGCS2000": "WGS-84/CGCS2000", "GCJ-02": "GCJ-02"}


def mercator(lon: float, lat: float) -> tuple[float, float]:
    """Web Mercator in world units (0–1 from west/north), the projection every tile server uses."""
    phi = math.radians(lat)
    return (lon + 180) / 360, (1 - math.log(math.tan(phi) + 1 / math.cos(phi)) / math.pi) / 2


@dataclass(frozen=True)
class Frame:
    """A Web Mercator box (world units) scaled onto the SVG viewBox, north up; tiles line up by construction."""

    left: float
    top: float
    scale: float  # SVG units per world unit
    width: float
    height: float

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        x, y = mercator(lon, lat)
        return round((x - self.left) * self.scale, 1), round((y - self.top) * self.scale, 1)


@dataclass(frozen=True)
class Tile:
    """One map tile image placed in the SVG."""

    href: str
    x: float
    y: float
    size: float


@dataclass(frozen=True)
class Marker:
    """A point on the map: the county seat or a place from places.yml."""

    name: str
    x: float
    y: float
    coordinates: Coordinates
    place: Place | None  # None for reference points such as the county seat
    other_datum: bool  # its datum differs from the outline's: off by up to hundreds of metres
    label_x: float
    label_y: float
    anchor: str  # SVG text-anchor: start, end or middle


@dataclass(frozen=True)
class GeoMap:
    """What the SVG shows."""

    width: float
    height: float
    outline: str  # SVG path data; empty without an outline
    seats: tuple[Marker, ...]
    places: tuple[Marker, ...]
    tiles: tuple[Tile, ...] = ()  # only when site.yml `map.tiles` is set: each one is a request to that host


@dataclass(frozen=True)
class Cell:
    """A village in the schematic: how many projects name it and their total (shared) investment."""

    place: Place
    projects: int
    investment: Total
    level: int | None  # None when an investment of its projects is not stated: no colour for a part


@dataclass(frozen=True)
class Level:
    """One legend entry of the schematic's colour scale."""

    index: int
    low: Decimal
    high: Decimal

    @property
    def label(self) -> str:
        if self.low == self.high:
            return f"{wan_text(self.low)} 万元"
        return f"{wan_text(self.low)}–{wan_text(self.high)} 万元"


def frame(points: list[tuple[float, float]], width: float = WIDTH) -> Frame:
    """A projection that fits all points (lon, lat) with a margin."""
    xs, ys = zip(*(mercator(lon, lat) for lon, lat in points))
    left, right, top, bottom = min(xs), max(xs), min(ys), max(ys)
    span_x, span_y = max(right - left, 1e-6), max(bottom - top, 1e-6)
    left, right = left - span_x * PAD, right + span_x * PAD
    top, bottom = top - span_y * PAD, bottom + span_y * PAD
    scale = width / (right - left)
    return Frame(left, top, scale, width, round((bottom - top) * scale, 1))


def tiles(template: str, f: Frame) -> tuple[Tile, ...]:
    """The tiles under the frame at the zoom where a tile is drawn about 256 units wide.
    `template` holds {z}, {x} and {y}, as tile servers document their addresses."""
    zoom = min(max(round(math.log2(f.scale / 256)), 1), 18)
    count = 2**zoom
    size = f.scale / count
    first_x, first_y = math.floor(f.left * count), math.floor(f.top * count)
    last_x = math.floor((f.left + f.width / f.scale) * count)
    last_y = math.floor((f.top + f.height / f.scale) * count)
    return tuple(
        Tile(
            template.replace("{z}", str(zoom)).replace("{x}", str(tx)).replace("{y}", str(ty)),
            round((tx / count - f.left) * f.scale, 1),
            round((ty / count - f.top) * f.scale, 1),
            round(size, 1),
        )
        for ty in range(first_y, last_y + 1)
        for tx in range(first_x, last_x + 1)
    )


def _path(rings: tuple[Ring, ...], f: Frame) -> str:
    parts = []
    for ring in rings:
        xy = [f.xy(lon, lat) for lon, lat in ring]
        parts.append("M" + " L".join(f"{x:g} {y:g}" for x, y in xy) + " Z")
    return " ".join(parts)


def label_position(x: float, y: float, chars: int, width: float) -> tuple[float, float, str]:
    """Where a label goes: beside the point where it fits, else centred under it and kept inside the map."""
    gap, size = 12.0, chars * FONT
    if x + gap + size <= width:
        return round(x + gap, 1), round(y + FONT / 3, 1), "start"
    if x - gap - size >= 0:
        return round(x - gap, 1), round(y + FONT / 3, 1), "end"
    middle = min(max(x, size / 2), width - size / 2)
    return round(middle, 1), round(y + gap + FONT, 1), "middle"


def places_with_coordinates(site: Site) -> list[Place]:
    """Every township and village in places.yml that has coordinates, in gazetteer order."""
    out = []
    for township in site.gazetteer.townships:
        if township.coordinates:
            out.append(Place(township))
        out.extend(Place(township, v) for v in township.villages if v.coordinates)
    return out


def geo_map(site: Site, outline: Outline | None) -> GeoMap | None:
    """The geographic map, or None when there is nothing to draw."""
    config = site.config.map
    places = places_with_coordinates(site)
    coords = [
        (float(p.coordinates.lon), float(p.coordinates.lat))
        for p in (*config.points, *[(pl.village or pl.township) for pl in places])
    ]
    points = [pt for ring in (outline.rings if outline else ()) for pt in ring] + coords
    if not points:
        return None
    f = frame(points)
    datum = DATUM.get(config.outline_crs or "", "")

    def marker(name: str, label: str, c: Coordinates, place: Place | None) -> Marker:
        x, y = f.xy(float(c.lon), float(c.lat))
        return Marker(
            name,
            x,
            y,
            c,
            place,
            bool(outline and datum and DATUM[c.crs] != datum),
            *label_position(x, y, len(label), f.width),
        )

    seats = tuple(marker(p.name, p.name, p.coordinates, None) for p in config.points)
    markers = tuple(marker(p.full_name, p.name, (p.village or p.township).coordinates, p) for p in places)
    return GeoMap(
        f.width,
        f.height,
        _path(outline.rings, f) if outline else "",
        seats,
        markers,
        tiles(config.tiles, f) if config.tiles else (),
    )


def levels(values: list[Decimal], count: int = LEVEL_COLOURS) -> tuple[Level, ...]:
    """Colour classes: one per distinct value when there are few, else equal-count groups of the sorted values."""
    distinct = sorted(set(values))
    if not distinct:
        return ()
    if len(distinct) <= count:
        return tuple(Level(i, v, v) for i, v in enumerate(distinct))
    size = len(distinct) / count
    groups = [distinct[round(i * size) : round((i + 1) * size)] for i in range(count)]
    return tuple(Level(i, g[0], g[-1]) for i, g in enumerate(groups))


def level_of(value: Decimal, scale: tuple[Level, ...]) -> int:
    return next(level.index for level in scale if level.low <= value <= level.high)


def schematic(site: Site, groups: tuple[TownshipGroup, ...]) -> tuple[dict[str, Cell], tuple[Level, ...]]:
    """Each named village's cell, coloured by the total investment of the projects that name it."""
    totals = {}
    counts = {}
    for group in groups:
        for village in group.villages:
            rows = place_projects(site, village)
            totals[village.code], counts[village.code] = linked_investment(rows), len(rows)
    scale = levels([t.amount for t in totals.values() if t.complete])
    cells = {}
    for group in groups:
        for village in group.villages:
            code = village.code
            sum_ = totals[code]
            cells[code] = Cell(village, counts[code], sum_, level_of(sum_.amount, scale) if sum_.complete else None)
    return cells, scale


def map_pages(renderer: Renderer) -> Iterator[GeneratedPage]:
    """The 受益村地图 page."""
    site = renderer.site
    groups = township_groups(site)
    cells, scale = schematic(site, groups)
    rows = {place.code: place_projects(site, place) for place in site.linked_places}
    yield renderer.render(
        "village_map.md.j2",
        renderer.urls.village_map,
        geo=geo_map(site, site.outline),
        groups=groups,
        cells=cells,
        scale=scale,
        rows=rows,
        datum=DATUM,
    )


FAMILY = PageFamily("map", map_pages)
