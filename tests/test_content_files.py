"""Files (issue 17): content files, photos and the map outline must be regular files inside the repository.
A symbolic link — to /etc/passwd, to a record outside the repository, to a folder — is refused naming only
the link: never the target's contents, never an absolute path. A FIFO does not hang the build. Photos are
checked by their structure when content is read, then decoded by Pillow with a pixel limit; a photo that
fails either way is an error naming the record, its line and the photo, and no site is built."""

from __future__ import annotations

import io
import os
import struct
import zlib
from pathlib import Path

import pytest
from conftest import run_build
from PIL import Image
from tiny_county import data, make_project, write_content

from gongshi.content.load import load_site
from gongshi.content.photos import BadImage
from gongshi.errors import ContentErrors
from gongshi.web.pages.photos import photo_pages, web_jpeg
from gongshi.web.plugin import make_renderer

ROOT = Path(__file__).resolve().parent.parent
PARK = "content/projects/01-park.md"


def errors_of(project: Path) -> list:
    with pytest.raises(ContentErrors) as caught:
        load_site(project / "content", project)
    return caught.value.errors


def assert_leaks_nothing(text: str, *secrets: str) -> None:
    for secret in ("root:", "/etc/passwd", *secrets):
        assert secret not in text, secret


@pytest.fixture
def county(tmp_path: Path) -> Path:
    project = tmp_path / "repo"
    write_content(project, data())
    return project


def test_a_record_linked_to_etc_passwd_is_refused_naming_only_the_link(county: Path):
    (county / "content/projects/zz-evil.md").symlink_to("/etc/passwd")
    (error,) = errors_of(county)
    assert (error.file, error.found) == ("content/projects/zz-evil.md", "content/projects/zz-evil.md")
    assert "符号链接" in error.message_zh and error.message_en
    assert_leaks_nothing(error.format(), str(county))


def test_a_record_linked_outside_the_repository_publishes_nothing(tmp_path: Path):
    project = make_project(tmp_path / "repo")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    evil = outside / "03-evil.md"
    (project / PARK).rename(evil)  # a valid record, but outside the repository
    (project / PARK).symlink_to(evil)
    result = run_build(project)
    assert result.returncode != 0
    assert "content/projects/01-park.md" in result.stderr and "符号链接" in result.stderr
    assert_leaks_nothing(result.stderr, str(tmp_path), str(outside))
    assert not (project / "site").exists()


@pytest.mark.parametrize(
    "where", ["content/projects/linked", "content/projects", "content/places.yml", "content/plans/2025.yml"]
)
def test_links_anywhere_on_the_way_are_refused(county: Path, tmp_path: Path, where: str):
    path = county / where
    target = tmp_path / "target" / path.name
    target.parent.mkdir()
    if where.endswith("linked"):
        target.mkdir()
        (target / "09-more.md").write_text((county / PARK).read_text(encoding="utf-8"), encoding="utf-8")
    else:
        path.rename(target)
    path.symlink_to(target)
    errors = errors_of(county)
    assert any(e.found == where and "符号链接" in e.message_zh for e in errors), [e.format() for e in errors]
    for error in errors:
        assert_leaks_nothing(error.format(), str(tmp_path / "target"))


def test_a_fifo_is_refused_not_waited_for(county: Path):
    os.mkfifo(county / "content/projects/03-pipe.md")
    (error,) = errors_of(county)  # reading it would block forever
    assert error.file == "content/projects/03-pipe.md" and "不是普通文件" in error.message_zh


@pytest.mark.parametrize("outline", ["../../../../etc/passwd", "/etc/passwd", "sources/link.geojson"])
def test_the_map_outline_must_be_a_file_in_the_repository(county: Path, outline: str):
    (county / "content/sources").mkdir()
    (county / "content/sources/link.geojson").symlink_to("/etc/passwd")
    county_data = data()
    county_data["content/site.yml"]["map"] = {"outline": outline, "outline_crs": "CGCS2000", "outline_source": "测试"}
    write_content(county, {"content/site.yml": county_data["content/site.yml"]})
    (error,) = errors_of(county)
    assert (error.file, error.field) == ("content/site.yml", "map.outline")
    assert_leaks_nothing(error.format().replace(f"发现 found: {outline}", ""), str(county))


# --- photos ---------------------------------------------------------------------------------------------------


def png(width: int, height: int, idat: bytes | None = None) -> bytes:
    """A PNG whose header says width × height; IDAT is the given bytes (or a small valid image row set)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    if idat is None:
        idat = zlib.compress(b"".join(b"\x00" + b"\x80" * width * 3 for _ in range(height)))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 80, 40)).save(out, "JPEG")
    return out.getvalue()


def with_photo(project: Path, name: str, content: bytes | None) -> None:
    county = data()
    county[PARK]["progress"][0]["photos"] = [name]
    write_content(project, county)
    if content is not None:
        (project / "content/projects" / name).write_bytes(content)


@pytest.mark.parametrize(
    "name, content, words",
    [
        ("bomb.png", png(20000, 20000, idat=zlib.compress(b"\x00" * 1000)), "图片过大"),
        ("cut.jpg", jpeg()[:300], "不完整"),
        ("fake.jpg", b"GIF89a" + b"\x00" * 100, "不是 JPEG"),
        ("missing.jpg", None, "不存在"),
    ],
)
def test_a_bad_photo_is_refused_when_content_is_read(county: Path, name: str, content: bytes | None, words: str):
    with_photo(county, name, content)
    (error,) = errors_of(county)
    assert (error.file, error.field, error.found) == (PARK, "progress[0].photos[0]", name)
    lines = (county / PARK).read_text(encoding="utf-8").split("\n")
    assert error.line == next(i for i, line in enumerate(lines, 1) if name in line)
    assert words in error.message_zh, error.format()


def test_a_photo_link_is_refused(county: Path):
    with_photo(county, "linked.jpg", None)
    (county / "content/projects/linked.jpg").symlink_to("/etc/passwd")
    (error,) = errors_of(county)
    assert error.field == "progress[0].photos[0]" and "符号链接" in error.message_zh
    assert_leaks_nothing(error.format())


def test_pillow_decodes_with_a_pixel_limit(tmp_path: Path):
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(png(20000, 20000, idat=zlib.compress(b"\x00" * 1000)))
    with pytest.raises(BadImage) as caught:
        web_jpeg(bomb)  # never Pillow's DecompressionBombError, never 400 million pixels in memory
    assert "过大" in caught.value.zh
    good = tmp_path / "good.png"
    good.write_bytes(png(32, 16))
    assert Image.open(io.BytesIO(web_jpeg(good))).size == (32, 16)


def test_a_photo_pillow_cannot_decode_is_an_error_naming_record_and_photo(county: Path):
    damaged = png(64, 64, idat=b"not zlib data at all" * 10)  # whole structure, broken pixels
    with_photo(county, "damaged.png", damaged)
    site = load_site(county / "content", county)  # the structure check passes
    renderer = make_renderer(site, ROOT / "templates")
    with pytest.raises(ContentErrors) as caught:
        list(photo_pages(renderer))
    (error,) = caught.value.errors
    assert (error.file, error.field, error.found) == (PARK, "progress[0].photos[0]", "damaged.png")
    lines = (county / PARK).read_text(encoding="utf-8").split("\n")
    assert error.line == next(i for i, line in enumerate(lines, 1) if "damaged.png" in line)
    assert "无法解码" in error.message_zh


def test_the_build_refuses_a_damaged_photo_and_writes_no_site(tmp_path: Path):
    project = make_project(tmp_path / "repo")
    with_photo(project, "damaged.png", png(64, 64, idat=b"\x78\x9c broken" * 20))
    result = run_build(project)
    assert result.returncode != 0
    assert f"{PARK}:" in result.stderr and "damaged.png" in result.stderr and "Traceback" not in result.stderr
    assert not (project / "site").exists()
