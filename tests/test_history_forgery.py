"""History that commit data cannot steer (issue 17): every hostile commit listed there is committed to a real
repository — separators that forged a back-dated entry, a lone record separator, control, bidi and
non-characters, bytes that are not UTF-8, another encoding, empty and huge messages, a message shaped like
git's own output, file names with tabs and line breaks or shaped like ids, raw commit objects git itself would
not write (NUL in the message, impossible dates, unknown encodings, signatures), a merge. The history gongshi
reads must be exactly what `git log` says; the site built from it shows the real change, no forged entry, and
a feed that parses.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

import pytest
from conftest import build_ok
from helpers import main_text
from tiny_county import data, git, make_project, write_content

from gongshi.content.gitlog import EPOCH, Repository
from gongshi.content.history import read_history
from gongshi.text import UNSAFE, one_line

PARK, SCHOOL = "content/projects/01-park.md", "content/projects/02-school.md"
FORGED = "更新学校项目\x1e" + "f" * 40 + "\x1f\x1f2001-01-01T00:00:00+08:00\x1f经县长批准"
TEXT_MESSAGES: list[tuple[str, bytes]] = [
    ("forged separators", FORGED.encode()),
    ("lone record separator", "调整\x1e运营方式".encode()),
    ("C0 controls", ("控制" + "".join(chr(i) for i in range(1, 32) if i != 10) + "\x7f结束").encode()),
    ("C1 controls", ("C1" + "".join(chr(i) for i in range(0x80, 0xA0)) + "结束").encode()),
    ("bidi", "批准\u202e件文\u202c 与 \u2066隔离\u2069 \u200f标记".encode()),
    ("non-characters", "非字符\ufffe\uffff\U0010fffe\ufdd0结束".encode()),  # git re-reads these as Latin-1
    ("not UTF-8", b"\xff\xfe\xc3( \xe6\x9b\xb4\xe6\x96\xb0"),
    ("empty", b""),
    ("multi-line", "第一行\n第二行  \n\n正文不显示".encode()),
    ("huge", ("长" * 50_000).encode()),
    ("shaped like git log", f"说明\n:100644 100644 {'a' * 40} {'b' * 40} M\t{PARK}\n{'c' * 40}".encode()),
]
# Raw commit objects (git hash-object --literally): (name, committer line, extra headers, message bytes).
RAW_OBJECTS = [
    ("NUL in the message", b"C <c@x> 1741000000 +0800", b"", f"说明\0:100644 100644 {'a' * 40} M\0{PARK}".encode()),
    ("impossible offset", b"C <c@x> 1741000000 +99999", b"", "时区错误".encode()),
    ("timestamp overflow", b"C <c@x> 99999999999999999999 +0800", b"", "时间溢出".encode()),
    ("no date", b"C <c@x>", b"", "没有日期".encode()),
    ("non-characters kept", b"C <c@x> 1741000000 +0800", b"", "非字符\ufffe\uffff\U0010fffe\ufdd0结束".encode()),
    ("unknown encoding", b"C <c@x> 1741000000 +0800", b"encoding x-unknown\n", "caf\xe9".encode("latin-1")),
    ("codec not for text", b"C <c@x> 1741000000 +0800", b"encoding base64\n", "编码".encode()),
    (
        "signature",
        b"C <c@x> 1741000000 +0800",
        b"gpgsig -----BEGIN PGP SIGNATURE-----\n \n committer X <x@y> 1 +0000\n -----END PGP SIGNATURE-----\n",
        "已签名".encode(),
    ),
]
WEIRD_NAMES = ["02-sch\tool.md", "01-pa\nrk.md"]  # record files renamed there and back
NOT_RECORDS = ["f" * 40, f":100644 100644 {'a' * 40} {'b' * 40} M"]  # files shaped like the log's tokens


def day(n: int) -> str:
    return (dt.datetime(2025, 3, 1, 9, tzinfo=dt.timezone(dt.timedelta(hours=8))) + dt.timedelta(days=n)).isoformat()


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("forgery") / "project")
    county = data()
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "发布2025年计划", when=day(0))
    step = 0
    where = {"park": PARK, "school": SCHOOL}  # each record's file, as renames move it

    def touch() -> None:
        county[where["park" if step % 2 else "school"]]["period"] = f"第{step}次调整"

    def commit(message: bytes, *extra: str, encoding: str | None = None) -> None:
        nonlocal step
        step += 1
        touch()  # every commit changes a published field of a record, so that each is one history entry
        if step == 1:
            county[SCHOOL]["status"] = "已终止"  # the change the forged message tried to hide
        write_content(project, county)
        (project / "message").write_bytes(message)
        config = ["-c", f"i18n.commitEncoding={encoding}"] if encoding else []
        git(project, "add", "-A", "content")
        git(project, *config, "commit", "-q", "--cleanup=verbatim", "--allow-empty-message", "-F", "message",
            *extra, when=day(step))  # fmt: skip

    for _, message in TEXT_MESSAGES:
        commit(message)
    commit("说明（GBK 编码）".encode("gbk"), encoding="GBK")
    # Renamed to names with a tab and a line break (and back), beside files shaped like log tokens.
    for name in NOT_RECORDS:
        (project / "content/projects" / name).write_text("not a record\n", encoding="utf-8")
    for key, name in zip(("school", "park"), WEIRD_NAMES, strict=True):
        new = f"content/projects/{name}"
        git(project, "mv", where[key], new)
        county[new] = county.pop(where[key])
        where[key] = new
    commit("改名".encode())
    for key, old in zip(("school", "park"), (SCHOOL, PARK), strict=True):
        git(project, "mv", where[key], old)
        county[old] = county.pop(where[key])
        where[key] = old
    commit("改回".encode())
    for _, committer, headers, message in RAW_OBJECTS:
        step += 1
        touch()
        write_content(project, county)
        git(project, "add", "-A", "content")
        tree = git(project, "write-tree").strip()
        parent = git(project, "rev-parse", "HEAD").strip()
        raw = (
            b"tree " + tree + b"\nparent " + parent + b"\nauthor A <a@x> 1741000000 +0800\ncommitter "
            + committer + b"\n" + headers + b"\n" + message + b"\n"
        )  # fmt: skip
        commit_id = git(project, "hash-object", "-t", "commit", "-w", "--literally", "--stdin", stdin=raw).strip()
        git(project, "update-ref", "HEAD", commit_id.decode())
    # A merge whose message carries a separator; the branch's change is what history shows.
    git(project, "checkout", "-q", "-b", "side")
    commit("分支上的修改".encode())
    git(project, "checkout", "-q", "main")
    git(project, "merge", "-q", "--no-ff", "-m", "合并\x1e分支", "side", when=day(step + 1))
    return project


def git_log(repo: Path) -> dict[str, dict]:
    """What git itself says, one question per commit: date, subject and the record files it changed."""
    out = {}
    for commit in git(repo, "rev-list", "HEAD", "--", "content/projects").decode().split():
        files = git(
            repo,
            "diff-tree",
            "-r",
            "-M",
            "--root",
            "--no-commit-id",
            "--name-only",
            "-z",
            commit,
            "--",
            "content/projects",
        )
        records = [f for f in files.decode("utf-8", "replace").split("\0") if f.endswith(".md")]
        if records:
            out[commit] = {
                "date": git(repo, "log", "-1", "--format=%cI", commit).decode().strip(),
                "subject": git(repo, "log", "-1", "--format=%s", commit).rstrip(b"\n").decode("utf-8", "replace"),
                "files": sorted(records),
            }
    return out


def test_files_changed_are_what_git_says(repo: Path):
    expected = git_log(repo)
    ours = {
        commit: sorted(f.new_path for f in files if f.new_path.endswith(".md") or f.old_path.endswith(".md"))
        for commit, files in Repository(repo / "content").log("projects")
    }
    assert {c: f for c, f in ours.items() if f} == {c: e["files"] for c, e in expected.items()}
    weird = {f for files in ours.values() for f in files}
    assert {f"content/projects/{name}" for name in WEIRD_NAMES} <= weird


def test_history_is_what_git_log_says(repo: Path):
    expected = git_log(repo)
    history = read_history(repo / "content")
    assert history.available
    by_commit = defaultdict(list)
    for change in history.changes:
        by_commit[change.commit].append(change)
    assert set(by_commit) == set(expected)  # nothing added, nothing hidden
    raw_names = {one_line(message.split(b"\0")[0].decode("utf-8", "replace")) for *_, message in RAW_OBJECTS}
    for commit, changes in by_commit.items():
        git_says = expected[commit]
        for change in changes:
            assert change.message == one_line(git_says["subject"]), commit
            assert UNSAFE.search(change.message) is None
            if change.message in raw_names and "T" not in git_says["date"]:
                continue  # a date git cannot show either ("%cI" left as written)
            if change.message in ("时区错误", "时间溢出", "没有日期"):
                continue  # git prints impossible offsets as "+999:99"; ours: the moment in UTC, or the epoch
            assert change.date == dt.datetime.fromisoformat(git_says["date"]), (commit, git_says)
    # Commits git cannot date are still listed, dated by their timestamp in UTC or the epoch.
    dated = {c.message: c.date for c in history.changes}
    assert dated["时区错误"] == dt.datetime(2025, 3, 3, 11, 6, 40, tzinfo=dt.UTC)
    assert dated["时间溢出"] == EPOCH == dated["没有日期"]
    assert dated["说明"] == dt.datetime.fromtimestamp(1741000000, dt.timezone(dt.timedelta(hours=8)))


def test_messages_are_shown_cleaned_never_obeyed(repo: Path):
    messages = [c.message for c in read_history(repo / "content").changes]
    assert one_line(FORGED) in messages  # the separators are removed, the words kept, in its own entry
    assert "调整运营方式" in messages
    assert "批准件文 与 隔离 \u200f标记" in messages  # overrides and isolates removed; a mark is text
    assert "非字符结束" in messages  # from the raw object that keeps them as UTF-8
    assert "说明（GBK 编码）" in messages
    assert "第一行 第二行" in messages
    assert "" in messages
    assert max(len(m) for m in messages) == 300  # the 50,000-character message, cut for display
    assert "café" not in messages and any(m.startswith("caf") for m in messages)  # unknown encoding: bytes shown


@pytest.fixture(scope="module")
def forged_site(repo: Path) -> Path:
    return build_ok(repo)


def test_forged_entry_is_not_on_the_site_and_the_real_change_is(forged_site: Path):
    school = main_text(forged_site / "projects/school/index.html")
    assert "2001年" not in school
    real = re.search(r"2025年3月2日 · 修改 · 修改说明：([^·]*?)项目状态：计划 → 已终止", school)
    assert real, school[-3000:]
    assert "\x1e" not in real.group(1) and "\x1f" not in real.group(1)
    changes = main_text(forged_site / "changes/index.html")
    assert "2001年" not in changes and "项目状态：计划 → 已终止" in changes


def test_every_output_is_free_of_unsafe_characters_and_the_feed_parses(forged_site: Path):
    feed = ET.parse(forged_site / "feed.xml").getroot()
    entries = feed.findall("{http://www.w3.org/2005/Atom}entry")
    assert entries and not any(
        "2001-01-01" in (e.findtext("{http://www.w3.org/2005/Atom}updated") or "") for e in entries
    )
    for path in forged_site.rglob("*"):
        if path.suffix in (".html", ".xml", ".json", ".csv"):
            text = path.read_text(encoding="utf-8")
            bad = UNSAFE.search(text)
            assert bad is None, (
                path.relative_to(forged_site),
                hex(ord(bad.group())),
                text[bad.start() - 40 : bad.start()],
            )
