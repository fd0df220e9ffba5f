"""Resolve what records refer to: plans, categories, fund sources, units and places."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from gongshi.content.model import Plan, Project, Unit
from gongshi.content.places import PlaceIndex, UnknownPlace
from gongshi.content.read import Document, dotted
from gongshi.errors import ContentError


@dataclass
class Linked:
    projects: list[Project] = field(default_factory=list)
    errors: list[ContentError] = field(default_factory=list)
    spelled: dict[str, str] = field(default_factory=dict)


class _UnitIndex:
    def __init__(self, units: tuple[Unit, ...]):
        self.by_name: dict[str, str] = {}
        for unit in units:
            for name in (unit.id, unit.name, unit.full_name, *unit.aliases):
                if name:
                    self.by_name[name] = unit.id

    def suggest(self, name: str) -> list[str]:
        return difflib.get_close_matches(name, list(self.by_name), n=3, cutoff=0.4)


def link(
    records: list[tuple[Project, Document]],
    plans: dict[str, Plan],
    units: tuple[Unit, ...],
    places: PlaceIndex,
    plans_complete: bool = True,
) -> Linked:
    """Check every reference and return projects whose references are ids and codes.
    When a plan file failed to load (`plans_complete` false), references to it are not reported again."""
    out = Linked()
    unit_index = _UnitIndex(units)
    seen_ids: dict[str, str] = {}
    for project, doc in records:
        errors: list[ContentError] = []

        def fail(
            path: tuple,
            zh: str,
            en: str,
            found: str,
            expected: str,
            hint: str | None = None,
            *,
            errors: list[ContentError] = errors,
            doc: Document = doc,
        ) -> None:
            errors.append(ContentError(doc.file, doc.line_of(path), dotted(path), zh, en, found, expected, hint))

        if project.id in seen_ids:
            fail(
                ("id",),
                "编号重复",
                "duplicate id",
                project.id,
                "全站唯一的编号",
                f"与 {seen_ids[project.id]} 重复；请换一个编号。",
            )
        else:
            seen_ids[project.id] = doc.file
        plan = plans.get(project.plan)
        if plan is None and plans_complete:
            fail(
                ("plan",),
                "计划不存在",
                "unknown plan",
                project.plan,
                "、".join(plans) or "plans/ 下的计划",
                _close(project.plan, list(plans)),
            )
        elif plan is not None:
            category_ids = [c.id for c in plan.categories]
            if project.category not in category_ids:
                names = "、".join(f"{c.id}（{c.name}）" for c in plan.categories)
                fail(
                    ("category",),
                    "类别不存在",
                    "unknown category",
                    project.category,
                    names,
                    _close(project.category, category_ids),
                )
            source_ids = [s.id for s in plan.funding]
            for i, item in enumerate(project.funding):
                if item.source not in source_ids:
                    fail(
                        ("funding", i, "source"),
                        "资金来源不存在",
                        "unknown fund source",
                        item.source,
                        "、".join(source_ids),
                        _close(item.source, source_ids),
                    )
        responsible = tuple(
            _unit(unit_index, name, ("responsible_units", i), fail) for i, name in enumerate(project.responsible_units)
        )
        owner = _unit(unit_index, project.owner_unit, ("owner_unit",), fail) if project.owner_unit else None
        site_codes = _places(places, project.places, ("places",), fail, out.spelled)
        asset_codes = _places(
            places,
            project.beneficiaries.asset_villages,
            ("beneficiaries", "asset_villages"),
            fail,
            out.spelled,
            villages_only=True,
        )
        other_codes = _places(
            places, project.beneficiaries.villages, ("beneficiaries", "villages"), fail, out.spelled, villages_only=True
        )
        out.errors.extend(errors)
        if not errors:
            beneficiaries = project.beneficiaries.model_copy(
                update={"asset_villages": asset_codes, "villages": other_codes}
            )
            out.projects.append(
                project.model_copy(
                    update={
                        "responsible_units": responsible,
                        "owner_unit": owner,
                        "places": site_codes,
                        "beneficiaries": beneficiaries,
                    }
                )
            )
    return out


def _unit(index: _UnitIndex, name: str, path: tuple, fail) -> str:
    if name in index.by_name:
        return index.by_name[name]
    suggestions = index.suggest(name)
    hint = ("是否应为 " + "、".join(suggestions) + "？ ") if suggestions else ""
    fail(
        path,
        "单位不在 units.yml 中",
        "unit is not in units.yml",
        name,
        "units.yml 中的单位名称",
        hint + "新单位请先加到 content/units.yml。",
    )
    return name


def _places(
    index: PlaceIndex, refs: tuple[str, ...], path: tuple, fail, spelled: dict[str, str], villages_only: bool = False
) -> tuple[str, ...]:
    codes = []
    for i, ref in enumerate(refs):
        try:
            place = index.resolve(ref)
        except UnknownPlace as exc:
            where = f"{exc.township}的" if exc.township else ""
            hint = f"是否应为 {'、'.join(exc.suggestions)}？ (did you mean …?)" if exc.suggestions else None
            fail(
                (*path, i),
                "地名不在 places.yml 中",
                "place is not in places.yml",
                ref,
                f"places.yml 中{where}村名，可写作“乡镇名+村名”，如 毛坪镇新华村",
                hint,
            )
            continue
        if villages_only and not place.is_village:
            fail(
                (*path, i),
                "这里应写村，不是乡镇",
                "a village is expected here, not a township",
                ref,
                "村名，如 毛坪镇新华村",
            )
            continue
        if place.code in codes:
            fail((*path, i), "地名重复", "place listed twice", ref, "每个地名只写一次")
            continue
        codes.append(place.code)
        written = ref.replace(place.township.name, "", 1) if place.is_village else ref
        if place.village and written != place.village.name and written in place.village.aliases:
            spelled[place.code] = written
    return tuple(codes)


def _close(value: str, options: list[str]) -> str | None:
    close = difflib.get_close_matches(value, options, n=1, cutoff=0.5)
    return f"是否应为 `{close[0]}`？ (did you mean `{close[0]}`?)" if close else None
