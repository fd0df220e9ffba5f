"""Village channels: what a project or a village passes on where villagers read and hear it — a text message
(at most 70 characters), a loudspeaker script (amounts as spoken: 一千一百五十万元), a share image for WeChat
groups (PNG), a large-print notice for an A3 sheet, and the simplified reading view of a project (简读版).
Each is generated for every project and every village a record names, and linked from their pages."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup

from gongshi.content.fields import path_label, path_row
from gongshi.content.in_force import change_amount
from gongshi.content.model import Project
from gongshi.content.places import Place
from gongshi.content.site import Site
from gongshi.content.unstated import NOT_STATED, Total, stated, total
from gongshi.content.values import project_name
from gongshi.money import headline_wan, is_rounded, wan_text, yuan_text
from gongshi.web import share_image
from gongshi.web.family import GeneratedPage, PageFamily
from gongshi.web.fonts import is_yi, yi_subset
from gongshi.web.pages.notices import online, period_of
from gongshi.web.pages.places import PlaceProject, place_projects, sharing_villages
from gongshi.web.present import total_wan, wan
from gongshi.web.render import Renderer
from gongshi.web.share_files import share_pngs
from gongshi.web.spoken import (
    Message,
    hotline,
    place_sms,
    project_sms,
    short_address,
    spoken_date,
    spoken_digits,
    spoken_integer,
    spoken_number,
    spoken_text,
    spoken_yuan,
)

SMS = "sms.txt"
BROADCAST = "broadcast.txt"
SHARE = "share.png"
A3_FRONT_MATTER = "---\ntemplate: notice-a3.html\nsearch:\n  exclude: true\n---\n"
BOARD = "村务公开栏"
"""Where to read more when the site has no address yet (mkdocs `site_url`): the printed notice."""


@dataclass(frozen=True)
class Channels:
    """A project's or a village's channel files and their addresses."""

    sms: Message
    sms_file: str
    broadcast_file: str
    share_file: str
    a3: str
    feed: str


def where_to_read(renderer: Renderer, page: str) -> list[str]:
    """Where a text message sends its reader, best first: the page's own address (short: what a phone turns into
    a link), then the site's home, then (an address too long for a message) the village board."""
    urls = renderer.urls
    if not urls.site_url:
        return [BOARD]
    return list(dict.fromkeys([short_address(urls.absolute(page)), short_address(urls.site_url), BOARD]))


def village_list(places: tuple[Place, ...], limit: int = 6, spoken: bool = False) -> str:
    """甲镇乙村、甲镇丙村等8个村; `spoken`: as read aloud (等八个村)."""
    names = "、".join(p.full_name for p in places[:limit])
    count = spoken_integer(len(places)) if spoken else str(len(places))
    return names + (f"等{count}个村" if len(places) > limit else "")


def project_channels(renderer: Renderer, project: Project) -> Channels:
    urls = renderer.urls
    villages = sharing_villages(renderer.site, project)
    return Channels(
        project_sms(renderer.site, project, villages, where_to_read(renderer, urls.project(project))),
        urls.project_channel(project, SMS),
        urls.project_channel(project, BROADCAST),
        urls.project_channel(project, SHARE),
        urls.project_notice_a3(project),
        urls.project_feed(project),
    )


def place_channels(renderer: Renderer, place: Place) -> Channels:
    urls = renderer.urls
    rows = place_projects(renderer.site, place)
    shared = any(len(r.sharing) > 1 for r in rows)
    message = place_sms(
        renderer.site, place, [r.project for r in rows], where_to_read(renderer, urls.place(place)), shared
    )
    return Channels(
        message,
        urls.place_channel(place, SMS),
        urls.place_channel(place, BROADCAST),
        urls.place_channel(place, SHARE),
        urls.place_notice_a3(place),
        urls.place_feed(place),
    )


def _amount(value) -> tuple[str, str]:
    """A card's headline amount (rounded: gongshi.money.headline_wan) and the exact figure on the line below."""
    if not stated(value):
        return NOT_STATED, ""
    return f"{headline_wan(value)} 万元", _exact(value)


def _exact(value) -> str:
    return f"精确金额 {wan_text(value)} 万元" if is_rounded(value) else f"合 {yuan_text(value)} 元"


def invested(rows: tuple[PlaceProject, ...]) -> Total:
    """The investment of the projects concerning a place, added up with how many do not state one (shared with
    other villages: not the place's share)."""
    return total(row.project.investment for row in rows)


def _place_amount(sum_: Total, count: int) -> tuple[str, str]:
    """A village card's amount and the line under it: what the sum covers, short enough for one line."""
    if sum_.counted == 0:
        return NOT_STATED, f"{count} 个项目的投资原文件都没有写明"
    exact = f"，精确金额 {wan_text(sum_.amount)} 万元" if is_rounded(sum_.amount) else ""
    if sum_.complete:
        return f"{headline_wan(sum_.amount)} 万元", f"{count} 个项目的总投资，多村共享{exact}"
    return f"{headline_wan(sum_.amount)} 万元", f"已列明的 {sum_.counted} 项合计，另有 {sum_.missing} 项未列明{exact}"


def project_card(renderer: Renderer, project: Project) -> share_image.Card:
    site = renderer.site
    plan = site.plan(project.plan)
    amount, note = _amount(project.investment)
    villages = sharing_villages(site, project)
    units = "、".join(site.unit(u).name for u in project.responsible_units) if project.responsible_units else ""
    facts = [("实施地点", str(project.location))]
    if villages:
        facts.append(("受益村", village_list(villages)))
    if units:
        facts.append(("责任单位", units))
    facts.append(("项目状态", str(project.status)))  # a whole value: 原文件未列明 when not stated
    return share_image.Card(
        kicker=f"{site.config.title} · {plan.year}年{plan.projects_name}",
        title=project_name(site, project),
        amount=amount,
        amount_note=note,
        facts=tuple(facts),
        hotline=hotline(site),
        url=renderer.urls.absolute(renderer.urls.project(project)),
        title_ii=getattr(project, "title_ii", None) or "",
        footer="扫码或访问网站查看项目公示" if renderer.urls.site_url else "详见村务公开栏张贴的项目公示",
    )


def place_card(renderer: Renderer, place: Place) -> share_image.Card:
    site = renderer.site
    rows = place_projects(site, place)
    amount, note = _place_amount(invested(rows), len(rows))
    titles = "；".join(project_name(site, r.project) for r in rows)
    village = place.village
    return share_image.Card(
        kicker=f"{site.config.title} · 受益村",
        title=place.full_name,
        amount=amount,
        amount_note=note,
        facts=(("相关项目", titles),),
        hotline=hotline(site),
        url=renderer.urls.absolute(renderer.urls.place(place)),
        title_ii=(getattr(village, "name_ii", None) or "") if village else "",
        footer="扫码或访问网站查看本村公示" if renderer.urls.site_url else "详见村务公开栏张贴的公示",
        amount_label="相关项目的投资",
    )


def _text(page: GeneratedPage, src_uri: str) -> GeneratedPage:
    """A rendered text template as a plain-text file (UTF-8, CRLF-free, ends with a newline)."""
    return GeneratedPage(src_uri, (str(page.content).rstrip("\n") + "\n").encode("utf-8"))


def reach_pages(renderer: Renderer) -> Iterator[GeneratedPage]:
    """For each project and each village a record names: sms.txt, broadcast.txt, share.png and the A3 notice;
    for each project its simplified reading view."""
    site, urls = renderer.site, renderer.urls
    villages = [place for place in site.linked_places if place.is_village]
    cards = [project_card(renderer, p) for p in site.projects] + [place_card(renderer, p) for p in villages]
    # `gongshi check` composes every card (all that depends on the content) but draws no image: drawing takes
    # ~30 ms a card and writes into the build cache; the build draws them.
    images = iter(share_pngs(cards, renderer.cache_dir) if renderer.writes else [renderer.cache_dir] * len(cards))
    yield GeneratedPage(urls.yi_font, yi_subset(yi_text(site)))
    for project in site.projects:
        channels = project_channels(renderer, project)
        plan = site.plan(project.plan)
        sharing = sharing_villages(site, project)
        yield GeneratedPage(channels.sms_file, (channels.sms.text + "\n").encode("utf-8"))
        script = renderer.render(
            "broadcast_project.txt.j2", channels.broadcast_file, project=project, plan=plan, sharing=sharing
        )
        yield _text(script, channels.broadcast_file)
        yield GeneratedPage(channels.share_file, next(images))
        a3 = renderer.render(
            "notice_a3_project.md.j2",
            channels.a3,
            project=project,
            plan=plan,
            sharing=sharing,
            online=online(renderer, urls.project(project)),
            period=period_of(project, "plan"),
        )
        yield GeneratedPage(a3.src_uri, A3_FRONT_MATTER + str(a3.content))
        yield renderer.render(
            "project_simple.md.j2",
            urls.project_simple(project),
            project=project,
            plan=plan,
            sharing=sharing,
            channels=channels,
        )
    for place in villages:
        channels = place_channels(renderer, place)
        rows = place_projects(site, place)
        yield GeneratedPage(channels.sms_file, (channels.sms.text + "\n").encode("utf-8"))
        script = renderer.render(
            "broadcast_place.txt.j2", channels.broadcast_file, place=place, rows=rows, total=invested(rows)
        )
        yield _text(script, channels.broadcast_file)
        yield GeneratedPage(channels.share_file, next(images))
        a3 = renderer.render(
            "notice_a3_place.md.j2",
            channels.a3,
            place=place,
            rows=rows,
            total=invested(rows),
            online=online(renderer, urls.place(place)),
        )
        yield GeneratedPage(a3.src_uri, A3_FRONT_MATTER + str(a3.content))


def yi_text(site: Site) -> str:
    """Every Yi character the site's content holds, each once, in code point order (the font subset's input)."""
    records = [site.config, site.gazetteer, *site.units, *site.plans, *site.projects]
    text = "".join(json.dumps(r.model_dump(mode="json"), ensure_ascii=False) for r in records)
    return "".join(sorted({c for c in text if is_yi(c)}))


def page_meta(renderer: Renderer, thing: Project | Place, link) -> dict:
    """Front matter for a project's or village's page: Open Graph (title, summary, the share image, absolute
    addresses from `site_url` only) and, for a project, its simplified view."""
    urls, site = renderer.urls, renderer.site
    if isinstance(thing, Project):
        page, channels, card = urls.project(thing), project_channels(renderer, thing), project_card(renderer, thing)
        amount, _ = _amount(thing.investment)
        summary = f"规划投资：{amount} · 实施地点：{thing.location} · 状态：{thing.status}"
        title = project_name(site, thing)
        extra = {"gongshi_simple": link(urls.project_simple(thing))}
    else:
        page, channels, card = urls.place(thing), place_channels(renderer, thing), place_card(renderer, thing)
        rows = place_projects(site, thing)
        sum_ = invested(rows)
        amount = f"项目总投资 {wan(sum_.amount)}" if sum_.complete else f"项目投资：{total_wan(sum_)}"
        summary = f"{len(rows)} 个项目与本村有关，{amount}（多村共享）"
        title = thing.full_name
        extra = {}
    og = {"title": title, "description": summary}
    if urls.site_url:
        og |= {"url": urls.absolute(page), "image": urls.absolute(channels.share_file)}
        og |= {"image_width": share_image.WIDTH, "image_height": share_image.height(card)}
    return {"gongshi_og": og, **extra}


def spoken_name(site: Site, project: Project) -> str:
    """A project's name in a loudspeaker script, its numbers read aloud (2025年 → 二〇二五年); where the document
    states no title, the words that stand for it."""
    return spoken_text(project.title if stated(project.title) else project_name(site, project))


def spoken_funding(site: Site, project: Project) -> list[str]:
    """Each fund source of a project as read aloud: its name, and its amount where the document states it; an
    entry whose source has no stated name is left out (an amount alone would not say whose money it is)."""
    names = {s.id: s.name for s in site.plan(project.plan).funding}
    out = []
    for entry in project.funding:
        name = names.get(entry.source)
        parts = [spoken_text(name) if stated(name) else "", spoken_yuan(entry.amount) if stated(entry.amount) else ""]
        if parts[0]:
            out.append("".join(parts))
    return out


def spoken_changes(project: Project) -> list[str]:
    """Each approved change of a field (not of one entry of a list) as read aloud, once: 规划投资由一百万元调整为
    八十万元. The script states the values in force; this says what changed. A change whose before or after is
    not written is left out (a sentence cannot hold an unknown value)."""
    out = []
    for change in project.changes:
        row = path_row(Project, change.field)
        if row is None or "[" in change.field or change.before is None or change.after is None:
            continue
        before, after = (
            spoken_yuan(amount) if row.is_money and amount is not None else spoken_text(value)
            for value, amount in ((v, change_amount(v)) for v in (change.before, change.after))
        )
        out.append(f"{spoken_text(path_label(Project, change.field).replace('·', '的'))}由{before}调整为{after}")
    return out


def reach_helpers(renderer: Renderer) -> dict:
    site = renderer.site
    return {
        "project_channels": lambda project: project_channels(renderer, project),
        "place_channels": lambda place: place_channels(renderer, place),
        "page_meta": lambda thing, link: page_meta(renderer, thing, link),
        "spoken_yuan": spoken_yuan,
        "project_name": lambda project: project_name(site, project),
        "spoken_name": lambda project: spoken_name(site, project),
        "spoken_funding": lambda project: spoken_funding(site, project),
        "spoken_changes": spoken_changes,
        "spoken_number": lambda value: spoken_number(Decimal(value)),
        "spoken_text": lambda text: spoken_text(str(text)),
        "spoken_date": spoken_date,
        "spoken_digits": spoken_digits,
        "hotline": lambda: hotline(site),
        "village_list": village_list,
        "br": Markup("\n"),
    }


FAMILY = PageFamily("reach", reach_pages, reach_helpers)
