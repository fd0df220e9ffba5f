"""Text hygiene at one gate (issue 17): control, bidi, line-separator, surrogate and non-characters are refused
in every file and field with file, line and field — written raw or as a YAML escape — and never reach a
terminal; invisible-only names, empty names, contacts, non-ASCII digits and large gazetteers get the right
error; every XML output (feed, sitemap, the XLSX parts) parses back.
"""

from __future__ import annotations

import io
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from conftest import build_ok
from openpyxl import load_workbook
from tiny_county import data, git, make_project, write_content

from gongshi.content.load import load_site
from gongshi.content.read import dotted
from gongshi.errors import ContentErrors
from gongshi.text import UNSAFE, find_unsafe, is_blank, non_ascii_digit, one_line, strip_unsafe, visible

UNSAFE_CHARS = {
    "NUL": "\x00",
    "BEL": "\x07",
    "ESC": "\x1b",
    "DEL": "\x7f",
    "NEL": "\x85",
    "CSI": "\x9b",
    "LRE": "\u202a",
    "RLO": "\u202e",
    "LRI": "\u2066",
    "PDI": "\u2069",
    "LS": "\u2028",
    "PS": "\u2029",
    "FDD0": "\ufdd0",
    "FFFE": "\ufffe",
    "FFFF": "\uffff",
    "1FFFE": "\U0001fffe",
    "10FFFF": "\U0010ffff",
}
# (file, field path) for a text field of every kind of content file; "body" is a record's Markdown.
FIELDS = [
    ("content/site.yml", ("office",)),
    ("content/site.yml", ("contacts", 0, "note")),
    ("content/places.yml", ("townships", 0, "villages", 1, "official_name")),
    ("content/units.yml", ("units", 1, "full_name")),
    ("content/plans/2025.yml", ("categories", 0, "description")),
    ("content/projects/01-park.md", ("title",)),
    ("content/projects/01-park.md", ("targets", 0, "note")),
    ("content/projects/02-school.md", ("body",)),
]
PARK = "content/projects/01-park.md"


def put(county: dict, rel: str, path: tuple, value) -> None:
    target = county[rel]
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value


def errors_of(project: Path) -> list:
    with pytest.raises(ContentErrors) as caught:
        load_site(project / "content", project)
    return caught.value.errors


def line_with(project: Path, rel: str, needle: str) -> int:
    lines = (project / rel).read_text(encoding="utf-8").split("\n")
    return next(i for i, line in enumerate(lines, start=1) if needle in line)


# --- the rule -----------------------------------------------------------------------------------------------


def test_the_rule():
    for name, char in UNSAFE_CHARS.items():
        bad = find_unsafe(f"ab{char}c")
        assert bad is not None and bad.position == 2, name
        assert bad.code in bad.message[0] and bad.code in bad.message[1]
        assert strip_unsafe(f"a{char}b") == "ab"
        assert visible(f"a{char}b") == f"a⟨{bad.code}⟩b"
    for fine in ("\t", "\n", "\r", "\u200b", "\u200f", "\ufeff", "\U00020000", "ꆈꌠ", "👨‍👩‍👧", "\ue000", "\ufffd"):
        assert find_unsafe(f"a{fine}b") is None, repr(fine)
    assert find_unsafe("\ud800") is not None  # a surrogate, as a YAML escape could make one
    assert one_line("提交\x1e说明\n\n第二段\t" + "长" * 400).startswith("提交说明 第二段 长")
    assert len(one_line("长" * 400)) == 300
    assert is_blank("\u200b") and is_blank(" \u3164\u200d ") and is_blank("\u2800")
    assert not is_blank("") and not is_blank("a\u200b") and not is_blank("·")
    assert non_ascii_digit("10") is None and non_ascii_digit("（一）") is None
    for digit in ("⁰", "①", "１", "٣", "५", "𝟙"):
        assert non_ascii_digit(f"1{digit}") == digit


# --- refused at loading, in every file, raw or escaped ----------------------------------------------------------


@pytest.mark.parametrize("form", ["raw", "escaped"])
@pytest.mark.parametrize("name", list(UNSAFE_CHARS))
def test_unsafe_characters_are_refused_in_every_file(tmp_path: Path, name: str, form: str):
    char = UNSAFE_CHARS[name]
    for index, (rel, path) in enumerate(FIELDS):
        project = tmp_path / f"{index}"
        county = data()
        marker = f"GSX{index}前"
        if path == ("body",):
            county[rel]["body"] = f"第一行\n\n{marker}{char}后\n"
        else:
            put(county, rel, path, f"{marker}{'MARK' if form == 'raw' else char}后")
        write_content(project, county)
        file = project / rel
        if form == "raw":  # the character itself in the file, as an editor would save it
            file.write_text(file.read_text(encoding="utf-8").replace("MARK", char), encoding="utf-8")
        errors = errors_of(project)
        assert len(errors) == 1, [e.format() for e in errors]
        error = errors[0]
        where = (error.file, error.line, error.field)
        assert where == (rel, line_with(project, rel, marker), dotted(path)), (name, form, rel, error.format())
        code = f"U+{ord(char):04X}"
        assert code in error.message_zh and code in error.message_en
        assert UNSAFE.search(error.format()) is None  # shown as ⟨U+…⟩, never sent to the terminal


def test_a_raw_control_character_in_a_key_is_refused_not_a_traceback(tmp_path: Path):
    write_content(tmp_path, data())
    site = tmp_path / "content/site.yml"
    site.write_text(site.read_text(encoding="utf-8") + "ti\x1btle: x\n", encoding="utf-8")
    (error,) = errors_of(tmp_path)
    assert (error.file, error.line) == ("content/site.yml", line_with(tmp_path, "content/site.yml", "ti\x1btle"))
    assert "U+001B" in error.message_zh


def test_gongshi_check_never_prints_a_control_character(tmp_path: Path):
    county = data()
    county[PARK]["title"] = "标题\x1b[2J\x1b]0;pwned\x07"
    write_content(tmp_path, county)
    for fmt in ("text", "github"):
        result = subprocess.run(
            [sys.executable, "-m", "gongshi.staff.cli", "check", "--content", str(tmp_path / "content"),
             "--format", fmt],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        assert UNSAFE.search(result.stdout + result.stderr) is None
        assert "⟨U+001B⟩" in result.stdout + result.stderr


# --- the wrong messages listed under Low, and numbers ------------------------------------------------------------


@pytest.mark.parametrize("blank", ["\u200b", " \u200b\u200c\u2060 ", "\u3164", "\u2800"])
def test_a_title_of_invisible_characters_is_refused(tmp_path: Path, blank: str):
    county = data()
    county[PARK]["title"] = blank
    write_content(tmp_path, county)
    (error,) = errors_of(tmp_path)
    assert (error.file, error.field, error.line) == (PARK, "title", line_with(tmp_path, PARK, "title:"))
    assert "看不见" in error.message_zh and "U+" in error.found


@pytest.mark.parametrize("field", ["title", "location"])
def test_an_empty_name_says_it_is_empty(tmp_path: Path, field: str):
    county = data()
    county[PARK][field] = ""
    write_content(tmp_path, county)
    (error,) = errors_of(tmp_path)
    assert (error.field, error.message_zh) == (field, "不能为空")
    assert "列表" not in error.message_zh + str(error.expected)


def test_an_invalid_contact_gets_one_right_error(tmp_path: Path):
    county = data()
    county["content/site.yml"]["contacts"][0]["phone"] = "请拨打12317"
    write_content(tmp_path, county)
    (error,) = errors_of(tmp_path)
    assert error.field == "contacts[0].phone" and "电话号码" in error.expected and "^" not in error.expected
    county["content/site.yml"]["contacts"][0]["phone"] = 12317  # unquoted: YAML reads a number
    write_content(tmp_path, county)
    (error,) = errors_of(tmp_path)
    assert error.field == "contacts[0].phone" and "引号" in error.hint


@pytest.mark.parametrize("number", ["⁰⁴⁵", "①", "１０", "٣", "1५", "²"])
def test_non_ascii_digits_in_number_get_the_ascii_error_never_a_traceback(tmp_path: Path, number: str):
    county = data()
    county[PARK]["number"] = number
    write_content(tmp_path, county)
    (error,) = errors_of(tmp_path)
    assert (error.file, error.field, error.line) == (PARK, "number", line_with(tmp_path, PARK, "number:"))
    assert "半角" in error.message_zh and "ASCII" in error.message_en
    assert error.expected.isascii() and error.expected.isdigit()
    result = subprocess.run(
        [sys.executable, "-m", "gongshi.staff.cli", "check", "--content", str(tmp_path / "content")],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 1 and "Traceback" not in result.stderr and "半角" in result.stderr


def test_a_large_gazetteer_without_aliases_is_not_an_alias_bomb(tmp_path: Path):
    write_content(tmp_path, data())
    lines = [(tmp_path / "content/places.yml").read_text(encoding="utf-8").rstrip("\n")]
    size, township = len(lines[0].encode()), 0
    while size < 1_800_000:  # written out line by line: every node appears in the file, none through an alias
        township += 1
        code = f"9901002{township:02d}"
        block = [f'- code: "{code}000"', f"  name: 镇{township}", "  kind: 镇", "  villages:"]
        for v in range(1, 250):
            block += [f'  - code: "{code}{v:03d}"', f"    name: 村{township}-{v}",
                      f"    official_name: 村{township}-{v}村民委员会", "    kind: 村民委员会"]  # fmt: skip
        lines += block
        size += sum(len(line.encode()) + 1 for line in block)
    (tmp_path / "content/places.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    size = (tmp_path / "content/places.yml").stat().st_size
    started = time.perf_counter()
    site = load_site(tmp_path / "content", tmp_path)
    seconds = time.perf_counter() - started
    print(f"places.yml of {size:,} bytes, {len(site.gazetteer.townships)} townships: loaded in {seconds:.1f} s")
    assert 1_800_000 <= size <= 2_000_000
    bomb = "\n".join(
        ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        + [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    )
    (tmp_path / "content/units.yml").write_text(bomb, encoding="utf-8")
    (error,) = errors_of(tmp_path)
    assert "别名" in error.message_zh


# --- every XML output parses back -----------------------------------------------------------------------------

# Characters that are allowed (published as text) but unusual: each must survive into well-formed XML.
ALLOWED = "\u200f\u200e右到左 \u200b零宽\u200d \ufeff 𠀀ꆈꌠ 👨‍👩‍👧 \ue000 \ufffd &amp; <x> ]]> \t"


@pytest.fixture(scope="module")
def xml_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    county = data()
    county[PARK]["title"] = "园区" + ALLOWED.replace("\t", "")
    county[PARK]["benefit_mechanism"] = "分红" + ALLOWED
    county["content/plans/2025.yml"]["categories"][0]["name"] = "产业" + ALLOWED.replace("\t", "")
    county["content/units.yml"]["units"][0]["full_name"] = "甲局" + ALLOWED.replace("\t", "")
    project = make_project(tmp_path_factory.mktemp("xml") / "project", county)
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "发布", when="2025-03-01T09:00:00+08:00")
    county[PARK]["period"] = "2026年" + ALLOWED.replace("\t", "")
    write_content(project, county)
    message = "更新\x00?\x01\x08\x0b\x0c\x1b[31m\x7f\x85\x9b\u202e\u2028\ufffe\uffff" + ALLOWED
    (project / "message").write_bytes(message.replace("\x00", "").encode())
    git(project, "commit", "-q", "-a", "--cleanup=verbatim", "-F", "message", when="2025-04-01T09:00:00+08:00")
    return build_ok(project)


def test_feed_sitemap_and_xlsx_parse_back(xml_site: Path):
    feed = ET.parse(xml_site / "feed.xml").getroot()  # expat: ill-formed XML raises
    summaries = [e.findtext("{http://www.w3.org/2005/Atom}summary") for e in feed]
    assert any(s and "更新?" in s and "𠀀ꆈꌠ" in s for s in summaries), summaries
    ET.parse(xml_site / "sitemap.xml")
    with zipfile.ZipFile(xml_site / "data/gongshi.xlsx") as book:
        parts = [n for n in book.namelist() if n.endswith((".xml", ".rels"))]
        assert any(n.startswith("xl/worksheets/") for n in parts)
        for name in parts:
            ET.fromstring(book.read(name))
    rows = list(load_workbook(xml_site / "data/gongshi.xlsx")["projects"].iter_rows(values_only=True))
    column = rows[1].index("title")  # row 1: titles; row 2: field names
    titles = [row[column] for row in rows[2:]]
    assert "园区" + ALLOWED.replace("\t", "").strip() in titles


def test_parsing_back_would_catch_a_non_character():
    """The parse-back is a real check: expat refuses what used to slip into feed.xml and the XLSX."""
    for char in ("\ufffe", "\x01", "\x1b"):
        with pytest.raises(ET.ParseError):
            ET.fromstring(f"<a>{char}</a>")
    book = io.BytesIO()
    with zipfile.ZipFile(book, "w") as archive:
        archive.writestr("x.xml", "<a>\ufffe</a>")
    with zipfile.ZipFile(book) as archive, pytest.raises(ET.ParseError):
        ET.fromstring(archive.read("x.xml"))


def test_no_output_carries_an_unsafe_character(xml_site: Path):
    for path in xml_site.rglob("*"):
        if path.suffix in (".html", ".xml", ".json", ".csv"):
            text = path.read_text(encoding="utf-8")
            assert UNSAFE.search(text) is None, path


# --- found by the fuzz test -----------------------------------------------------------------------------------


def test_a_text_with_a_line_of_dashes_is_read_whole(tmp_path: Path):
    county = data()
    county[PARK]["benefit_mechanism"] = "第一段\n---\n第二段"  # dumped as an indented --- line
    write_content(tmp_path, county)
    assert "\n  ---\n" in (tmp_path / PARK).read_text(encoding="utf-8")  # inside the field, indented
    site = load_site(tmp_path / "content", tmp_path)
    assert next(p for p in site.projects if p.id == "park").benefit_mechanism == "第一段\n---\n第二段"


@pytest.mark.parametrize("reference", ["&#xFFFE;", "&#x202e;", "&#27;", "&#0;", "&#x2028;"])
def test_a_character_reference_in_the_body_is_refused_like_the_character(tmp_path: Path, reference: str):
    county = data()
    county[PARK]["body"] = f"第一段\n\n第二段 {reference} 结束"
    write_content(tmp_path, county)
    (error,) = errors_of(tmp_path)
    assert (error.file, error.field, error.line) == (PARK, "body", line_with(tmp_path, PARK, reference))
    assert "U+" in error.message_zh
