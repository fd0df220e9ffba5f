"""Fuzz, second round (issue 26): the imports and the settings, with samples from our hostile corpus
(tests/hostile_corpus.py) and hostile numbers, drawn anew each run (GONGSHI_FUZZ_SEED reproduces one).

- Imports (`gongshi places coordinates`): KML, GPX, CSV and KMZ files with hostile names and numbers, some cut
  short, bit-flipped or given a document type; reading one either gives points that are finite and on the globe
  or one CoordinatesError naming the file — never another exception. Workbooks (`gongshi import`): a real XLSX
  cut short or bit-flipped is read or refused with an error the command reports — never a traceback.
- Settings (content/site.yml): a wrong value in any setting is refused at the line of that setting's key, naming
  the setting, or accepted as valid.
The counts of cases tried and refused are printed (pytest -s) for the record.
"""

from __future__ import annotations

import io
import math
import random
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import yaml
from hostile_corpus import Corpus
from openpyxl import Workbook
from openpyxl.utils.exceptions import InvalidFileException
from test_fuzz import SEED, seeded
from tiny_county import data, write_content

from gongshi.content.load import load_site
from gongshi.content.read import dotted
from gongshi.errors import ContentErrors
from gongshi.staff import coordinates
from gongshi.staff.archive_limits import DAMAGED
from gongshi.staff.xlsx_read import read_rows

IMPORT_CASES = 120
WORKBOOK_CASES = 60
NUMBERS = ["103.1", "29.2", "-0", "inf", "-inf", "nan", "1e309", "-1e309", "9" * 400, "0x10", "", "１０３"]
NUMBERS += ["1_03", "103.1.2", "--1", "1e-400", "181", "-91", "+103", ".5", "1" + "0" * 20, "Infinity", "NaN"]
LAUGHS = (
    '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
)
EXTERNAL = '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'


def _number(rng: random.Random, corpus: Corpus) -> str:
    """A plain coordinate most of the time (so that some files are read whole), else a hostile one."""
    draw = rng.random()
    if draw < 0.75:
        return f"{rng.uniform(-90, 90):.6f}"
    return rng.choice(NUMBERS) if draw < 0.97 else corpus.fragment()


def _points_file(rng: random.Random, corpus: Corpus, kind: str) -> bytes:
    points = [
        (corpus.text(200, one_line=True), _number(rng, corpus), _number(rng, corpus)) for _ in range(rng.randint(1, 3))
    ]
    doctype = rng.choice(["", "", "", LAUGHS, EXTERNAL])
    if kind == "csv":
        rows = ["名称,经度,纬度"] + [",".join(f'"{c.replace(chr(34), chr(34) * 2)}"' for c in p) for p in points]
        return "\n".join(rows).encode("utf-8")
    if kind == "gpx":
        body = "".join(
            f'<wpt lat="{escape(lat, {chr(34): "&quot;"})}" lon="{escape(lon, {chr(34): "&quot;"})}">'
            f"<name>{escape(name)}</name></wpt>"
            for name, lon, lat in points
        )
        text = (
            f'<?xml version="1.0"?>{doctype}<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1">{body}</gpx>'
        )
        return text.encode("utf-8")
    body = "".join(
        f"<Placemark><name>{escape(name)}</name><Point><coordinates>{escape(lon)},{escape(lat)}</coordinates>"
        "</Point></Placemark>"
        for name, lon, lat in points
    )
    text = (
        f'<?xml version="1.0"?>{doctype}<kml xmlns="http://www.opengis.net/kml/2.2"><Document>{body}</Document></kml>'
    )
    if kind == "kml":
        return text.encode("utf-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("doc.kml", text)
    return out.getvalue()


def _damage(rng: random.Random, content: bytes) -> tuple[bytes, str]:
    choice = rng.random()
    if choice < 0.5 or not content:
        return content, "whole"
    if choice < 0.75:
        return content[: rng.randrange(len(content))], "cut"
    damaged = bytearray(content)
    for _ in range(rng.randint(1, 8)):
        damaged[rng.randrange(len(damaged))] = rng.randrange(256)
    return bytes(damaged), "flipped"


def test_hostile_coordinate_files_are_read_or_refused_naming_the_file(tmp_path: Path):
    rng = random.Random(SEED + 2)
    corpus = Corpus(rng)
    counts = {"tried": 0, "read": 0, "refused naming the file": 0}
    problems = []
    for n in range(IMPORT_CASES):
        kind = rng.choice(["kml", "gpx", "csv", "kmz"])
        content, how = _damage(rng, _points_file(rng, corpus, kind))
        path = tmp_path / f"case{n}.{kind}"
        path.write_bytes(content)
        counts["tried"] += 1
        try:
            found = coordinates.read_points(path)
        except coordinates.CoordinatesError as exc:
            if path.name in str(exc):
                counts["refused naming the file"] += 1
            else:
                problems.append((path.name, how, f"error without the file name: {exc}"))
            continue
        except Exception as exc:  # any other kind is a traceback for staff
            problems.append((path.name, how, f"{type(exc).__name__}: {str(exc)[:200]}"))
            continue
        bad = [p for p in found.points if not (math.isfinite(p.lon) and math.isfinite(p.lat))]
        if bad or any(abs(p.lon) > 180 or abs(p.lat) > 90 for p in found.points):
            problems.append((path.name, how, f"points off the globe: {bad[:2]}"))
        counts["read"] += 1
    print(f"\nimports (coordinates): {counts}")
    with seeded():
        assert problems == [], problems


WORKBOOK_REPORTED = (InvalidFileException, *DAMAGED)
"""What `gongshi import` reports as an unreadable workbook (gongshi.staff.cli._import)."""


def _workbook(corpus: Corpus) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["序号", "项目名称", "规划投资（万元）", "建设地点"])
    for i in range(1, 4):
        sheet.append([i, corpus.text(200, one_line=True), 100 * i, corpus.text(200, one_line=True)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_damaged_workbooks_are_read_or_reported(tmp_path: Path):
    rng = random.Random(SEED + 3)
    corpus = Corpus(rng)
    counts = {"tried": 0, "read": 0, "reported naming the file": 0, "reported": 0}
    problems = []
    for n in range(WORKBOOK_CASES):
        content, how = _damage(rng, _workbook(corpus))
        if how == "whole":
            content, how = content[: rng.randrange(len(content))], "cut"
        path = tmp_path / f"book{n}.xlsx"
        path.write_bytes(content)
        counts["tried"] += 1
        try:
            read_rows(path)
            counts["read"] += 1
        except WORKBOOK_REPORTED as exc:
            counts["reported naming the file" if path.name in str(exc) else "reported"] += 1
        except Exception as exc:
            problems.append((path.name, how, f"{type(exc).__name__}: {str(exc)[:200]}"))
    print(f"\nimports (workbooks): {counts}")
    with seeded():
        assert problems == [], problems


SETTINGS = [
    ("title",),
    ("description",),
    ("office",),
    ("county", "name"),
    ("county", "code"),
    ("county", "province"),
    ("contacts", 0, "name"),
    ("contacts", 0, "phone"),
    ("contacts", 0, "note"),
    ("repo_url",),
    ("repo_branch",),
    ("notice_days",),
    ("map", "outline_crs"),
    ("map", "outline_source"),
    ("map", "tiles"),
    ("map", "tiles_attribution"),
    ("portal",),
    ("footer", "sponsor"),
    ("footer", "icp"),
    ("footer", "police"),
    ("footer", "site_code"),
]
SETTINGS_CASES = 60


def _wrong(rng: random.Random, corpus: Corpus):
    return rng.choice(
        [
            [1, 2],
            {"a": 1},
            True,
            12345678901234567890,
            -1,
            "",
            " ",
            "\u3000",
            "x" * 300,
            corpus.refused(100)[0],
            corpus.text(200, one_line=True),
            "javascript:alert(1)",
            "http://evil.example/",
        ]
    )


def _key_line(text: str, path: tuple) -> int:
    node = yaml.compose(text)
    line = 0
    for part in path:
        if isinstance(part, int):
            node = node.value[part]
            line = node.start_mark.line
        else:
            key, node = next((k, v) for k, v in node.value if k.value == part)
            line = key.start_mark.line
    return line + 1


def _set(county: dict, path: tuple, value) -> None:
    target = county["content/site.yml"]
    for part in path[:-1]:
        if isinstance(target, dict):
            target = target.setdefault(part, {})
        else:
            target = target[part]
    target[path[-1]] = value


def test_wrong_settings_are_refused_at_their_line(tmp_path: Path):
    rng = random.Random(SEED + 4)
    corpus = Corpus(rng)
    counts = {"tried": 0, "accepted": 0, "refused at the right line and field": 0}
    problems = []
    for n in range(SETTINGS_CASES):
        path = rng.choice(SETTINGS)
        value = _wrong(rng, corpus)
        county = {"content/site.yml": data()["content/site.yml"]} | {
            k: v for k, v in data().items() if k != "content/site.yml"
        }
        _set(county, path, value)
        project = tmp_path / str(n)
        write_content(project, county)
        text = (project / "content/site.yml").read_text(encoding="utf-8")
        counts["tried"] += 1
        try:
            load_site(project / "content", project)
            counts["accepted"] += 1
            continue
        except ContentErrors as exc:
            errors = [e for e in exc.errors if e.file == "content/site.yml"]
        fields = (dotted(path), "footer.") if path == ("portal",) else (dotted(path),)  # true asks for the footer
        line = _key_line(text, path)
        right = [e for e in errors if e.field.startswith(fields) and e.line == line]
        if right and len(right) == len(errors):
            counts["refused at the right line and field"] += 1
        else:
            problems.append((fields[0], repr(value)[:60], line, [(e.line, e.field, e.message_en[:60]) for e in errors]))
    print(f"\nsettings: {counts}")
    with seeded():
        assert problems == [], problems
