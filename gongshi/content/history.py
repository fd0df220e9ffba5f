"""Change history (变更记录) of the records, read from git: which published fields changed, from what to what.

One `git log -z --raw` pass lists the commits and the blob ids of the files they changed; `git cat-file --batch`
reads every commit object and every old and new version (gongshi.content.gitlog); each version is parsed with the
same reader and model as the build, and the parsed records are compared."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic import ValidationError

from gongshi.content.fields import FieldRow, Surface, field_rows, rows_by_path
from gongshi.content.gitlog import Commit, FileChange, Repository
from gongshi.content.lineage import other_site_boundary
from gongshi.content.model import RECORD_FIELDS, Project
from gongshi.content.read import MAX_FILE_BYTES, SourceError, parse_yaml, split_front_matter
from gongshi.content.wording import has_wording, wording
from gongshi.money import plain, wan_text
from gongshi.text import one_line, strip_unsafe

NO_GIT = "本站构建时没有可用的修改历史（例如从压缩包构建），因此无法显示变更记录。"


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
    """The history of content_dir/projects in the git repository around it, or NO_HISTORY.
    Every commit, date, file and version comes from git objects (gongshi.content.gitlog); no commit
    message can add, hide or reorder an entry, or stop the build."""
    repo = Repository(Path(content_dir).resolve())
    if not repo.is_repository():
        return NO_HISTORY
    top = repo.top()
    content_rel = Path(content_dir).resolve().relative_to(top.resolve()).as_posix() if top else "."
    since = other_site_boundary(top, content_rel or ".") if top else None  # another county's commits are not ours
    last = repo.last_commit(".", since)
    if last is None:
        return NO_HISTORY
    log = repo.log("projects", since)
    commits = repo.commits([last, *(commit for commit, _ in log)])
    entries = _record_entries(log, commits)
    wanted = [blob for e in entries for blob in (e.before, e.after) if blob]
    sizes = repo.sizes(wanted)
    readable = [blob for blob in wanted if sizes.get(blob, MAX_FILE_BYTES + 1) <= MAX_FILE_BYTES]
    texts = {oid: _text(raw) for oid, (kind, raw) in repo.objects(readable).items() if kind == "blob"}
    changes = _changes(entries, texts)
    last_date = commits[last].date if last in commits else None
    return History(available=True, changes=tuple(changes), last_commit=last_date, shallow=repo.is_shallow())


@dataclass
class _Entry:
    commit: str
    date: dt.datetime
    message: str
    before: str | None  # blob id of the record before the commit
    after: str | None  # and after it
    name: str  # the record file's name, for parsing messages nobody reads


def _record_entries(log: list[tuple[str, list[FileChange]]], commits: dict[str, Commit]) -> list[_Entry]:
    """Commits newest first, each with the record files it touched (Markdown only), in a stable order."""
    entries = []
    for commit_id, files in log:
        commit = commits.get(commit_id)
        if commit is None:
            continue
        for change in sorted(files, key=lambda f: (f.status, f.old_path, f.new_path)):
            if not change.new_path.endswith(".md") and not change.old_path.endswith(".md"):
                continue
            before = change.old_blob if change.status in "MRDT" else None
            after = change.new_blob if change.status in "AMRCT" else None
            name = PurePosixPath(change.new_path).name
            entries.append(_Entry(commit.id, commit.date, commit.subject, before, after, name))
    return entries


def _text(raw: bytes) -> str:
    """A version of a record as the reader sees a file (UTF-8, no BOM, \n line ends), with the characters
    that may not be published removed: an old version cannot be refused, only cleaned."""
    text = raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8", "replace")
    return strip_unsafe(text.replace("\r\n", "\n").replace("\r", "\n"))


def _changes(entries: list[_Entry], texts: dict[str, str]) -> list[RecordChange]:
    parsed: dict[str, dict[str, Any] | None] = {}  # by object id: a version is parsed once

    def record(blob: str | None, name: str) -> dict[str, Any] | None:
        if blob is None or blob not in texts:
            return None
        if blob not in parsed:
            parsed[blob] = parse_record(texts[blob], name)
        return parsed[blob]

    changes = []
    renamed: dict[str, str] = {}
    for entry in reversed(entries):  # oldest first, so that id changes can be followed forward
        before, after = record(entry.before, entry.name), record(entry.after, entry.name)
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
                one_line(str(current.get("id", "")), 100),
                one_line(str(current.get("title", "")), 200),
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
