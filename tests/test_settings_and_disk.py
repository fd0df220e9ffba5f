"""The right line for a settings error, and a clear message when the disk is full (issue 26)."""

from __future__ import annotations

import errno
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from tiny_county import data, make_project

from gongshi.content.load import load_site
from gongshi.errors import ContentErrors, no_room_message

FOOTER = ("sponsor", "icp", "police", "site_code")


def _line(path: Path, start: str) -> int:
    lines = path.read_text(encoding="utf-8").split("\n")
    return next(i for i, text in enumerate(lines, 1) if text.startswith(start))


def _footer_errors(project: Path) -> dict[str, int | None]:
    with pytest.raises(ContentErrors) as caught:
        load_site(project / "content", project)
    return {e.field: e.line for e in caught.value.errors if e.file == "content/site.yml"}


def test_portal_without_footer_is_reported_at_the_portal_line(tmp_path: Path):
    county = data()
    county["content/site.yml"]["portal"] = True
    project = make_project(tmp_path / "county", county)
    portal = _line(project / "content/site.yml", "portal:")
    errors = _footer_errors(project)
    assert {f"footer.{name}" for name in FOOTER} <= set(errors), errors
    assert {errors[f"footer.{name}"] for name in FOOTER} == {portal}, (errors, portal)


def test_a_missing_footer_field_is_reported_at_the_footer_line(tmp_path: Path):
    county = data()
    county["content/site.yml"]["portal"] = True
    county["content/site.yml"]["footer"] = {"sponsor": "测试县人民政府办公室"}
    project = make_project(tmp_path / "county", county)
    footer = _line(project / "content/site.yml", "footer:")
    errors = _footer_errors(project)
    assert "footer.sponsor" not in errors
    assert {errors[f"footer.{name}"] for name in FOOTER if name != "sponsor"} == {footer}, (errors, footer)


def test_the_disk_full_message_for_a_real_enospc():
    """A real OSError with errno ENOSPC, from a real write to /dev/full (the kernel's always-full device)."""
    with pytest.raises(OSError) as caught, open("/dev/full", "wb", buffering=0) as full:
        full.write(b"x")
    assert caught.value.errno == errno.ENOSPC
    message = no_room_message(caught.value)
    assert message and "磁盘空间不足" in message and "kept" in message
    assert no_room_message(PermissionError(errno.EACCES, "denied")) is None


def _limit_file_size() -> None:
    """In the build: a file may not grow past 16 KB, and a write beyond fails with EFBIG instead of killing the
    process (SIGXFSZ ignored). The real disk cannot be filled in a test; this makes a real write of the real
    build fail for want of room, as a full disk does."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (16 * 1024, resource.RLIM_INFINITY))


def test_a_build_that_runs_out_of_room_says_so_and_keeps_the_site(tmp_path: Path):
    project = make_project(tmp_path / "county")
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"} | {"NO_MKDOCS_2_WARNING": "1"}
    publish = [sys.executable, "-m", "gongshi.staff.publish", "--site", "site"]
    first = subprocess.run(publish, cwd=project, env=env, capture_output=True, text=True, timeout=600)
    assert first.returncode == 0, first.stderr[-2000:]
    published = os.readlink(project / "site")
    full = subprocess.run(
        publish, cwd=project, env=env, capture_output=True, text=True, timeout=600, preexec_fn=_limit_file_size
    )
    assert full.returncode != 0
    assert "磁盘空间不足" in full.stderr and "Traceback" not in full.stderr, full.stderr[-3000:]
    assert os.readlink(project / "site") == published and (project / "site" / "index.html").is_file()
