"""Change history (变更记录) of the records, read from git: which published fields changed, from what to what.

One `git log` pass lists the commits and files; one `git cat-file --batch` reads every old and new version;
each version is parsed with the same reader and model as the build, and the parsed records are compared."""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic import ValidationError

from gongshi.content.fields import FieldRow, Surface, field_rows, rows_by_path
from gongshi.content.lineage import other_site_boundary
from gongshi.content.model import RECORD_FIELDS, Project
from gongshi.content.read import SourceError, parse_yaml, split_front_matter
from gongshi.content.wording import has_wording, wording
from gongshi.money import plain, wan_text

NO_GIT = "本站构建时没有可用的 git 历史记录（例如从压缩包构建），因此无法显示变更记录。"


@dataclass(frozen=True)
class FieldChange:
    """One published field's change: a value replaced, or items added to / removed from a list."""

    field: str
    before: str | None = None
    after: str | None = None
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


@dataclass(frozen=True)
class RecordChange:
    """What one commit changed in one record."""

    commit: str
    date: dt.datetime
    message: str
    record_id: str
    title: str
    kind: str  # 新增, 修改, 删除
    fields: tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class History:
    """Every record change found in git, newest first; `available` is false without git history."""

    available: bool
    changes: tuple[RecordChange, ...] = ()
    last_commit: dt.datetime | None = None
    shallow: bool = False

    @cached_property
    def _by_record(self) -> dict[str, list[RecordChange]]:
        out: dict[str, list[RecordChange]] = {}
        for change in self.changes:
            out.setdefault(change.record_id, []).append(change)
        return out

    def of(self, record_id: str) -> list[RecordChange]:
        return self._by_record.get(record_id, [])


NO_HISTORY = History(available=False)


def read_history(content_dir: Path) -> History:
    """The history of content_dir/projects in the git repository around it, or NO_HISTORY."""
    content_dir = Path(content_dir).resolve()
    top = _git(content_dir, "rev-parse", "--show-toplevel")
    if top is None:
        return NO_HISTORY
    root = Path(top.strip())
    content_rel = content_dir.relative_to(root.resolve()).as_posix() or "."
    boundary = other_site_boundary(root, content_rel)  # commits of another county's site are not this site's
    since = [f"{boundary}..HEAD"] if boundary else []
    last = _git(root, "log", "-1", "--format=%cI", *since, "--", content_rel)
    if not last or not last.strip():
        return NO_HISTORY
    projects_rel = f"{content_rel}/projects" if content_rel != "." else "projects"
    log = (
        _git(
            root,
            "log",
            "--format=%x1e%H%x1f%P%x1f%cI%x1f%s",
            "--name-status",
            "-M",
            "--no-color",
            *since,
            "--",
            projects_rel,
        )
        or ""
    )
    shallow = (_git(root, "rev-parse", "--is-shallow-repository") or "").strip() == "true"
    entries = _parse_log(log)
    texts = _read_blobs(root, [spec for e in entries for spec in (e.before_spec, e.after_spec) if spec])
    changes = _changes(entries, texts)
    return History(
        available=True, changes=tuple(changes), last_commit=dt.datetime.fromisoformat(last.strip()), shallow=shallow
    )


def _git(cwd: Path, *args: str, stdin: bytes | None = None) -> str | None:
    try:
        result = subprocess.run(
            ["git", "-c", "core.quotePath=false", *args], cwd=cwd, capture_output=True, input=stdin, timeout=600
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.decode("utf-8", "replace") if result.returncode == 0 else None


@dataclass
class _Entry:
    commit: str
    date: dt.datetime
    message: str
    before_spec: str | None
    after_spec: str | None


def _parse_log(log: str) -> list[_Entry]:
    """Commits newest first, each with the record files it touched (Markdown only)."""
    entries = []
    for block in log.split("\x1e")[1:]:
        header, _, files = block.partition("\n")
        commit, parents, date, message = header.split("\x1f", 3)
        parent = parents.split()[0] if parents.split() else None
        for line in sorted(filter(None, files.split("\n"))):
            status, *paths = line.split("\t")
            if not paths[-1].endswith(".md") and not paths[0].endswith(".md"):
                continue
            old, new = paths[0], paths[-1]
            kind = status[0]
            before = f"{parent}:{old}" if parent and kind in "MRD" else None
            after = f"{commit}:{new}" if kind in "AMRC" else None
            entries.append(_Entry(commit, dt.datetime.fromisoformat(date), message.strip(), before, after))
    return entries


def _read_blobs(root: Path, specs: list[str]) -> dict[str, tuple[str, str] | None]:
    """Every `rev:path` in one `git cat-file --batch` run: (object id, text), or None for what is missing."""
    unique = list(dict.fromkeys(specs))
    if not unique:
        return {}
    try:
        result = subprocess.run(
            ["git", "cat-file", "--batch"],
            cwd=root,
            capture_output=True,
            timeout=600,
            input="".join(f"{s}\n" for s in unique).encode("utf-8"),
        )
    except (OSError, subprocess.SubprocessError):
        return {}
    out: dict[str, tuple[str, str] | None] = {}
    data, pos = result.stdout, 0
    for spec in unique:
        end = data.index(b"\n", pos)
        header = data[pos:end].decode("utf-8", "replace")
        pos = end + 1
        if header.endswith(" missing") or header.endswith(" ambiguous"):
            out[spec] = None
            continue
        object_id, _, size = header.split(" ")
        raw = data[pos : pos + int(size)]
        pos += int(size) + 1
        out[spec] = (object_id, raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8", "replace").replace("\r\n", "\n"))
    return out


def _changes(entries: list[_Entry], blobs: dict[str, tuple[str, str] | None]) -> list[RecordChange]:
    parsed: dict[str, dict[str, Any] | None] = {}  # by object id: a version is parsed once

    def record(spec: str | None) -> dict[str, Any] | None:
        blob = blobs.get(spec) if spec else None
        if blob is None:
            return None
        object_id, text = blob
        if object_id not in parsed:
            parsed[object_id] = parse_record(text, PurePosixPath(spec.split(":", 1)[1]).name)
        return parsed[object_id]

    changes = []
    renamed: dict[str, str] = {}
    for entry in reversed(entries):  # oldest first, so that id changes can be followed forward
        before, after = record(entry.before_spec), record(entry.after_spec)
        if before is None and after is None:
            continue
        fields = tuple(compare(before or {}, after or {})) if before and after else ()
        if before and after and not fields:
            continue
        current = after or before
        assert current is not None
        if before and after and before.get("id") != after.get("id"):
            renamed[str(before.get("id"))] = str(after.get("id"))
        kind = "修改" if before and after else ("新增" if after else "删除")
        changes.append(
            RecordChange(
                entry.commit,
                entry.date,
                entry.message,
                str(current.get("id", "")),
                str(current.get("title", "")),
                kind,
                fields,
            )
        )
    final = [_follow(c, renamed) for c in changes]
    return list(reversed(final))


def _follow(change: RecordChange, renamed: dict[str, str]) -> RecordChange:
    record_id, seen = change.record_id, set()
    while record_id in renamed and record_id not in seen:
        seen.add(record_id)
        record_id = renamed[record_id]
    return (
        change
        if record_id == change.record_id
        else RecordChange(
            change.commit, change.date, change.message, record_id, change.title, change.kind, change.fields
        )
    )


def parse_record(text: str | None, shown: str) -> dict[str, Any] | None:
    """A record version as published values: the validated model when it validates, else its raw fields."""
    if text is None:
        return None
    try:
        front, body, _ = split_front_matter(text, shown)
        doc = parse_yaml(front, shown, first_line=2)
    except SourceError:
        return None
    if not isinstance(doc.data, dict):
        return None
    data = {k: v for k, v in doc.data.items() if k not in ("body", "source")}
    data["body"] = body.strip("\n")
    try:
        values = Project.model_validate(data).model_dump(mode="json", exclude={"body", "source"})
    except ValidationError:
        values = {k: v for k, v in data.items() if k in RECORD_FIELDS}
    values["body"] = data["body"]
    return values


def compare(before: dict[str, Any], after: dict[str, Any], prefix: str = "", path: str = "") -> list[FieldChange]:
    """The published fields that differ, in the record's field order. Lists of entries of the same length
    are compared entry by entry; otherwise the entries added and removed are listed. `prefix` starts each
    label (for an entry: "绩效目标第2项 "); `path` is where the dicts sit in the record ("targets[].")."""
    old, new = flatten(before, path), flatten(after, path)
    changes = []
    for key in dict.fromkeys([*new, *old]):
        a, b = old.get(key), new.get(key)
        if a == b:
            continue
        label = prefix + _label(key)
        if key == "body" and not prefix:
            changes.append(FieldChange(label, after="已修改"))
        elif _entries(a) and _entries(b) and len(a) == len(b):
            for i, (x, y) in enumerate(zip(a, b), start=1):
                if x != y:
                    changes.extend(compare(x, y, f"{label}第{i}项 ", f"{key}[]."))
        elif isinstance(a, tuple) or isinstance(b, tuple):
            a_items = tuple(_item(v, f"{key}[].") for v in a) if isinstance(a, tuple) else ()
            b_items = tuple(_item(v, f"{key}[].") for v in b) if isinstance(b, tuple) else ()
            changes.append(
                FieldChange(
                    label,
                    added=tuple(i for i in b_items if i not in a_items),
                    removed=tuple(i for i in a_items if i not in b_items),
                )
            )
        else:
            changes.append(FieldChange(label, before=a, after=b))
    return changes


def _entries(value: Any) -> bool:
    return isinstance(value, tuple) and bool(value) and all(isinstance(v, dict) for v in value)


def _row(path: str) -> FieldRow | None:
    return rows_by_path(Project).get(path)


def _label(path: str) -> str:
    """The field's label from the registry; a key the model does not know (an old, invalid version) as written."""
    row = _row(path)
    return row.spec.label if row else path.rpartition(".")[2]


def _published(path: str) -> bool:
    row = _row(path)
    return row is None or row.on(Surface.HISTORY)


def flatten(values: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Field path → shown text; lists become tuples (of shown items, or of entries); empty values and fields
    the change history does not show are left out. Top-level fields come in the record's order."""
    order = {row.path: i for i, row in enumerate(field_rows(Project, front_matter=False))}
    out: dict[str, Any] = {}
    keys = sorted(values, key=lambda k: order.get(k, len(order))) if not prefix else values
    for key in keys:
        value, path = values[key], f"{prefix}{key}"
        if not _published(path):
            continue
        if isinstance(value, dict):
            worded = _worded(path, value)
            if worded is not None:
                out[path] = worded
            else:
                out.update(flatten(value, f"{path}."))
        elif isinstance(value, (list, tuple)):
            items = tuple(v if isinstance(v, dict) else _item(v, f"{path}[].") for v in value)
            if items:
                out[path] = items
        elif value is not None and value != "":
            out[path] = show(path, value)
    return out


def _worded(path: str, value: dict[str, Any]) -> str | None:
    """A group of fields with a one-line wording (受益户数 约120户, 责任人 王某某（局长）), when it validates."""
    row = _row(path)
    if row is None or row.inner is None or row.is_list or not has_wording(row.inner):
        return None
    if any(r.is_money for r in field_rows(row.inner)):
        return None  # a change of an amount reads better field by field (每年分红：34.5 万元 → 33 万元)
    try:
        return wording(row.inner.model_validate(value))
    except ValidationError:
        return None


def _item(value: Any, path: str) -> str:
    """An entry of a list as one line: "来源金额（万元）：1,150 万元，…"."""
    if isinstance(value, dict):
        return "，".join(
            f"{_label(path + k)}：{_item(v, f'{path}{k}[].') if isinstance(v, (list, dict)) else show(path + k, v)}"
            for k, v in value.items()
            if v not in (None, "", [], ()) and _published(path + k)
        )
    if isinstance(value, list):
        return "、".join(_item(v, path) for v in value)
    return show(path, value)


def show(path: str, value: Any) -> str:
    """A value as the site writes it; money in 万元 with its exact digits."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    row = _row(path.removesuffix("[]."))
    if row is not None and row.is_money:
        try:
            return f"{wan_text(Decimal(str(value)))} 万元"
        except ArithmeticError:
            return str(value)
    if isinstance(value, Decimal):
        return plain(value)
    return " ".join(str(value).split())
