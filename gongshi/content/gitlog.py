"""Read a git repository's history in forms that no commit can steer.

Commit messages, author names and file names are data: any byte but NUL may appear in them. So nothing here
splits text on a separator that data may contain. Commits and their changed files come from
`git log -z --format=%H --raw` (hexadecimal ids, then NUL-terminated raw diff records whose paths are counted,
not searched for); every commit's date, parents and message and every file version come from the objects
themselves through `git cat-file --batch` (a header with the object's size, then exactly that many bytes).
A message is only ever shown, after `gongshi.text.one_line` has cleaned it.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from gongshi.text import one_line

_HEX_ID = re.compile(rb"[0-9a-f]{40}(?:[0-9a-f]{24})?")  # SHA-1 or SHA-256
_REGULAR_MODES = {b"100644", b"100755"}  # a symbolic link (120000) or submodule (160000) is no record
_GIT_SPACE = " \t\n\r"  # what git's own isspace() calls blank, for the subject line
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)  # what git shows for a date it cannot read


@dataclass(frozen=True)
class Commit:
    """What the site shows of a commit: its id, committer date and one clean subject line."""

    id: str
    parents: tuple[str, ...]
    date: dt.datetime
    subject: str


@dataclass(frozen=True)
class FileChange:
    """One file a commit changed: its status letter, paths and blob ids (None where there is no regular file)."""

    status: str  # A, M, D, R, C or T
    old_path: str
    new_path: str
    old_blob: str | None
    new_blob: str | None


class Repository:
    """The git repository around a folder, read through the git command."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def _run(self, *args: str, stdin: bytes | None = None) -> bytes | None:
        command = ["git", "-c", "core.quotePath=false", "-c", "log.showSignature=false", "-c", "color.ui=false"]
        try:
            result = subprocess.run([*command, *args], cwd=self.folder, input=stdin, capture_output=True, timeout=600)
        except (OSError, subprocess.SubprocessError):
            return None
        return result.stdout if result.returncode == 0 else None

    def is_repository(self) -> bool:
        return (self._run("rev-parse", "--is-inside-work-tree") or b"").strip() == b"true"

    def is_shallow(self) -> bool:
        return (self._run("rev-parse", "--is-shallow-repository") or b"").strip() == b"true"

    def top(self) -> Path | None:
        """The repository's top folder."""
        out = self._run("rev-parse", "--show-toplevel")
        return Path(out.decode("utf-8", "surrogateescape").strip()) if out else None

    def last_commit(self, pathspec: str = ".", since: str | None = None) -> str | None:
        """The id of the newest commit that touched `pathspec` (relative to the folder), or None; with `since`,
        only commits after that one."""
        out = self._run("log", "-1", "-z", "--format=%H", *_after(since), "--", pathspec) or b""
        ids = [t.strip() for t in out.split(b"\0") if _HEX_ID.fullmatch(t.strip())]
        return ids[0].decode("ascii") if ids else None

    def log(self, pathspec: str, since: str | None = None) -> list[tuple[str, list[FileChange]]]:
        """Commits that changed `pathspec`, newest first (git log's order), each with its changed files; with
        `since`, only commits after that one."""
        out = self._run("log", "-z", "--format=%H", "--raw", "-M", "--no-abbrev", *_after(since), "--", pathspec)
        return parse_raw_log(out or b"")

    def objects(self, ids: list[str]) -> dict[str, tuple[str, bytes]]:
        """(type, content) of each object id that exists, in one `git cat-file --batch` run."""
        unique = [i for i in dict.fromkeys(ids) if _HEX_ID.fullmatch(i.encode("ascii", "replace"))]
        if not unique:
            return {}
        out = self._run("cat-file", "--batch", stdin="".join(f"{i}\n" for i in unique).encode("ascii"))
        return parse_batch(out or b"")

    def sizes(self, ids: list[str]) -> dict[str, int]:
        """The size in bytes of each object id that exists (`git cat-file --batch-check`)."""
        unique = [i for i in dict.fromkeys(ids) if _HEX_ID.fullmatch(i.encode("ascii", "replace"))]
        if not unique:
            return {}
        out = self._run("cat-file", "--batch-check", stdin="".join(f"{i}\n" for i in unique).encode("ascii"))
        sizes = {}
        for line in (out or b"").split(b"\n"):
            parts = line.split(b" ")
            if len(parts) == 3 and parts[2].isdigit():
                sizes[parts[0].decode("ascii")] = int(parts[2])
        return sizes

    def commits(self, ids: list[str]) -> dict[str, Commit]:
        """Each commit read from its object."""
        return {oid: parse_commit(oid, raw) for oid, (kind, raw) in self.objects(ids).items() if kind == "commit"}


def _after(since: str | None) -> list[str]:
    """A revision range for the commits after `since` (a commit id), or none."""
    if since is None:
        return []
    if not _HEX_ID.fullmatch(since.encode("ascii", "replace")):
        raise ValueError(f"not a commit id: {since!r}")
    return [f"{since}..HEAD"]


def parse_raw_log(out: bytes) -> list[tuple[str, list[FileChange]]]:
    """`git log -z --format=%H --raw` output: a commit id, then raw records `:modes ids status` each followed by
    its one path (two for a rename or copy). Paths are taken by count, so a file named like an id or a record
    is read as a path."""
    tokens = out.split(b"\0")
    commits: list[tuple[str, list[FileChange]]] = []
    i = 0
    while i < len(tokens):
        token = tokens[i].lstrip(b"\n")
        i += 1
        if token.startswith(b":") and commits:
            fields = token[1:].split(b" ")
            if len(fields) != 5 or not fields[4]:
                continue
            old_mode, new_mode, old_id, new_id, status = fields
            count = 2 if status[:1] in (b"R", b"C") else 1
            paths = [p.decode("utf-8", "replace") for p in tokens[i : i + count]]
            i += count
            if len(paths) < count:
                break
            commits[-1][1].append(
                FileChange(
                    status[:1].decode("ascii", "replace"),
                    paths[0],
                    paths[-1],
                    _blob(old_mode, old_id),
                    _blob(new_mode, new_id),
                )
            )
        elif _HEX_ID.fullmatch(token):
            commits.append((token.decode("ascii"), []))
    return commits


def _blob(mode: bytes, object_id: bytes) -> str | None:
    if mode not in _REGULAR_MODES or not _HEX_ID.fullmatch(object_id) or not object_id.strip(b"0"):
        return None
    return object_id.decode("ascii")


def parse_batch(out: bytes) -> dict[str, tuple[str, bytes]]:
    """`git cat-file --batch` output: `<id> <type> <size>\\n`, exactly size bytes, `\\n`; `<id> missing` lines."""
    objects: dict[str, tuple[str, bytes]] = {}
    pos = 0
    while pos < len(out):
        end = out.find(b"\n", pos)
        if end < 0:
            break
        header = out[pos:end].split(b" ")
        pos = end + 1
        if len(header) != 3 or not header[2].isdigit():
            continue  # "<id> missing" or "<id> ambiguous": nothing follows
        size = int(header[2])
        objects[header[0].decode("ascii", "replace")] = (header[1].decode("ascii", "replace"), out[pos : pos + size])
        pos += size + 1
    return objects


def parse_commit(object_id: str, raw: bytes) -> Commit:
    """A commit object: headers, a blank line, the message. Continuation lines (a signature) are skipped."""
    head, _, message = raw.partition(b"\n\n")
    parents: list[str] = []
    headers: dict[bytes, bytes] = {}
    for line in head.split(b"\n"):
        if line.startswith(b" "):
            continue
        key, _, value = line.partition(b" ")
        if key == b"parent":
            parents.append(value.decode("ascii", "replace"))
        else:
            headers.setdefault(key, value)
    encoding = headers.get(b"encoding", b"utf-8").decode("ascii", "replace")
    return Commit(object_id, tuple(parents), ident_date(headers.get(b"committer", b"")), subject(message, encoding))


def ident_date(ident: bytes) -> dt.datetime:
    """The date of `Name <email> 1700000000 +0800`, in its own offset; read after the last '>' as git does.
    A time that cannot be read is the epoch (as `git log` shows a time it cannot read)."""
    fields = ident.rpartition(b">")[2].split()
    try:
        moment = dt.datetime.fromtimestamp(int(fields[0]), dt.UTC)
    except (IndexError, ValueError, OverflowError, OSError):
        return EPOCH
    try:  # the committer's own offset when it is one; an impossible offset leaves the moment in UTC
        zone = fields[1].decode("ascii")
        if not re.fullmatch(r"[+-]\d{4}", zone):
            return moment
        offset = dt.timedelta(hours=int(zone[1:3]), minutes=int(zone[3:5]))
        return moment.astimezone(dt.timezone(-offset if zone[0] == "-" else offset))
    except (IndexError, ValueError, OverflowError, UnicodeDecodeError):
        return moment


def subject(message: bytes, encoding: str = "utf-8") -> str:
    """The subject as `git log --format=%s` gives it — the first paragraph, its lines joined by a space —
    decoded from the commit's encoding and cleaned to one line of publishable text."""
    message = message.split(b"\0", 1)[0]  # git's own display stops at a NUL too
    try:
        text = message.decode(encoding, "replace")
    except (LookupError, ValueError, TypeError):  # an unknown encoding, or a codec that is not for text
        text = message.decode("utf-8", "replace")
    lines = text.split("\n")
    start = next((i for i, line in enumerate(lines) if line.strip(_GIT_SPACE)), len(lines))
    paragraph = []
    for line in lines[start:]:
        if not line.strip(_GIT_SPACE):
            break
        paragraph.append(line.rstrip(_GIT_SPACE))
    return one_line(" ".join(paragraph))
