"""`make site`: build into a fresh folder and publish it with one atomic rename, one build at a time.

`site` is a symbolic link to a complete build in `.site-builds/`. A build is written into a new folder there;
only when it has succeeded does a new link replace `site` (rename(2) replaces a link atomically), and only then
are older builds removed. So at every instant `site` is either the previous site or the new one, whole:
a build that fails, is killed, or runs out of disk leaves the previous site as it was. An exclusive lock
(`.site-builds/lock`, flock) makes a second build wait for the first; the build command inherits the lock,
so even an orphaned build keeps it until it ends. Leftovers of a killed build are removed by the next one.

A `site/` that is still a plain folder (from before) is swapped for the link in one step with renameat2's
RENAME_EXCHANGE where the system has it (Linux); elsewhere by two renames, and a build killed between them
is repaired by the next.

Usage: python -m gongshi.staff.publish [--site site] [-- BUILD COMMAND with {out}]
(default: mkdocs build --strict --site-dir {out}).
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import datetime as dt
import fcntl
import os
import shutil
import signal
import stat
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from gongshi.errors import no_room_message

LOCK = "lock"
LEGACY = "previous"  # where a plain site/ folder is kept while it becomes a link
DEFAULT_BUILD = (sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", "{out}")
PHASES = ("locked", "cleaned", "building", "built", "linked", "swapped", "pruned")
"""The steps of a publish, in order. For tests: GONGSHI_PUBLISH_PAUSE=<phase> stops the process (SIGSTOP)
when it reaches that phase, so that a test can kill it exactly there."""


class PublishError(Exception):
    """The build failed or the site could not be swapped; the previous site is untouched."""


def store_of(site: Path) -> Path:
    """The folder that holds the builds, beside the site: .site-builds/ for site/."""
    return site.parent / f".{site.name}-builds"


def _phase(name: str) -> None:
    if os.environ.get("GONGSHI_PUBLISH_PAUSE") == name:
        os.kill(os.getpid(), signal.SIGSTOP)


@contextlib.contextmanager
def locked(store: Path) -> Iterator[int]:
    """Hold the build lock: wait (saying so) while another build holds it."""
    store.mkdir(parents=True, exist_ok=True)
    fd = os.open(store / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print("另一次构建正在进行，等它结束… / another build is running; waiting…", file=sys.stderr, flush=True)
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield fd
    finally:
        os.close(fd)


def publish(site: Path, build: Sequence[str] = DEFAULT_BUILD, cwd: Path | None = None) -> Path:
    """Build with `build` ({out} replaced by a new folder) and make `site` point to it; returns the folder."""
    site = Path(os.path.abspath(site))
    store = store_of(site)
    with locked(store) as fd:
        _phase("locked")
        _repair(site, store)
        _clean(site, store)
        _phase("cleaned")
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
        out = store / f"build-{stamp}-{os.getpid()}"
        command = [part.replace("{out}", str(out)) for part in build]
        _phase("building")
        code = subprocess.call(command, cwd=cwd, pass_fds=(fd,))
        if code != 0 or not out.is_dir():
            _remove(out)
            raise PublishError(
                f"构建失败（退出码 {code}），原来的网站未改动 / build failed ({code}); the site is unchanged"
            )
        _phase("built")
        _swap(site, store, out)
        _phase("swapped")
        _clean(site, store)
        _phase("pruned")
    return out


def _swap(site: Path, store: Path, out: Path) -> None:
    """Point `site` at `out` in one rename (a plain site/ folder: one exchange, or two renames)."""
    link = site.parent / f".{site.name}.link"
    with contextlib.suppress(FileNotFoundError):
        link.unlink()
    os.symlink(os.path.relpath(out, site.parent), link)
    _phase("linked")
    if _is_plain(site):
        kept = store / LEGACY
        if _exchange(link, site):  # site is now the link; `link` names the old folder
            os.rename(link, kept)
        else:
            os.rename(site, kept)  # killed here, _repair restores it next time
            os.replace(link, site)
    else:
        os.replace(link, site)
    _sync(site.parent)


def _is_plain(site: Path) -> bool:
    try:
        return not stat.S_ISLNK(os.lstat(site).st_mode)
    except FileNotFoundError:
        return False


def _repair(site: Path, store: Path) -> None:
    """A build killed between the two renames of a plain site/ left it in .site-builds/previous: put it back."""
    kept = store / LEGACY
    if not os.path.lexists(site) and kept.is_dir():
        os.symlink(os.path.relpath(kept, site.parent), site)


def _clean(site: Path, store: Path) -> None:
    """Remove every build but the one `site` points to, and a link left by a killed build."""
    current = os.path.realpath(site) if os.path.islink(site) else None
    for entry in store.iterdir():
        if entry.name != LOCK and os.path.realpath(entry) != current:
            _remove(entry)
    _remove(site.parent / f".{site.name}.link")  # a link, or the old folder if killed right after an exchange


def _remove(path: Path) -> None:
    """Delete a build folder, read-only parts included; a leftover is only reported."""

    def writable(function, name, _):
        os.chmod(os.path.dirname(name), 0o700)
        with contextlib.suppress(FileNotFoundError):
            os.chmod(name, 0o700)
        function(name)

    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, onerror=writable)
        elif os.path.lexists(path):
            path.unlink()
    except OSError as exc:
        print(f"注意：旧的构建 {path.name} 未能删除 / could not remove an old build: {exc}", file=sys.stderr)


def _sync(folder: Path) -> None:
    """Make the rename durable (a power cut right after keeps the new link)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two names atomically (Linux renameat2 RENAME_EXCHANGE); False where the system cannot."""
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_fdcwd = -100
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE) == 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gongshi.staff.publish", description=__doc__.split("\n")[0])
    parser.add_argument("--site", default="site", help="the published folder (a link to the latest build)")
    parser.add_argument("build", nargs="*", help="build command, {out} standing for the new folder")
    args = parser.parse_args(argv)
    site = Path(args.site)
    try:
        publish(site, args.build or DEFAULT_BUILD)
    except PublishError as exc:
        print(exc, file=sys.stderr)
        return 1
    except OSError as exc:  # the link or the lock could not be written: the previous site is still whole
        print(
            no_room_message(exc) or f"无法发布网站，原来的网站未改动 / cannot publish; the site is unchanged: {exc}",
            file=sys.stderr,
        )
        return 1
    print(f"网站已生成 / site built: {site}/index.html")
    return 0


if __name__ == "__main__":
    sys.exit(main())
