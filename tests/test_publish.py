"""Atomic publish (issue 17): `make site` builds into .site-builds/ and swaps the `site` link in one rename,
under a lock. Killed at every phase (and in the middle of writing), failed, run twice at once, or replacing a
plain site/ folder, it always leaves a whole site: the previous one or the new one, never a mix, never none.

The publisher's mechanics are tested with a small stand-in build (50 files, slowly) so that every phase can be
hit many times; one test runs the real `mkdocs build` through it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from tiny_county import make_project

from gongshi.staff import publish as publisher

FILES = 50
FAKE_BUILD = """
import os, sys, time
out, tag, log, fail = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] == "fail"
with open(log, "a") as f:
    f.write(f"start {tag} {time.monotonic()}\\n")
os.makedirs(os.path.join(out, "sub"))
for i in range(FILES):
    with open(os.path.join(out, "sub" if i % 2 else "", f"page{i}.html"), "w") as f:
        f.write(tag * 100)
    time.sleep(0.005)
    if fail and i == FILES // 2:
        sys.exit(3)
with open(log, "a") as f:
    f.write(f"end {tag} {time.monotonic()}\\n")
""".replace("FILES", str(FILES))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "build.py").write_text(FAKE_BUILD, encoding="utf-8")
    return tmp_path


def command(folder: Path, tag: str, fail: bool = False) -> list[str]:
    return [sys.executable, str(folder / "build.py"), "{out}", tag, str(folder / "log"), "fail" if fail else "ok"]


def start(folder: Path, tag: str, pause: str | None = None, fail: bool = False) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "GONGSHI_PUBLISH_PAUSE"}
    if pause:
        env["GONGSHI_PUBLISH_PAUSE"] = pause
    return subprocess.Popen(
        [sys.executable, "-m", "gongshi.staff.publish", "--site", "site", "--", *command(folder, tag, fail)],
        cwd=folder,
        env=env,
        start_new_session=True,  # its own process group: a kill takes the build with it, as Ctrl-C or OOM would
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def publish(folder: Path, tag: str, fail: bool = False) -> subprocess.CompletedProcess:
    process = start(folder, tag, fail=fail)
    out, err = process.communicate(timeout=120)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def state(folder: Path, name: str = "site") -> str:
    """The tag of the whole site at folder/name, 'missing', or 'partial' when files are missing or mixed."""
    site = folder / name
    if not site.exists():
        return "missing"
    files = list(site.rglob("*.html"))
    tags = {p.read_text(encoding="utf-8")[:2] for p in files}
    return tags.pop() if len(files) == FILES and len(tags) == 1 else f"partial({len(files)} files, {sorted(tags)})"


def stopped(process: subprocess.Popen) -> bool:
    with open(f"/proc/{process.pid}/stat") as stat:
        return stat.read().rsplit(")", 1)[1].split()[0] == "T"


def kill(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def tidy(folder: Path) -> None:
    """After a complete publish: the link, one build and the lock; no leftovers."""
    store = folder / ".site-builds"
    assert (folder / "site").is_symlink()
    assert sorted(p.name for p in store.iterdir() if p.name != "lock") == [os.readlink(folder / "site").split("/")[-1]]
    assert not os.path.lexists(folder / ".site.link")


@pytest.mark.parametrize("phase", publisher.PHASES)
def test_killed_at_every_phase_the_site_is_whole(folder: Path, phase: str):
    assert publish(folder, "v1").returncode == 0
    process = start(folder, "v2", pause=phase)
    deadline = time.monotonic() + 60
    while not stopped(process):
        assert process.poll() is None and time.monotonic() < deadline, process.communicate()
        time.sleep(0.01)
    kill(process)
    swapped = publisher.PHASES.index(phase) >= publisher.PHASES.index("swapped")
    assert state(folder) == ("v2" if swapped else "v1")
    again = publish(folder, "v3")  # the next build cleans up after the killed one
    assert again.returncode == 0, again.stderr
    assert state(folder) == "v3"
    tidy(folder)


@pytest.mark.parametrize("after_files", [1, FILES // 2, FILES - 1])
def test_killed_while_writing_the_site_is_whole(folder: Path, after_files: int):
    assert publish(folder, "v1").returncode == 0
    process = start(folder, "v2")
    store = folder / ".site-builds"
    deadline = time.monotonic() + 60
    while True:  # wait until the new build has written some of its files, then kill it and its build
        builds = [p for p in store.glob("build-*") if (folder / "site").resolve() != p.resolve()]
        if builds and sum(1 for _ in builds[0].rglob("*.html")) >= after_files:
            break
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.002)
    kill(process)
    assert state(folder) == "v1"
    assert publish(folder, "v3").returncode == 0 and state(folder) == "v3"
    tidy(folder)


def test_an_orphaned_build_keeps_the_lock_until_it_ends(folder: Path):
    """Killing only the publisher leaves its build running; the build holds the lock it inherited, so the next
    publish waits for it instead of cleaning up under its feet."""
    assert publish(folder, "v1").returncode == 0
    process = start(folder, "v2")
    while not (folder / "log").read_text().count("start v2"):
        time.sleep(0.002)
    os.kill(process.pid, signal.SIGKILL)  # the publisher only; its build lives on
    process.wait(timeout=30)
    assert publish(folder, "v3").returncode == 0
    events = [line.split() for line in (folder / "log").read_text().splitlines()]
    order = [f"{kind} {tag}" for kind, tag, _ in events]
    assert order.index("end v2") < order.index("start v3"), order
    assert state(folder) == "v3"
    tidy(folder)


def test_a_failed_build_leaves_the_previous_site(folder: Path):
    assert publish(folder, "v1").returncode == 0
    failed = publish(folder, "v2", fail=True)
    assert failed.returncode == 1 and "原来的网站未改动" in failed.stderr
    assert state(folder) == "v1"
    tidy(folder)


def test_a_read_only_old_site_is_replaced_and_removed(folder: Path):
    assert publish(folder, "v1").returncode == 0
    old = (folder / "site").resolve()
    for path in [*old.rglob("*"), old]:
        path.chmod(0o444 if path.is_file() else 0o555)
    assert publish(folder, "v2").returncode == 0
    assert state(folder) == "v2" and not old.exists()
    tidy(folder)


def test_two_builds_at_once_never_interleave_and_readers_always_see_a_whole_site(folder: Path):
    assert publish(folder, "v1").returncode == 0
    seen: set[str] = set()
    samples: list[str] = []
    done = threading.Event()

    def reader() -> None:
        """What `site` names at one instant: resolve the link once, read that folder, and keep the sample only
        if the link did not move meanwhile (a reader cannot read 50 files in one instant)."""
        while not done.is_set():
            before = os.path.realpath(folder / "site")
            try:
                sample = state(Path(before).parent, Path(before).name)
            except OSError as exc:  # a file vanished: the old build being removed after a swap
                sample = f"error {exc}"
            if os.path.realpath(folder / "site") == before:
                seen.add(sample)
                samples.append(sample)

    watcher = threading.Thread(target=reader)
    watcher.start()
    try:
        first, second = start(folder, "v2"), start(folder, "v3")
        results = [(*p.communicate(timeout=120), p.returncode) for p in (first, second)]
    finally:
        done.set()
        watcher.join()
    assert [code for *_, code in results] == [0, 0], results
    assert any("另一次构建正在进行" in err for _, err, _ in results)  # the second one waited, and said so
    assert seen <= {"v1", "v2", "v3"}, seen  # never missing, never partial, while both ran
    assert len(samples) >= 20 and len(seen) >= 2, (len(samples), seen)
    events = [line.split() for line in (folder / "log").read_text().splitlines()]
    runs = {tag: [float(t) for kind, tag_, t in events if tag_ == tag] for _, tag, _ in events}
    (a_start, a_end), (b_start, b_end) = runs["v2"], runs["v3"]
    assert a_end <= b_start or b_end <= a_start, runs  # one build after the other
    assert state(folder) in ("v2", "v3")
    tidy(folder)


@pytest.mark.parametrize("exchange", [True, False])
def test_a_plain_site_folder_becomes_the_link_without_a_gap(folder: Path, exchange: bool, monkeypatch):
    """From before: site/ is a plain folder. With RENAME_EXCHANGE one step swaps it; without it, two renames,
    and a build killed between them is repaired by the next one (even if that build fails)."""
    (folder / "site" / "sub").mkdir(parents=True)
    for i in range(FILES):
        (folder / "site" / ("sub" if i % 2 else "") / f"page{i}.html").write_text("v0" * 100, encoding="utf-8")
    monkeypatch.chdir(folder)
    if exchange:
        assert publisher.publish(Path("site"), command(folder, "v1")) and state(folder) == "v1"
        tidy(folder)
        return
    monkeypatch.setattr(publisher, "_exchange", lambda a, b: False)
    real_replace = os.replace

    def killed(*args):
        raise KeyboardInterrupt  # the process dies between the two renames

    monkeypatch.setattr(publisher.os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        publisher.publish(Path("site"), command(folder, "v1"))
    monkeypatch.setattr(publisher.os, "replace", real_replace)
    assert state(folder) == "missing"
    kept = folder / ".site-builds" / publisher.LEGACY
    assert len(list(kept.rglob("*.html"))) == FILES  # the previous site is whole, beside
    with pytest.raises(publisher.PublishError):
        publisher.publish(Path("site"), command(folder, "v2", fail=True))
    assert state(folder) == "v0"  # repaired first, and the failed build changed nothing
    publisher.publish(Path("site"), command(folder, "v3"))
    assert state(folder) == "v3"
    tidy(folder)


def test_make_site_publishes_a_real_build_and_keeps_it_when_content_breaks(tmp_path: Path):
    makefile = (Path(__file__).resolve().parent.parent / "Makefile").read_text(encoding="utf-8")
    assert "-m gongshi.staff.publish --site site" in makefile
    project = make_project(tmp_path / "county")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("SOURCE_DATE_EPOCH", None)
    run = [sys.executable, "-m", "gongshi.staff.publish", "--site", "site"]
    first = subprocess.run(run, cwd=project, capture_output=True, text=True, env=env, timeout=600)
    assert first.returncode == 0, first.stderr[-2000:]
    index = (project / "site/index.html").read_bytes()
    assert (project / "site").is_symlink() and b"</html>" in index
    record = project / "content/projects/01-park.md"
    record.write_text(record.read_text(encoding="utf-8").replace("investment: 100", "investment: 1O0"), "utf-8")
    broken = subprocess.run(run, cwd=project, capture_output=True, text=True, env=env, timeout=600)
    assert broken.returncode == 1 and "content/projects/01-park.md" in broken.stderr
    assert (project / "site/index.html").read_bytes() == index
    tidy(project)
