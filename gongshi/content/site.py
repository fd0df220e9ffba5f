"""The whole site's validated content, with the lookups that pages need."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from pathlib import Path

from gongshi.content.history import NO_HISTORY, History
from gongshi.content.model import DISCLOSURE_KINDS, Category, Gazetteer, Plan, Project, SiteConfig, Unit
from gongshi.content.outline import Outline
from gongshi.content.places import Place, PlaceIndex
from gongshi.content.unstated import Total, stated, total

ROLE_ASSET = "确权村"
ROLE_SITE = "实施地点"
ROLE_BENEFICIARY = "受益村"


@dataclass(frozen=True)
class AuditNote:
    """A disclosure: a mismatch the content explains instead of fixing, or a free-form note on a field;
    shown publicly on the pages it concerns and on the notices of `stages`."""

    scope: str  # "plan:<id>", "category:<plan>/<id>", "project:<id>"
    check: str | None  # the audit check it explains; None for a free-form note
    message: str  # what the check found, or the label of the field a note is about
    note: str
    kind: str = "inconsistent"  # see model.DISCLOSURE_KINDS
    field: str | None = None  # the field path a free-form note names
    stages: tuple[str, ...] = ()  # the notices (by stage) it is printed on

    @property
    def kind_name(self) -> str:
        return DISCLOSURE_KINDS[self.kind]


@dataclass(frozen=True)
class PlaceLink:
    """How a project concerns a place."""

    project: Project
    place: Place
    roles: tuple[str, ...]


@dataclass(frozen=True)
class Site:
    """Everything the pages, charts and downloads read. Project references are resolved:
    `places` and beneficiary villages hold codes, units hold unit ids."""

    content_dir: Path
    config: SiteConfig
    gazetteer: Gazetteer
    units: tuple[Unit, ...]
    plans: tuple[Plan, ...]
    projects: tuple[Project, ...]
    notes: tuple[AuditNote, ...] = ()
    skipped: tuple[AuditNote, ...] = ()  # checks that could not be made: a value they need is 原文件未列明
    spelled: dict[str, str] = field(default_factory=dict)  # place code → the spelling the records use
    root: Path | None = None  # the folder record paths (Project.source) are relative to
    history: History = NO_HISTORY  # the records' git history, attached by the build
    outline: Outline | None = None  # the county outline named by site.yml `map.outline`
    place_index: PlaceIndex = None  # type: ignore[assignment]  # built from the gazetteer when not given

    def __post_init__(self) -> None:
        if self.place_index is None:
            object.__setattr__(self, "place_index", PlaceIndex(self.gazetteer))

    def place(self, code: str) -> Place:
        return self.place_index.by_code[code]

    @cached_property
    def _units(self) -> dict[str, Unit]:
        return {u.id: u for u in self.units}

    def unit(self, unit_id: str) -> Unit:
        return self._units[unit_id]

    @cached_property
    def _plans(self) -> dict[str, Plan]:
        return {p.id: p for p in self.plans}

    def plan(self, plan_id: str) -> Plan:
        return self._plans[plan_id]

    # Indexes built once: pages call these lookups once per page or per table row, so a scan of
    # every project per call would make the build quadratic in the number of projects.
    @cached_property
    def _categories(self) -> dict[tuple[str, str], Category]:
        return {(p.id, c.id): c for p in self.plans for c in p.categories}

    @cached_property
    def _by_plan(self) -> dict[str, list[Project]]:
        out: dict[str, list[Project]] = {}
        for p in self.projects:
            out.setdefault(p.plan, []).append(p)
        return out

    @cached_property
    def _by_category(self) -> dict[tuple[str, str], list[Project]]:
        out: dict[tuple[str, str], list[Project]] = {}
        for p in self.projects:
            out.setdefault((p.plan, p.category), []).append(p)
        return out

    @cached_property
    def _by_unit(self) -> dict[str, list[Project]]:
        out: dict[str, list[Project]] = {}
        for p in self.projects:
            for unit_id in dict.fromkeys((*p.responsible_units, p.owner_unit)):
                if unit_id:
                    out.setdefault(unit_id, []).append(p)
        return out

    @cached_property
    def _notes(self) -> dict[str, list[AuditNote]]:
        out: dict[str, list[AuditNote]] = {}
        for n in self.notes:
            out.setdefault(n.scope, []).append(n)
        return out

    def category(self, project: Project) -> Category:
        return self._categories[(project.plan, project.category)]

    def projects_of_plan(self, plan: Plan) -> list[Project]:
        return list(self._by_plan.get(plan.id, ()))

    def projects_in(self, plan: Plan, category: Category) -> list[Project]:
        return list(self._by_category.get((plan.id, category.id), ()))

    def projects_of_unit(self, unit: Unit) -> list[Project]:
        return list(self._by_unit.get(unit.id, ()))

    @cached_property
    def used_units(self) -> list[Unit]:
        """Units named by at least one project, in units.yml order."""
        used = {u for p in self.projects for u in (*p.responsible_units, p.owner_unit) if u}
        return [u for u in self.units if u.id in used]

    @cached_property
    def place_links(self) -> dict[str, list[PlaceLink]]:
        """Place code → the projects that concern it, and how."""
        links: dict[str, list[PlaceLink]] = {}
        for project in self.projects:
            roles: dict[str, list[str]] = {}
            for code in project.beneficiaries.asset_villages:
                roles.setdefault(code, []).append(ROLE_ASSET)
            for code in project.places:
                roles.setdefault(code, []).append(ROLE_SITE)
            for code in project.beneficiaries.villages:
                roles.setdefault(code, []).append(ROLE_BENEFICIARY)
            for code, names in roles.items():
                links.setdefault(code, []).append(PlaceLink(project, self.place(code), tuple(names)))
        return links

    @cached_property
    def linked_places(self) -> list[Place]:
        """Every place named by a record, townships before their villages, in gazetteer order."""
        named = set(self.place_links)
        out = []
        for township in self.gazetteer.townships:
            township_named = township.key in named or any(v.key in named for v in township.villages)
            if township_named:
                out.append(Place(township))
            out.extend(Place(township, v) for v in township.villages if v.key in named)
        return out

    @cached_property
    def beneficiary_villages(self) -> list[Place]:
        """Villages that receive title to assets or otherwise benefit (not just project sites)."""
        codes = {c for p in self.projects for c in (*p.beneficiaries.asset_villages, *p.beneficiaries.villages)}
        return [p for p in self.linked_places if p.is_village and p.code in codes]

    def project_places(self, project: Project) -> list[Place]:
        return [self.place(code) for code in project.places]

    def asset_villages(self, project: Project) -> list[Place]:
        return [self.place(code) for code in project.beneficiaries.asset_villages]

    def notes_for(self, scope: str, stage: str | None = None) -> list[AuditNote]:
        """The disclosures of a scope; with `stage`, only those printed on that stage's notice."""
        return [n for n in self._notes.get(scope, ()) if stage is None or stage in n.stages]

    def plan_notes(self, plan: Plan) -> list[AuditNote]:
        """Every disclosure of a plan: its own, its categories' and its projects', in that order."""
        out = self.notes_for(f"plan:{plan.id}")
        for category in plan.categories:
            out += self.notes_for(f"category:{plan.id}/{category.id}")
        for project in self.projects_of_plan(plan):
            out += self.notes_for(f"project:{project.id}")
        return out

    @cached_property
    def _skipped(self) -> dict[str, list[AuditNote]]:
        out: dict[str, list[AuditNote]] = {}
        for n in self.skipped:
            out.setdefault(n.scope, []).append(n)
        return out

    def skipped_for(self, scope: str) -> list[AuditNote]:
        """The checks of one plan, category or project that could not be made, with why."""
        return list(self._skipped.get(scope, ()))

    def investment_total(self, plan: Plan) -> Total:
        """The investments of the plan's projects added up, with how many state none (show by `total_wan`)."""
        return total(p.investment for p in self.projects_of_plan(plan))

    def plan_total(self, plan: Plan) -> Decimal:
        """The stated part of `investment_total` (for callers that show its coverage themselves: the charts,
        the Excel export); a page shows `investment_total`."""
        return self.investment_total(plan).amount

    def unstated_projects(self, projects: list[Project]) -> list[Project]:
        """The projects whose investment the document does not state (left out of every sum)."""
        return [p for p in projects if not stated(p.investment)]

    @cached_property
    def last_changed(self) -> dt.date | None:
        """Latest date the content states (plan dates, progress reports) or git's date of the last content commit;
        None when nothing is dated yet."""
        dates = [p.date for p in self.plans if stated(p.date)]
        dates += [entry.date for project in self.projects for entry in project.progress]
        dates += [d.date for project in self.projects for d in project.dividends_paid if d.date]
        dates += [c.date for record in (*self.plans, *self.projects) for c in record.changes]
        dates += [n.start for project in self.projects for n in project.notices]
        for project in self.projects:
            done = project.completion
            dates += [d for d in (done.completed, done.accepted) if d] if done else []
            dates += [project.review.date] if project.review and project.review.date else []
        if self.history.last_commit is not None:
            dates.append(self.history.last_commit.date())
        return max(dates, default=None)

    @property
    def stamp(self) -> dt.date:
        """The date files carry as their version (downloads, feed): last_changed, or 1970-01-01 before any."""
        return self.last_changed or dt.date(1970, 1, 1)
