"""What a county's content files say, read straight from the YAML with PyYAML (never through gongshi),
so that tests of gongshi's pages, charts and downloads have an independent expectation.

Amounts are read as `Decimal` from the digits as written. Place and unit references are resolved here
by the rules the staff guide states (a village is written township + village, an alias counts; a unit by
its name, full name or alias), independently of gongshi's resolver."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
FIXTURE_CONTENT = HERE / "fixtures" / "county" / "content"
PLACE_FIELDS = (("places",), ("beneficiaries", "asset_villages"), ("beneficiaries", "villages"))


class _DecimalLoader(yaml.SafeLoader):
    """Reads 320.456789 as Decimal('320.456789'), as written, never through a float."""


_DecimalLoader.add_constructor("tag:yaml.org,2002:float", lambda loader, node: Decimal(loader.construct_scalar(node)))
_DecimalLoader.add_constructor(
    "tag:yaml.org,2002:int", lambda loader, node: Decimal(loader.construct_scalar(node).replace("_", ""))
)


def read_yaml(path: Path) -> dict:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_DecimalLoader)


def front_matter(path: Path) -> dict:
    """The YAML between a record's two `---` lines."""
    return yaml.load(path.read_text(encoding="utf-8").split("---\n")[1], Loader=_DecimalLoader)


def dig(data: dict, path: tuple[str, ...]):
    for key in path:
        data = (data or {}).get(key)
    return data


@dataclass
class Records:
    """One county's content/ folder as its files state it."""

    content: Path

    @cached_property
    def site(self) -> dict:
        return read_yaml(self.content / "site.yml")

    @cached_property
    def plans(self) -> list[dict]:
        return [read_yaml(p) for p in sorted((self.content / "plans").glob("*.yml"))]

    def plan(self, plan_id: str) -> dict:
        return next(p for p in self.plans if str(p["id"]) == plan_id)

    @cached_property
    def files(self) -> dict[str, Path]:
        """Project id → its record file."""
        return {str(front_matter(p)["id"]): p for p in sorted((self.content / "projects").rglob("*.md"))}

    @cached_property
    def projects(self) -> list[dict]:
        """Every record's front matter, in file order."""
        return [front_matter(p) for p in self.files.values()]

    def project(self, project_id: str) -> dict:
        return next(p for p in self.projects if p["id"] == project_id)

    def of_plan(self, plan: dict) -> list[dict]:
        return [p for p in self.projects if str(p["plan"]) == str(plan["id"])]

    def in_category(self, plan: dict, category: dict) -> list[dict]:
        return [p for p in self.of_plan(plan) if p["category"] == category["id"]]

    def category_of(self, project: dict) -> dict:
        return next(c for c in self.plan(str(project["plan"]))["categories"] if c["id"] == project["category"])

    # --- places --------------------------------------------------------------------------------

    @cached_property
    def gazetteer(self) -> dict:
        return read_yaml(self.content / "places.yml")

    @cached_property
    def townships(self) -> dict[str, str]:
        """Township name (and alias) → code."""
        out = {}
        for t in self.gazetteer["townships"]:
            for name in (t["name"], *t.get("aliases", [])):
                out[name] = str(t["code"])
        return out

    @cached_property
    def villages(self) -> dict[tuple[str, str], str]:
        """(township name, village name or alias) → village code."""
        out = {}
        for t in self.gazetteer["townships"]:
            for v in t.get("villages", []):
                for name in (v["name"], *v.get("aliases", [])):
                    out[(t["name"], name)] = str(v["code"])
        return out

    @cached_property
    def official(self) -> dict[str, dict]:
        """Place code → its gazetteer entry (township or village), with `township` added to villages."""
        out = {}
        for t in self.gazetteer["townships"]:
            out[str(t["code"])] = t
            for v in t.get("villages", []):
                out[str(v["code"])] = {**v, "township": t["name"]}
        return out

    def split(self, ref: str) -> tuple[str, str]:
        """A place as the records write it ('青山镇石门村') → (township, village); village '' for a township."""
        if ref in self.townships:
            return ref, ""
        town = max((t for t in self.townships if ref.startswith(t)), key=len)
        return town, ref[len(town) :]

    def place_code(self, ref: str) -> str:
        town, village = self.split(ref)
        return self.townships[town] if not village else self.villages[(town, village)]

    def place_refs(self, project: dict) -> list[str]:
        return [ref for path in PLACE_FIELDS for ref in dig(project, path) or []]

    def named_places(self) -> dict[str, set[str]]:
        """Place code → ids of the projects whose records name it (site, asset village or beneficiary)."""
        out: dict[str, set[str]] = {}
        for project in self.projects:
            for ref in self.place_refs(project):
                out.setdefault(self.place_code(ref), set()).add(project["id"])
        return out

    def village_codes(self) -> set[str]:
        return {code for code in self.named_places() if code not in self.townships.values()}

    def asset_villages(self) -> list[tuple[str, str]]:
        """(township, village) as the records write them, for every asset village of every project."""
        return [self.split(ref) for p in self.projects for ref in dig(p, ("beneficiaries", "asset_villages")) or []]

    # --- units ---------------------------------------------------------------------------------

    @cached_property
    def units(self) -> list[dict]:
        return read_yaml(self.content / "units.yml")["units"]

    def unit(self, written: str) -> dict:
        """The units.yml entry a record's unit name refers to (name, full name or alias)."""
        return next(u for u in self.units if written in (u["name"], u.get("full_name"), *u.get("aliases", [])))

    def unit_ids(self, project: dict) -> list[str]:
        """Responsible units, then the owner unit, as ids, without repeats."""
        names = [*project["responsible_units"], *([project["owner_unit"]] if project.get("owner_unit") else [])]
        return list(dict.fromkeys(self.unit(n)["id"] for n in names))


def fixture() -> Records:
    """The purpose-made test county (tests/fixtures/county)."""
    return Records(FIXTURE_CONTENT)


def amount(value: Decimal) -> str:
    """An amount in 万元 as the pages write it: thousands separators, no trailing zeros ('1,276.456789')."""
    text = f"{Decimal(value):,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def yuan(value: Decimal) -> str:
    """万元 as 元 with two decimals when needed, as the pages write it ('12,764,567.89 元')."""
    text = f"{Decimal(value) * 10000:,.2f}"
    return re.sub(r"\.00$", "", text) + " 元"
