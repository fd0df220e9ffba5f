"""Imports never end in a traceback (issue 26): hostile or malformed KML, GPX, KMZ, CSV and XLSX files, made
here, each end in one error naming the file and the place; archives are refused by their declared sizes before
anything is decompressed; XML with a document type (external or billion-laughs entities) is never expanded."""

from __future__ import annotations

import io
import subprocess
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from tiny_county import make_project

from gongshi.staff import coordinates
from gongshi.staff.archive_limits import MAX_ENTRIES, MAX_UNPACKED, ArchiveError, check_archive
from gongshi.staff.xlsx_read import read_rows

LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n' for i in range(1, 10))
    + "]>\n"
)
EXTERNAL = '<?xml version="1.0"?>\n<!DOCTYPE x [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>\n'
KML_BODY = (
    '<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>{name}</name>'
    "<Point><coordinates>{lon},{lat}</coordinates></Point></Placemark></Document></kml>"
)
GPX_BODY = (
    '<gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1">'
    '<wpt lat="{lat}" lon="{lon}"><name>{name}</name></wpt></gpx>'
)


def kml(name="一村", lon="103.1", lat="29.2") -> str:
    return '<?xml version="1.0"?>\n' + KML_BODY.format(name=name, lon=lon, lat=lat)


def gpx(name="一村", lon="103.1", lat="29.2") -> str:
    return '<?xml version="1.0"?>\n' + GPX_BODY.format(name=name, lon=lon, lat=lat)


def kmz_of(text: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("doc.kml", text)
    return out.getvalue()


def zip_bomb(inner: str, size: int) -> bytes:
    """A small archive whose one entry decompresses to `size` bytes of zeros (streamed, never held whole)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open(inner, "w", force_zip64=True) as entry,
    ):
        chunk = bytes(1 << 20)
        for _ in range(size >> 20):
            entry.write(chunk)
    return out.getvalue()


def many_entries(count: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for i in range(count):
            archive.writestr(f"e{i}.kml", "")
    return out.getvalue()


BOMB = zip_bomb("doc.kml", MAX_UNPACKED + (1 << 20))

# name: (file name, content, words the one error must hold besides the file name)
HOSTILE = {
    "kml-billion-laughs": ("a.kml", LAUGHS + KML_BODY.format(name="&lol9;", lon=103, lat=29), "第 2 行"),
    "kml-external-entity": ("a.kml", EXTERNAL + KML_BODY.format(name="&xxe;", lon=103, lat=29), "第 2 行"),
    "gpx-billion-laughs": ("a.gpx", LAUGHS + GPX_BODY.format(name="&lol9;", lon=103, lat=29), "第 2 行"),
    "gpx-external-entity": ("a.gpx", EXTERNAL + GPX_BODY.format(name="&xxe;", lon=103, lat=29), "第 2 行"),
    "kmz-billion-laughs": ("a.kmz", kmz_of(LAUGHS + KML_BODY.format(name="&lol9;", lon=103, lat=29)), "doc.kml"),
    "kmz-bomb": ("a.kmz", BOMB, "解压后过大"),
    "kmz-many-entries": ("a.kmz", many_entries(MAX_ENTRIES + 1), "文件过多"),
    "kmz-not-a-zip": ("a.kmz", b"PK\x03\x04 not a zip", "压缩文件"),
    "kml-not-xml": ("a.kml", "<kml><Placemark>", "第 1 行"),
    "kml-empty": ("a.kml", "", "XML"),
    "kml-not-kml": ("a.kml", "<html><body>x</body></html>", "a.kml"),
    "gpx-not-gpx": ("a.gpx", "<html/>", "a.gpx"),
    "gpx-bad-latitude": ("a.gpx", gpx(lat="abc"), "a.gpx"),
    "kml-infinity": ("a.kml", kml(lon="inf"), "一村"),
    "kml-1e309": ("a.kml", kml(lat="1e309"), "一村"),
    "kml-nan": ("a.kml", kml(lon="nan"), "一村"),
    "kml-long-number": ("a.kml", kml(lon="1" * 400), "一村"),
    "kml-out-of-range": ("a.kml", kml(lon="1000"), "一村"),
    "gpx-infinity": ("a.gpx", gpx(lat="inf"), "a.gpx"),
    "gpx-1e309": ("a.gpx", gpx(lon="1e309"), "a.gpx"),
    "csv-infinity": ("a.csv", "名称,经度,纬度\n一村,inf,29\n", "第 2 行"),
    "csv-1e309": ("a.csv", "名称,经度,纬度\n一村,103,1e309\n", "第 2 行"),
    "csv-long-number": ("a.csv", "名称,经度,纬度\n一村," + "9" * 400 + ",29\n", "第 2 行"),
    "csv-nan": ("a.csv", "名称,经度,纬度\n一村,nan,29\n", "第 2 行"),
    "csv-binary": ("a.csv", b"\xff\xfe\x00\x01\x80", "a.csv"),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_coordinates_file_is_one_error_naming_file_and_place(tmp_path: Path, name: str):
    file_name, content, words = HOSTILE[name]
    path = tmp_path / file_name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(coordinates.CoordinatesError) as caught:
            coordinates.read_points(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    message = str(caught.value)
    assert file_name in message and words in message, message
    assert time.monotonic() - started < 10 and peak < 100 * 2**20, (time.monotonic() - started, peak)


def test_an_ordinary_file_is_still_read(tmp_path: Path):
    for name, text in (("a.kml", kml()), ("a.gpx", gpx()), ("a.csv", "名称,经度,纬度\n一村,103.1,29.2\n")):
        (tmp_path / name).write_text(text, encoding="utf-8")
        points = coordinates.read_points(tmp_path / name).points
        assert [(p.name, p.lon, p.lat) for p in points] == [("一村", 103.1, 29.2)], name
    (tmp_path / "a.kmz").write_bytes(kmz_of(kml()))
    assert [p.name for p in coordinates.read_points(tmp_path / "a.kmz").points] == ["一村"]


def test_an_xlsx_bomb_is_refused_before_openpyxl_opens_it(tmp_path: Path):
    path = tmp_path / "计划表.xlsx"
    path.write_bytes(zip_bomb("xl/worksheets/sheet1.xml", MAX_UNPACKED + (1 << 20)))
    started = time.monotonic()
    with pytest.raises(ArchiveError) as caught:
        read_rows(path)
    assert "计划表.xlsx" in str(caught.value) and "解压后过大" in str(caught.value)
    assert time.monotonic() - started < 5
    assert isinstance(caught.value, zipfile.BadZipFile)  # the import command reports it as an unreadable workbook


def test_an_archive_within_the_limits_passes(tmp_path: Path):
    path = tmp_path / "ok.kmz"
    path.write_bytes(kmz_of(kml()))
    check_archive(path)


def test_the_coordinates_command_prints_one_error_and_no_traceback(tmp_path: Path):
    project = make_project(tmp_path / "county")
    failures = []
    # One of each kind (each run loads the county): the reader itself is tried on every file above.
    kinds = ("kml-billion-laughs", "gpx-external-entity", "kmz-bomb", "kml-not-kml", "kml-1e309", "csv-long-number")
    for name, (file_name, content, _) in ((k, HOSTILE[k]) for k in kinds):
        path = project / file_name
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        result = subprocess.run(
            [sys.executable, "-m", "gongshi", "places", "coordinates", file_name, "--crs", "WGS-84"],
            cwd=project,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if result.returncode == 0 or "Traceback" in result.stderr or file_name not in result.stderr:
            failures.append((name, result.returncode, result.stderr[-500:]))
    assert not failures, failures


def test_the_import_command_reports_a_hostile_workbook_without_traceback(tmp_path: Path):
    project = make_project(tmp_path / "county")
    no_parts = io.BytesIO()
    with zipfile.ZipFile(no_parts, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    bad_xml = io.BytesIO()
    with zipfile.ZipFile(bad_xml, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types><unclosed>")
    workbooks = {
        "bomb.xlsx": zip_bomb("xl/worksheets/sheet1.xml", MAX_UNPACKED + (1 << 20)),
        "many.xlsx": many_entries(MAX_ENTRIES + 1),
        "text.xlsx": b"not a zip at all",
        "no-parts.xlsx": no_parts.getvalue(),
        "bad-xml.xlsx": bad_xml.getvalue(),
    }
    failures = []
    for name, content in workbooks.items():
        (project / name).write_bytes(content)
        result = subprocess.run(
            [sys.executable, "-m", "gongshi", "import", "--xlsx", name],
            cwd=project,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if result.returncode == 0 or "Traceback" in result.stderr or name not in result.stderr:
            failures.append((name, result.returncode, result.stderr[-600:]))
    assert not failures, failures


RING = "[[103.0, 29.0], [103.1, 29.0], [103.1, 29.1], [103.0, 29.0]]"
OUTLINES = {
    "nan": '{"type": "Polygon", "coordinates": [[[NaN, 29.0], [103.1, 29.0], [103.0, 29.0]]]}',
    "infinity": '{"type": "Polygon", "coordinates": [[[Infinity, 29.0], [103.1, 29.0], [103.0, 29.0]]]}',
    "1e309": '{"type": "Polygon", "coordinates": [[[1e309, 29.0], [103.1, 29.0], [103.0, 29.0]]]}',
    "long-number": '{"type": "Polygon", "coordinates": [[[' + "9" * 400 + ", 29.0], [103.1, 29.0]]]}",
    "out-of-range": '{"type": "Polygon", "coordinates": [[[1030, 29.0], [103.1, 29.0], [103.0, 29.0]]]}',
    "deep": "[" * 100_000 + "]" * 100_000,
    "deep-rings": '{"type": "FeatureCollection", "features": ' + "[" * 50_000 + "]" * 50_000 + "}",
    "a-list": "[1, 2]",
    "a-string": '"outline"',
    "not-json": "<kml/>",
    "no-type": '{"coordinates": [' + RING + "]}",
}


@pytest.mark.parametrize("name", list(OUTLINES))
def test_a_hostile_outline_is_one_error_at_its_settings_line(tmp_path: Path, name: str):
    from tiny_county import data

    from gongshi.content.load import load_site
    from gongshi.errors import ContentErrors

    county = data()
    county["content/site.yml"]["map"] = {"outline": "outline.geojson", "outline_source": "测试"}
    project = make_project(tmp_path / "county", county)
    (project / "content" / "outline.geojson").write_text(OUTLINES[name], encoding="utf-8")
    line = next(
        i
        for i, text in enumerate((project / "content/site.yml").read_text(encoding="utf-8").split("\n"), 1)
        if text.strip().startswith("outline:")
    )
    with pytest.raises(ContentErrors) as caught:
        load_site(project / "content", project)
    errors = [e for e in caught.value.errors if e.field == "map.outline"]
    assert errors and errors[0].file == "content/site.yml" and errors[0].line == line, caught.value.report()[-1500:]
