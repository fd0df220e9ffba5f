"""Content errors: what went wrong, where, and what to write instead."""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from pathlib import Path

from gongshi.text import visible


@dataclass(frozen=True, order=True)
class ContentError:
    """One problem in one content file, told in Chinese with English alongside."""

    file: str
    line: int | None
    field: str
    message_zh: str
    message_en: str
    found: str | None = None
    expected: str | None = None
    hint: str | None = None

    def format(self) -> str:
        """Render the error for a terminal or a build log; control characters from content are shown as
        ⟨U+XXXX⟩, never sent to the terminal."""
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        parts = [f"{where}: 字段 field `{self.field}`: {self.message_zh} / {self.message_en}"]
        if self.found is not None:
            parts.append(f"    发现 found: {self.found}")
        if self.expected is not None:
            parts.append(f"    应为 expected: {self.expected}")
        if self.hint is not None:
            parts.append(f"    建议 hint: {self.hint}")
        return "\n".join(visible(part) for part in parts)

    def format_github(self) -> str:
        """Render the error as a GitHub Actions annotation."""
        return github_annotation(self.file, self.line, self.field, self.format())


def github_annotation(file: str, line: int | None, title: str, message: str) -> str:
    """A GitHub Actions error annotation on a file (and line) of the repository."""
    message = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    at = f",line={line}" if line is not None else ""
    return f"::error file={_property(file)}{at},title={_property(title)}::{message}"


def _property(value: str) -> str:
    """A GitHub annotation property: a file or field name cannot end the property or start another."""
    escaped = visible(value).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return escaped.replace(":", "%3A").replace(",", "%2C")


class ContentErrors(Exception):
    """All the problems found in the content, raised together."""

    def __init__(self, errors: list[ContentError], held: tuple[str, ...] = ()):
        self.errors = sorted(set(errors), key=_sort_key)
        self.held = tuple(held)  # plan files whose totals are checked only once the errors above are fixed
        super().__init__(self.report())

    def report(self) -> str:
        """All errors, one block each, then the checks they hold back (said once), with a count at the end."""
        blocks = [e.format() for e in self.errors]
        if self.held:
            files = "、".join(self.held)
            blocks.append(
                f"{files} 的总额、类别金额和个数、资金来源合计这次没有核对：先改正上面的错误，再运行检查。"
                f" / the totals of {', '.join(self.held)} are not checked yet: fix the errors above first."
            )
        blocks.append(f"共 {len(self.errors)} 处错误，网站未生成。 / {len(self.errors)} error(s); no site was built.")
        return "\n".join(blocks)


def _sort_key(error: ContentError) -> tuple[str, int, str]:
    return (error.file, error.line or 0, error.field)


def display_path(path: Path, root: Path) -> str:
    """Path as staff see it in the repository: relative to the project root, with forward slashes.
    Computed from the names alone, so that a symbolic link is shown as itself, never as its target."""
    try:
        return Path(os.path.abspath(path)).relative_to(os.path.abspath(root)).as_posix()
    except ValueError:
        return Path(path).as_posix()


# A write that found no room: the disk is full (ENOSPC), the user's quota is used up (EDQUOT), or the file may
# not grow (EFBIG: a file size limit).
NO_ROOM = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


def no_room_message(error: BaseException) -> str | None:
    """The message for a build or publish stopped by a full disk (None for any other error): what happened, that
    the site already published is kept, and what to do — instead of a traceback."""
    if not isinstance(error, OSError) or error.errno not in NO_ROOM:
        return None
    return (
        "磁盘空间不足，网站未能写完：已发布的网站保持原样。请清理磁盘（例如删除不用的文件）后重新运行 make site。"
        f" / no room left on the disk ({os.strerror(error.errno)}): the published site is kept as it was. "
        "Free some space and run `make site` again."
    )
