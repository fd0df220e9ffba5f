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

from gongshi.content.model import RECORD_FIELDS, Project
from gongshi.content.read import SourceError, parse_yaml, split_front_matter
from gongshi.money import plain, wan_text

LABELS = {
    "id": "编号",
    "plan": "所属计划",
    "number": "原文件序号",
    "order": "顺序",
    "category": "项目类别",
    "title": "项目名称",
    "investment": "规划投资",
    "funding": "资金来源及规模",
    "location": "实施地点",
    "places": "实施地点涉及的乡镇和村",
    "responsible_units": "责任单位",
    "owner_unit": "业主单位",
    "beneficiaries.asset_villages": "固定资产确权村",
    "beneficiaries.villages": "其他受益村",
    "beneficiaries.households.value": "受益户数",
    "beneficiaries.people.value": "受益人数",
    "beneficiaries.description": "受益说明",
    "benefit_mechanism": "联农带农机制",
    "operation": "运营方式",
    "dividend.rate_percent": "分红比例（%）",
    "dividend.annual": "每年保底分红",
    "dividend.condition": "分红条件",
    "targets": "绩效目标",
    "period": "实施期限",
    "deadline": "完成期限",
    "status": "项目状态",
    "progress": "进展报告",
    "dividends_paid": "已支付分红",
    "discrepancies": "差异说明",
    "body": "建设内容",
    # keys inside list items
    "source": "来源",
    "amount": "金额",
    "indicator": "指标",
    "value": "目标值",
    "unit": "单位",
    "comparator": "比较",
    "actual": "实际值",
    "note": "说明",
    "date": "日期",
    "stage": "阶段",
    "disbursed": "累计拨付",
    "percent": "完成（%）",
    "photos": "照片",
    "year": "年度",
    "check": "核对项",
}
_MONEY_KEYS = {"investment", "amount", "annual", "disbursed"}
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
    last = _git(root, "log", "-1", "--format=%cI", "--", content_rel)
    if not last or not last.strip():
        return NO_HISTORY
    projects_rel = f"{content_rel}/projects" if content_rel != "." else "projects"
    log = (
        _git(root, "log", "--format=%x1e%H%x1f%P%x1f%cI%x1f%s", "--name-status", "-M", "--no-color", "--", projects_rel)
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


def compare(before: dict[str, Any], after: dict[str, Any], prefix: str = "") -> list[FieldChange]:
    """The published fields that differ, in the record's field order. Lists of entries of the same length
    are compared entry by entry; otherwise the entries added and removed are listed."""
    old, new = flatten(before), flatten(after)
    changes = []
    for key in dict.fromkeys([*new, *old]):
        a, b = old.get(key), new.get(key)
        if a == b:
            continue
        label = prefix + LABELS.get(key, key)
        if key == "body" and not prefix:
            changes.append(FieldChange(label, after="已修改"))
        elif _entries(a) and _entries(b) and len(a) == len(b):
            for i, (x, y) in enumerate(zip(a, b), start=1):
                if x != y:
                    changes.extend(compare(x, y, f"{label}第{i}项 "))
        elif isinstance(a, tuple) or isinstance(b, tuple):
            a_items = tuple(_item(v) for v in a) if isinstance(a, tuple) else ()
            b_items = tuple(_item(v) for v in b) if isinstance(b, tuple) else ()
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


def flatten(values: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Dotted field → shown text; lists become tuples (of shown items, or of entries); empty values left out."""
    order = {name: i for i, name in enumerate((*RECORD_FIELDS, "body"))}
    out: dict[str, Any] = {}
    for key in sorted(values, key=lambda k: order.get(k, len(order))) if not prefix else values:
        value, path = values[key], f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten(value, f"{path}."))
        elif isinstance(value, (list, tuple)):
            items = tuple(v if isinstance(v, dict) else _item(v) for v in value)
            if items:
                out[path] = items
        elif value is not None and value != "":
            out[path] = show(key, value)
    return out


def _item(value: Any) -> str:
    if isinstance(value, dict):
        return "，".join(
            f"{LABELS.get(k, k)}：{_item(v) if isinstance(v, (list, dict)) else show(k, v)}"
            for k, v in value.items()
            if v not in (None, "", [], ())
        )
    if isinstance(value, list):
        return "、".join(_item(v) for v in value)
    return show("", value)


def show(key: str, value: Any) -> str:
    """A value as the site writes it; money in 万元 with its exact digits."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if key in _MONEY_KEYS:
        try:
            return f"{wan_text(Decimal(str(value)))} 万元"
        except ArithmeticError:
            return str(value)
    if isinstance(value, Decimal):
        return plain(value)
    return " ".join(str(value).split())
