"""Resolve what records refer to: plans, categories, fund sources, units and places.

References holds the lookups; `link` walks every field the registry marks as a reference (`ref=` in the
model) and turns names into ids and codes, so a new reference field is resolved without code here. The Excel
import resolves its cells with the same References.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from gongshi.content.fields import FieldRow, children
from gongshi.content.model import Plan, Project, Unit
from gongshi.content.places import Place, PlaceIndex, UnknownPlace
from gongshi.content.read import Document, dotted
from gongshi.content.slips import curly_quotes_hint
from gongshi.errors import ContentError


class Unresolved(LookupError):
    """A reference that names nothing known: what was expected, and a hint (close names) when there is one."""

    def __init__(self, zh: str, en: str, expected: str, hint: str | None = None):
        self.zh, self.en, self.expected, self.hint = zh, en, expected, hint
        super().__init__(f"{zh} | {en}")


class References:
    """The names a record may use for plans, categories, fund sources, units and places."""

    def __init__(
        self,
        plans: dict[str, Plan],
        units: tuple[Unit, ...],
        places: PlaceIndex,
        unresolvable: frozenset[str] = frozenset(),
    ):
        self.plans = plans
        self.places = places
        self.unresolvable = unresolvable  # kinds whose file failed to load: already reported, not again per record
        self.units: dict[str, str] = {}
        for unit in units:
            for name in (unit.id, unit.name, unit.full_name, *unit.aliases):
                if name:
                    self.units[name] = unit.id

    def plan(self, plan_id: str) -> Plan:
        if plan_id in self.plans:
            return self.plans[plan_id]
        raise Unresolved(
            "计划不存在", "unknown plan", "、".join(self.plans) or "plans/ 下的计划", _close(plan_id, list(self.plans))
        )

    def category(self, plan: Plan, text: str, *, by_name: bool = False) -> str:
        """A category id of the plan; with `by_name` its name is accepted too (a spreadsheet writes names)."""
        for c in plan.categories:
            if text == c.id or (by_name and text == c.name):
                return c.id
        listed = "、".join(f"{c.id}（{c.name}）" for c in plan.categories)
        options = [c.name for c in plan.categories] if by_name else [c.id for c in plan.categories]
        raise Unresolved("类别不存在", "unknown category", listed, _close(text, options, 0.4 if by_name else 0.5))

    def source(self, plan: Plan, text: str, *, by_name: bool = False) -> str:
        """A fund source id of the plan; with `by_name` its name, or a unique part of it, is accepted too."""
        for s in plan.funding:
            if text == s.id or (by_name and text == s.name):
                return s.id
        if by_name:
            partial = [s for s in plan.funding if text and (text in s.name or s.name in text)]
            if len(partial) == 1:
                return partial[0].id
        ids = [s.id for s in plan.funding]
        names = "、".join(f"{s.id}（{s.name}）" for s in plan.funding)
        raise Unresolved("资金来源不存在", "unknown fund source", names, None if by_name else _close(text, ids))

    def unit(self, name: str) -> str:
        if name in self.units:
            return self.units[name]
        close = difflib.get_close_matches(name, list(self.units), n=3, cutoff=0.4)
        hint = f"是否应为 {suggested(close)}？ " if close else ""
        raise Unresolved(
            "单位不在 units.yml 中",
            "unit is not in units.yml",
            "units.yml 中的单位名称",
            hint + "新单位请先加到 content/units.yml。",
        )

    def place(self, name: str, *, village: bool = False) -> Place:
        """A township or village; with `village` only a village will do."""
        try:
            place = self.places.resolve(name)
        except UnknownPlace as exc:
            where = f"{exc.township}的" if exc.township else ""
            hint = f"是否应为 {suggested(exc.suggestions)}？ (did you mean …?)" if exc.suggestions else None
            if not self.places.by_code:
                hint = "places.yml 中还没有乡镇和村：先运行 gongshi places 生成（见填写指南“开始一个县”）。"
            raise Unresolved(
                "村名不在 places.yml 中" if village else "地名不在 places.yml 中",
                "village is not in places.yml" if village else "place is not in places.yml",
                f"places.yml 中{where}村名，可写作“乡镇名+村名”，如 某某镇某某村",
                hint,
            ) from None
        if village and not place.is_village:
            raise Unresolved(
                "这里应写村，不是乡镇", "a village is expected here, not a township", "村名，如 某某镇某某村"
            )
        return place


@dataclass
class Linked:
    projects: list[Project] = field(default_factory=list)
    errors: list[ContentError] = field(default_factory=list)
    spelled: dict[str, str] = field(default_factory=dict)  # place code → the spelling the records use


def link(records: list[tuple[Project, Document]], references: References, plans_complete: bool = True) -> Linked:
    """Check every reference and return projects whose references are ids and codes.
    When a plan file failed to load (`plans_complete` false), references to it are not reported again."""
    out = Linked()
    seen_ids: dict[str, str] = {}
    for project, doc in records:
        linker = _Linker(references, doc, out.spelled, plans_complete)
        if project.id in seen_ids:
            linker.fail(
                ("id",),
                Unresolved(
                    "编号重复", "duplicate id", "全站唯一的编号", f"与 {seen_ids[project.id]} 重复；请换一个编号。"
                ),
                project.id,
            )
        else:
            seen_ids[project.id] = doc.file
        plan = linker.plan(project)
        linked = linker.walk(project, "", (), plan)
        out.errors.extend(linker.errors)
        if not linker.errors:
            out.projects.append(linked)
    return out


class _Linker:
    """Resolves one record's references, collecting an error for each one that names nothing."""

    def __init__(self, references: References, doc: Document, spelled: dict[str, str], plans_complete: bool):
        self.references, self.doc, self.spelled, self.plans_complete = references, doc, spelled, plans_complete
        self.errors: list[ContentError] = []

    def fail(self, path: tuple, problem: Unresolved, found: str) -> None:
        hint = curly_quotes_hint(found) or problem.hint
        self.errors.append(
            ContentError(
                self.doc.file,
                self.doc.line_of(path),
                dotted(path),
                problem.zh,
                problem.en,
                found,
                problem.expected,
                hint,
            )
        )

    def plan(self, project: Project) -> Plan | None:
        try:
            return self.references.plan(project.plan)
        except Unresolved as problem:
            if self.plans_complete:
                self.fail(("plan",), problem, project.plan)
            return None

    def walk(self, record: BaseModel, prefix: str, path: tuple, plan: Plan | None) -> Any:
        """The record (or a group of its fields) with every reference under `prefix` resolved."""
        update: dict[str, Any] = {}
        for row in children(Project, prefix):
            if row.path == "body":
                continue
            value = getattr(record, row.name)
            where = (*path, row.name)
            if row.inner is not None and value:
                inner_prefix = f"{row.path}[]." if row.is_list else f"{row.path}."
                if row.is_list:
                    update[row.name] = tuple(
                        self.walk(item, inner_prefix, (*where, i), plan) for i, item in enumerate(value)
                    )
                else:
                    update[row.name] = self.walk(value, inner_prefix, where, plan)
            elif row.spec.ref and row.spec.ref not in ("plan", *self.references.unresolvable) and value:
                if isinstance(value, tuple):
                    update[row.name] = self.resolve_list(row, value, where, plan)
                else:
                    update[row.name] = self.resolve(row, value, where, plan)
        return record.model_copy(update=update) if update else record

    def resolve(self, row: FieldRow, value: str, where: tuple, plan: Plan | None) -> str:
        refs = self.references
        try:
            if row.spec.ref == "category":
                return refs.category(plan, value) if plan else value
            if row.spec.ref == "source":
                return refs.source(plan, value) if plan else value
            if row.spec.ref == "unit":
                return refs.unit(value)
            place = refs.place(value, village=row.spec.ref == "village")
        except Unresolved as problem:
            self.fail(where, problem, value)
            return value
        written = value.replace(place.township.name, "", 1) if place.is_village else value
        if place.village and written != place.village.name and written in place.village.aliases:
            self.spelled[place.code] = written
        return place.code

    def resolve_list(self, row: FieldRow, values: tuple[str, ...], where: tuple, plan: Plan | None) -> tuple[str, ...]:
        out: list[str] = []
        for i, value in enumerate(values):
            before = len(self.errors)
            resolved = self.resolve(row, value, (*where, i), plan)
            if len(self.errors) > before:
                continue
            if resolved in out and row.spec.ref in ("place", "village"):
                self.fail((*where, i), Unresolved("地名重复", "place listed twice", "每个地名只写一次"), value)
                continue
            out.append(resolved)
        return tuple(out)


def suggested(names: list[str]) -> str:
    """Names to choose from, each in “” and joined with 或: never with 、 or ，, which would read as one list of
    several names (the mistake itself, in a field that lists units or villages)."""
    return " 或 ".join(f"“{name}”" for name in names)


def _close(value: str, options: list[str], cutoff: float = 0.5) -> str | None:
    close = difflib.get_close_matches(value, options, n=1, cutoff=cutoff)
    return f"是否应为 `{close[0]}`？ (did you mean `{close[0]}`?)" if close else None
