"""The standard pages every site has: about (本站核对了什么, where the data come from), the report page and the
staff guide. They are templates (templates/pages/standard/), so that what they say comes from the site's own
content; a county's docs/ page of the same path replaces one."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from gongshi.content.site import Site
from gongshi.money import MAX_WAN, WAN_DECIMALS, wan_text
from gongshi.web.family import GeneratedPage, PageFamily
from gongshi.web.render import Renderer
from gongshi.web.theme import standard_pages


def standard(renderer: Renderer) -> Iterator[GeneratedPage]:
    """One page per template under standard/: standard/guide/edit.md.j2 is guide/edit.md."""
    for name in standard_pages(renderer.templates_dir):
        src_uri = name.removeprefix("standard/").removesuffix(".j2")
        page = renderer.render(name, src_uri)
        yield GeneratedPage(page.src_uri, page.content, overridable=True)


@dataclass(frozen=True)
class Examples:
    """What the guide's examples name, taken from the site's own content (neutral words before there is any)."""

    record: str  # a record file as staff see it
    record_id: str
    other_record: str
    township: str
    village: str  # 乡镇名+村名
    misspelt: str  # the same with one character changed
    unit_names: tuple[str, ...]
    plan: str
    category: str


def examples(site: Site) -> Examples:
    projects = site.projects
    first = projects[0] if projects else None
    second = projects[1] if len(projects) > 1 else None
    village = next((p for p in site.place_index.by_code.values() if p.is_village), None)
    township = village.township.name if village else "某某镇"
    name = village.village.name if village and village.village else "某某村"
    misspelt = name[0] + ("甲" if name[1:2] != "甲" else "乙") + name[2:] if len(name) > 2 else name + "村"
    plan = site.plans[0] if site.plans else None
    return Examples(
        record=first.source if first else "content/projects/01-mouxiang-road.md",
        record_id=first.id if first else "mouxiang-road",
        other_record=second.source if second else "content/projects/02-mouxiang-water.md",
        township=township,
        village=township + name,
        misspelt=township + misspelt,
        unit_names=tuple(u.name for u in site.units[:3]) or ("县农业农村局",),
        plan=plan.id if plan else "2025",
        category=plan.categories[0].id if plan and plan.categories else "roads",
    )


def standard_helpers(renderer: Renderer) -> dict:
    amounts = {"decimals": WAN_DECIMALS, "largest": wan_text(MAX_WAN)}  # the rule for amounts (gongshi.money)
    return {"examples": examples(renderer.site), "amounts": amounts}


FAMILY = PageFamily("standard", standard, standard_helpers)
