"""`gongshi places coordinates FILE`: put the county's own village coordinates into places.yml.

County staff collect points on field visits with phone map apps: 奥维互动地图 exports KML/KMZ, GPS apps export
GPX, a spreadsheet gives CSV. Each point is matched to a village by name within its township (the township is
the point's folder in KML, part of its name, or a CSV column); what does not match is listed by name, never
guessed. Coordinates the file declares as GCJ-02 (the datum of 高德, 腾讯 and 奥维's Chinese maps) are converted
to WGS-84, which agrees with CGCS2000 (the outline's datum, 天地图's) to within a metre, with PRCoords' precise
inverse (Caijun 2014 iteration, vendored in gongshi/staff/prcoords.py, CC0): the conversion itself is exact to
about a millimetre; the error that remains is the public GCJ-02 algorithm's against the official one (about a
metre) and the phone's own fix (5–10 m). The file name and its date are recorded as each point's source.

KML/KMZ are read with fastkml, GPX with gpxpy, CSV with the standard library.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from gongshi.content.model import Gazetteer
from gongshi.content.places import Place
from gongshi.staff import prcoords
from gongshi.staff.archive_limits import ArchiveError, check_archive
from gongshi.staff.safe_xml import UnsafeXml, check_xml

DATUMS = {
    "gcj-02": "GCJ-02",
    "gcj02": "GCJ-02",
    "火星坐标": "GCJ-02",
    "火星坐标系": "GCJ-02",
    "国测局坐标": "GCJ-02",
    "wgs-84": "WGS-84",
    "wgs84": "WGS-84",
    "cgcs2000": "CGCS2000",
    "cgcs-2000": "CGCS2000",
}
DATUM_KEYS = ("坐标系", "crs", "datum", "coordinate system", "坐标")
METHOD = "GCJ-02 经 PRCoords 精确逆变换（Caijun 2014 迭代法）转为 WGS-84（与 CGCS2000 相差不到 1 米）"
PLACES_DIGITS = 6  # decimal places kept: about 0.1 m, finer than any phone's fix


class CoordinatesError(ValueError):
    """The file cannot be read as points, or does not say what is needed (its datum, its date)."""


@dataclass(frozen=True)
class Point:
    """One point of the file: its name as written, its township when the file gives one, lon/lat as given."""

    name: str
    lon: float
    lat: float
    township: str = ""
    datum: str = ""  # as the point (a CSV row) declares it; '' to take the file's
    line: str = ""  # where it is in the file, for messages: "第 3 行", "Placemark 5"


@dataclass
class PointFile:
    """What a file holds: its points, the datum and the date it states (if any)."""

    points: list[Point]
    datum: str = ""
    date: dt.date | None = None


@dataclass(frozen=True)
class Match:
    point: Point
    place: Place
    lon: Decimal
    lat: Decimal
    crs: str
    converted: bool


@dataclass
class Result:
    matched: list[Match] = field(default_factory=list)
    unmatched: list[tuple[Point, str]] = field(default_factory=list)  # (point, why)


def datum_of(text: str) -> str:
    """The datum a label names (GCJ-02, WGS-84, CGCS2000), or ''."""
    key = text.strip().lower().replace("_", "-").replace(" ", "")
    if key in DATUMS:
        return DATUMS[key]
    for word, datum in DATUMS.items():
        if word in key:
            return datum
    return ""


# --- reading the file -------------------------------------------------------------------------------------


def read_points(path: Path) -> PointFile:
    """The points of a KML, KMZ, GPX or CSV file. Whatever is wrong with the file — not XML, entities, a zip
    bomb, a coordinate that is no finite number — ends in one CoordinatesError naming the file and the place."""
    suffix = path.suffix.lower()
    if suffix not in (".kmz", ".kml", ".gpx", ".csv", ".txt"):
        raise CoordinatesError(f"{path.name}：只能读取 KML、KMZ、GPX 或 CSV 文件 / KML, KMZ, GPX or CSV only")
    try:
        found = _read(path, suffix)
    except (CoordinatesError, UnsafeXml, ArchiveError, OSError) as exc:
        raise CoordinatesError(str(exc) if path.name in str(exc) else f"{path.name}：{exc}") from None
    except Exception as exc:  # the parsers (fastkml, gpxpy) raise many kinds on a bad file
        raise CoordinatesError(
            f"{path.name}：无法读取为 {suffix[1:].upper()} 文件（{type(exc).__name__}: {str(exc)[:200]}） / "
            f"{path.name}: cannot be read as {suffix[1:].upper()}"
        ) from None
    if not found.points:
        raise CoordinatesError(f"{path.name}：文件中没有点（地标） / {path.name}: the file holds no points")
    for point in found.points:
        _check_point(path.name, point)
    return found


def _check_point(shown: str, point: Point) -> None:
    """A coordinate is a finite number within the globe (`inf`, `1e309` or a 400-digit number is none), and a
    village's point is in China: one whose longitude and latitude are swapped is named so."""
    _check_swapped(shown, point)
    ok = all(
        isinstance(value, int | float) and math.isfinite(value) and -limit <= value <= limit
        for value, limit in ((point.lon, 180), (point.lat, 90))
    )
    if not ok:
        where = f"{point.line}“{point.name}”" if point.name else point.line
        raise CoordinatesError(
            f"{shown}，{where}：经度、纬度须是有限的数字（经度 -180 到 180，纬度 -90 到 90），现为 "
            f"{str(point.lon)[:40]}, {str(point.lat)[:40]} / {shown}, {where}: lon and lat must be finite numbers "
            "(lon -180 to 180, lat -90 to 90)"
        )
    if not prcoords.sanity_in_china_p(prcoords.Coords(point.lat, point.lon)):
        where = f"{point.line}“{point.name}”" if point.name else point.line
        raise CoordinatesError(
            f"{shown}，{where}：经度 {point.lon}、纬度 {point.lat} 不在中国境内；核对经度、纬度的数字（中国境内经度约 "
            f"73 到 135，纬度约 4 到 54） / {shown}, {where}: lon {point.lon}, lat {point.lat} is outside China"
        )


def _check_swapped(shown: str, point: Point) -> None:
    """Longitude and latitude written in each other's place: a point outside China that is inside it swapped.
    (Named here, before the coordinate conversion, which would only warn and return the point unconverted.)"""
    values = (point.lon, point.lat)
    if not all(isinstance(v, int | float) and math.isfinite(v) for v in values):
        return
    if prcoords.sanity_in_china_p(prcoords.Coords(point.lat, point.lon)):
        return
    if prcoords.sanity_in_china_p(prcoords.Coords(point.lon, point.lat)):
        where = f"{point.line}“{point.name}”" if point.name else point.line
        raise CoordinatesError(
            f"{shown}，{where}：经度和纬度写反了（现为经度 {point.lon}、纬度 {point.lat}）：经度（东经，中国境内约 73 到 "
            f"135）写在经度列，纬度（北纬，约 4 到 54）写在纬度列 / {shown}, {where}: longitude and latitude are swapped"
        )


def _read(path: Path, suffix: str) -> PointFile:
    if suffix == ".kmz":
        check_archive(path)
        with zipfile.ZipFile(path) as kmz:
            names = [n for n in kmz.namelist() if n.lower().endswith(".kml")]
            if not names:
                raise CoordinatesError(f"{path.name}：KMZ 中没有 .kml 文件 / no .kml inside the KMZ")
            inner = "doc.kml" if "doc.kml" in names else names[0]
            data = kmz.read(inner)
        check_xml(data, f"{path.name}/{inner}")
        return _kml(data)
    data = path.read_bytes()
    if suffix in (".kml", ".gpx"):
        check_xml(data, path.name)
        return _kml(data) if suffix == ".kml" else _gpx(data)
    return _csv(data)


def _kml(data: bytes) -> PointFile:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # fastkml warns that lxml (pretty printing only) is not installed
        from fastkml import KML
        from fastkml.features import Placemark

        kml = KML.from_string(data)
    found = PointFile([])

    def declared(feature) -> str:
        extended = getattr(feature, "extended_data", None)
        for item in getattr(extended, "elements", None) or ():
            if str(getattr(item, "name", "")).strip().lower() in DATUM_KEYS:
                return datum_of(str(getattr(item, "value", "")))
        return ""

    def walk(features: Iterable, folder: str, datum: str) -> Iterator[Point]:
        for feature in features:
            here = declared(feature) or datum
            if isinstance(feature, Placemark):
                geometry = feature.geometry
                if geometry is None or getattr(geometry, "geom_type", "") != "Point":
                    continue
                stamp = getattr(getattr(feature, "times", None), "timestamp", None)
                if stamp is not None and getattr(stamp, "dt", None) and found.date is None:
                    found.date = stamp.dt if isinstance(stamp.dt, dt.date) else None
                    if isinstance(found.date, dt.datetime):
                        found.date = found.date.date()
                name = str(feature.name or "").strip()
                yield Point(name, geometry.x, geometry.y, folder, here, "Placemark")
            else:
                name = str(getattr(feature, "name", "") or "").strip()
                yield from walk(getattr(feature, "features", ()) or (), name or folder, here)

    found.points = list(walk(kml.features, "", ""))
    found.datum = next((declared(f) for f in kml.features if declared(f)), "")
    return found


def _gpx(data: bytes) -> PointFile:
    import gpxpy

    gpx = gpxpy.parse(data.decode("utf-8-sig"))
    words = " ".join(filter(None, (gpx.description, gpx.keywords, gpx.name)))
    points = [
        Point(str(w.name or "").strip(), w.longitude, w.latitude, "", datum_of(w.comment or ""), f"wpt {i + 1}")
        for i, w in enumerate(gpx.waypoints)
    ]
    times = [w.time for w in gpx.waypoints if w.time]
    when = gpx.time or (min(times) if times else None)
    return PointFile(points, datum_of(words) if words else "", when.date() if when else None)


_COLUMNS = {
    "name": ("名称", "村名", "村", "name", "地名"),
    "township": ("乡镇", "乡镇名", "township", "乡镇街道"),
    "lon": ("经度", "lon", "lng", "longitude", "x"),
    "lat": ("纬度", "lat", "latitude", "y"),
    "datum": ("坐标系", "crs", "datum"),
}


def _csv(data: bytes) -> PointFile:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("gb18030")  # saved by Excel in China
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise CoordinatesError("CSV 是空的 / the CSV is empty")
    header = [c.strip().lower() for c in rows[0]]
    column = {key: next((header.index(n) for n in names if n in header), None) for key, names in _COLUMNS.items()}
    missing = [key for key in ("name", "lon", "lat") if column[key] is None]
    if missing:
        raise CoordinatesError(
            "CSV 第一行要有列名：名称（或 村名）、经度、纬度，可选 乡镇、坐标系 / the first row must name the columns "
            "名称, 经度, 纬度 (and optionally 乡镇, 坐标系)"
        )
    points = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue

        def cell(key: str, row: list[str] = row) -> str:
            index = column[key]
            return row[index].strip() if index is not None and index < len(row) else ""

        try:
            lon, lat = float(cell("lon")), float(cell("lat"))
        except ValueError:
            raise CoordinatesError(
                f"CSV 第 {number} 行：经度、纬度要写数字 / row {number}: lon and lat must be numbers"
            ) from None
        points.append(Point(cell("name"), lon, lat, cell("township"), datum_of(cell("datum")), f"第 {number} 行"))
    return PointFile(points)


# --- matching and converting -----------------------------------------------------------------------------


def _townships(gazetteer: Gazetteer) -> dict[str, object]:
    out = {}
    for township in gazetteer.townships:
        for name in (township.name, *township.aliases):
            out[name] = township
    return out


def match(gazetteer: Gazetteer, points: PointFile, crs: str = "") -> Result:
    """Each point's village, by name within its township; a name found in no township or in several is listed."""
    townships = _townships(gazetteer)
    longest = sorted(townships, key=len, reverse=True)
    result = Result()
    seen: set[str] = set()
    for point in points.points:
        name = re.sub(r"\s+", "", point.name)
        township = townships.get(re.sub(r"\s+", "", point.township))
        if township is None:
            for candidate in longest:
                if name.startswith(candidate) and len(name) > len(candidate):
                    township, name = townships[candidate], name[len(candidate) :]
                    break
        pool = [township] if township is not None else list(gazetteer.townships)
        found = [Place(t, v) for t in pool for v in t.villages if name in (v.name, v.official_name, *v.aliases)]
        if not name:
            result.unmatched.append((point, "没有名称"))
            continue
        if not found:
            where = f"{township.name}没有叫“{name}”的村" if township is not None else f"名单中没有叫“{name}”的村"
            result.unmatched.append((point, where))
            continue
        if len(found) > 1:
            names = "、".join(p.full_name for p in found)
            result.unmatched.append((point, f"几个乡镇都有这个村（{names}）：请写成“乡镇名+村名”或放进乡镇文件夹"))
            continue
        place = found[0]
        if place.code in seen:
            result.unmatched.append((point, f"{place.full_name}在文件中出现了不止一次，只取第一个点"))
            continue
        seen.add(place.code)
        datum = point.datum or points.datum or crs
        if not datum:
            raise CoordinatesError(
                "文件没有写明坐标系：请用 --crs 指明（奥维互动地图在高德、腾讯等中国底图上采集的是 GCJ-02，GPS 和"
                "天地图是 WGS-84/CGCS2000） / the file does not state its datum: give --crs GCJ-02, WGS-84 or CGCS2000"
            )
        lon, lat, converted = point.lon, point.lat, False
        if datum == "GCJ-02":
            wgs = prcoords.gcj_wgs_bored(prcoords.Coords(point.lat, point.lon), False)
            lon, lat, converted, datum = wgs.lon, wgs.lat, True, "WGS-84"
        result.matched.append(
            Match(
                point,
                place,
                round(Decimal(repr(lon)), PLACES_DIGITS),
                round(Decimal(repr(lat)), PLACES_DIGITS),
                datum,
                converted,
            )
        )
    return result


def source_text(file_name: str, date: dt.date, converted: bool) -> str:
    """What places.yml records as a point's source: the file and its date, and the conversion if any."""
    text = f"县里采集的坐标文件 {file_name}（{date.isoformat()}）"
    return text + (f"；{METHOD}" if converted else "")


# --- writing places.yml ------------------------------------------------------------------------------------


def write(places_file: Path, result: Result, file_name: str, date: dt.date) -> int:
    """Set the matched villages' coordinates in places.yml, keeping its comments and order; returns how many."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 10_000
    yaml.indent(mapping=2, sequence=4, offset=2)  # as gongshi places writes the file
    data = yaml.load(places_file.read_text(encoding="utf-8"))
    by_code = {m.place.code: m for m in result.matched}
    count = 0
    for township in data.get("townships") or []:
        for village in township.get("villages") or []:
            key = str(village.get("code")) if str(village.get("code")) in by_code else str(village.get("id"))
            found = by_code.get(key)
            if found is None:
                continue
            point = CommentedMap()
            point["lon"] = float(found.lon)
            point["lat"] = float(found.lat)
            point["crs"] = found.crs
            point["source"] = source_text(file_name, date, found.converted)
            point["date"] = dt.date.fromisoformat(date.isoformat())  # its own object: YAML writes no alias
            point.fa.set_flow_style()
            village["coordinates"] = point
            count += 1
    out = io.StringIO()
    yaml.dump(data, out)
    places_file.write_text(out.getvalue(), encoding="utf-8", newline="\n")
    return count
