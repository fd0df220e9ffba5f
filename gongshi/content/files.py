"""Which files the content may name: regular files inside the repository, reached without symbolic links.

A record that is a symbolic link to /etc/passwd, or to a file outside the repository, would publish what it
points at (or, in an error, its first line and its absolute path). A FIFO or a device would hang the build.
Every content file and photo passes `file_problem` before it is opened; the error names the path as written
in the repository — the link itself, never its target.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from gongshi.errors import ContentError
from gongshi.text import find_unsafe


def file_problem(path: Path, root: Path) -> tuple[str, str, str] | None:
    """Why `path` may not be read as content — (Chinese, English, the path to name) — or None.
    None means: a regular file, inside root, no part of its path under root a symbolic link."""
    absolute, top = Path(os.path.abspath(path)), Path(os.path.abspath(root))
    try:
        parts = absolute.relative_to(top).parts
    except ValueError:
        return "文件不在仓库中", "file is outside the repository", Path(path).name
    if not parts:
        return "不是普通文件", "not a regular file", "."
    current, mode = top, 0
    for part in parts:
        current = current / part
        shown = current.relative_to(top).as_posix()
        if find_unsafe(part) or any(c in part for c in "\t\n\r"):
            return "文件名含有不可见的控制字符", "file name contains a control character", shown
        try:
            mode = os.lstat(current).st_mode
        except FileNotFoundError:
            return "文件不存在", "file is missing", shown
        except OSError:
            return "文件无法读取", "file cannot be read", shown
        if stat.S_ISLNK(mode):
            return "不能使用符号链接（快捷方式）", "symbolic links are not allowed", shown
        if current != absolute and not stat.S_ISDIR(mode):
            return "路径中有一部分不是文件夹", "a part of the path is not a folder", shown
    if not stat.S_ISREG(mode):
        return "不是普通文件", "not a regular file", shown
    return None


def file_error(path: Path, root: Path, field: str = "(文件)", file: str | None = None, line: int | None = None):
    """A ContentError for a path that fails `file_problem`, or None. `file`/`line`/`field` say where the path
    is named (a photo in a record); by default the error is about the file itself."""
    problem = file_problem(path, root)
    if problem is None:
        return None
    zh, en, shown = problem
    if zh == "文件不存在":
        return ContentError(file or shown, line, field, zh, en, expected=shown)
    return ContentError(
        file or shown,
        line,
        field,
        zh,
        en,
        found=shown,
        expected="仓库中的普通文件（不是符号链接、快捷方式或文件夹）",
        hint="把文件本身复制到这里，不要用链接。" if "链接" in zh else None,
    )


def linked_folders(folder: Path) -> list[Path]:
    """Symbolic links to folders under `folder`: searching for records does not follow them, so each is
    reported rather than silently skipped."""
    found = []
    for current, dirs, _ in os.walk(folder):
        found.extend(Path(current) / name for name in dirs if os.path.islink(os.path.join(current, name)))
    return sorted(found)
