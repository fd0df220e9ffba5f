"""A photo that tells where it was taken is refused by `gongshi check`; `gongshi photos --clean` strips it in
place without changing a pixel (the JPEG's scan data is copied byte for byte)."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from clerk_county import RECORD, errors_of, make_county
from helpers import edit, line_of
from PIL import Image

from gongshi.content.photo_privacy import clean, findings

GPS = {1: "N", 2: (29.0, 13.0, 30.5), 3: "E", 4: (103.0, 15.0, 12.0)}


def photo(fmt: str, *, gps: bool = True, serial: bool = False, orientation: int | None = None) -> bytes:
    image = Image.new("RGB", (64, 48), (120, 160, 90))
    exif = Image.Exif()
    if gps:
        exif[0x8825] = GPS
    if serial:
        exif.get_ifd(0x8769)[0xA431] = "SN-0001234"
    if orientation:
        exif[0x0112] = orientation
    out = io.BytesIO()
    image.save(out, fmt, exif=exif.tobytes())
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_gps_is_found_and_cleaned_losslessly(fmt: str) -> None:
    data = photo(fmt)
    assert findings(data) == {"GPS"}
    cleaned = clean(data)
    assert findings(cleaned) == set()
    with Image.open(io.BytesIO(data)) as before, Image.open(io.BytesIO(cleaned)) as after:
        assert list(before.getdata()) == list(after.getdata())
        assert not after.getexif().get_ifd(0x8825)


def test_jpeg_scan_data_is_untouched_and_orientation_kept() -> None:
    data = photo("JPEG", serial=True, orientation=6)
    assert findings(data) == {"GPS", "BodySerialNumber"}
    cleaned = clean(data)
    assert cleaned[cleaned.index(b"\xff\xda") :] == data[data.index(b"\xff\xda") :]
    with Image.open(io.BytesIO(cleaned)) as after:
        assert after.getexif().get(0x0112) == 6 and not after.getexif().get_ifd(0x8769)


def test_a_photo_without_location_is_left_alone() -> None:
    data = photo("JPEG", gps=False)
    assert findings(data) == set() and clean(data)[-100:] == data[-100:]


def test_check_refuses_the_photo_and_photos_clean_fixes_it(tmp_path: Path) -> None:
    county = make_county(tmp_path / "county")
    (county / "content" / "projects" / "road.jpg").write_bytes(photo("JPEG"))
    edit(county, RECORD, "    note: 路基完成\n", "    note: 路基完成\n    photos: [road.jpg]\n")
    (error,) = errors_of(county)
    assert error.line == line_of(county, RECORD, "road.jpg")
    assert "GPS" in error.message_zh and "公开" in error.message_zh and "gongshi photos --clean" in error.hint
    run = subprocess.run(
        [sys.executable, "-m", "gongshi", "photos", "--clean"], cwd=county, capture_output=True, text=True
    )
    assert run.returncode == 0 and "road.jpg" in run.stdout
    assert errors_of(county) == []


def test_the_workflows_gongshi_init_writes_fail_on_an_uploaded_photo_with_its_position(tmp_path: Path) -> None:
    """Uploaded through GitHub's web page, a photo is in the repository before any record names it: the content
    workflows' photo step fails with the photo's file and the fix, for a photo no record lists yet."""
    import yaml

    county = make_county(tmp_path / "county")
    (county / "content" / "projects" / "upload.jpg").write_bytes(photo("JPEG"))
    workflows = Path(__file__).parents[1] / "templates" / "init" / ".github" / "workflows"
    for name, job in (("pr.yml", "check"), ("pages.yml", "build")):
        runs = [s.get("run", "") for s in yaml.safe_load((workflows / name).read_text("utf-8"))["jobs"][job]["steps"]]
        step = next(r for r in runs if "gongshi photos" in r)
        assert runs.index(step) < next(i for i, r in enumerate(runs) if "gongshi check" in r), name
        command = step.split("&&")[-1].strip().replace(".venv/bin/gongshi", f"{sys.executable} -m gongshi")
        run = subprocess.run(command, shell=True, cwd=county, capture_output=True, text=True)
        assert run.returncode == 1, name
        (annotation,) = [line for line in run.stdout.splitlines() if line.startswith("::error")]
        assert annotation.startswith("::error file=content/projects/upload.jpg,title=照片带有拍摄位置")
        assert "gongshi photos --clean" in annotation and "提交历史" in annotation
    guide = Path(__file__).parents[1] / "templates/pages/standard/guide/photos.md.j2"
    section = guide.read_text("utf-8").split("## 在 GitHub 网页上传照片之前")[1]
    assert "Upload files" in section and "gongshi photos --clean" in section and "提交历史" in section
    (county / "content" / "projects" / "upload.jpg").write_bytes(photo("JPEG", gps=False))
    clean_run = subprocess.run(
        [sys.executable, "-m", "gongshi", "photos", "--format", "github"], cwd=county, capture_output=True, text=True
    )
    assert clean_run.returncode == 0 and "::error" not in clean_run.stdout
