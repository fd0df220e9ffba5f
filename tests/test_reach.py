"""Reaching readers, in the built site: portal identifiers, the village channels (text message, loudspeaker
script, share image, A3 notice), feeds, Yi beside Chinese, and villages placed from the county's own
coordinate files. Expectations come from the fixture files (tests/records.py, tests/fixtures/reach), never from
gongshi's own output."""

from __future__ import annotations

import datetime as dt
import math
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, build_ok, copy_project, run_build
from helpers import edit, main_text
from PIL import Image, ImageFont
from records import amount, fixture

REACH = ROOT / "tests" / "fixtures" / "reach"
RECORDS = fixture()
ATOM = "{http://www.w3.org/2005/Atom}"
TEA = "content/projects/01-tea-processing.md"


def _gongshi(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "gongshi", *args], cwd=project, capture_output=True, text=True, timeout=300
    )


# --- portal ---------------------------------------------------------------------------------------------

IDENTIFIERS = """portal: true
footer:
  sponsor: 样例县人民政府办公室
  site_code: "9901010001"
  icp: 样ICP备12345678号-1
  police: 样公网安备 99010102000001号
  correction_url: https://www.example.gov.cn/jiucuo/
  contact: 0000-0000000
"""


def test_portal_mode_requires_every_identifier_naming_the_field(project: Path):
    (project / "content/site.yml").write_text(
        (project / "content/site.yml").read_text(encoding="utf-8")
        + "portal: true\nfooter:\n  sponsor: 样例县人民政府办公室\n",
        encoding="utf-8",
    )
    result = run_build(project)
    assert result.returncode != 0
    for name in ("site_code", "icp", "police", "correction_url", "contact"):
        assert "content/site.yml:" in result.stderr and f"footer.{name}" in result.stderr, name
    assert "footer.sponsor" not in result.stderr
    assert "ICP备案号" in result.stderr and "公安机关备案号" in result.stderr and "网站标识码" in result.stderr


def test_portal_footer_shows_the_identifiers_and_links_icp_to_miit(project: Path):
    (project / "content/site.yml").write_text(
        (project / "content/site.yml").read_text(encoding="utf-8") + IDENTIFIERS, encoding="utf-8"
    )
    site = build_ok(project)
    html = (site / "projects/tea-processing/index.html").read_text(encoding="utf-8")
    footer = html[html.index("md-copyright") :]
    for text in (
        "样例县人民政府办公室",
        "9901010001",
        "样ICP备12345678号-1",
        "样公网安备 99010102000001号",
        "0000-0000000",
    ):
        assert text in footer, text
    assert re.search(r'<a href="https://beian\.miit\.gov\.cn/"[^>]*>样ICP备12345678号-1</a>', footer)
    assert "beian.mps.gov.cn" in footer and "99010102000001" in footer
    assert 'href="https://www.example.gov.cn/jiucuo/"' in footer


def test_a_site_without_portal_mode_shows_no_identifier(built_site: Path):
    html = (built_site / "index.html").read_text(encoding="utf-8")
    assert "gs-portal-footer" not in html and "ICP" not in html


# --- text message and loudspeaker script ------------------------------------------------------------------


def _villages(project: dict) -> list[str]:
    """The asset and beneficiary villages as the records write them (township + village)."""
    b = project.get("beneficiaries") or {}
    return [*(b.get("asset_villages") or []), *(b.get("villages") or [])]


def _headline(value) -> str:
    """A headline amount as issue 24 asks for it: two decimals of 万元 (half up) when the figure has more, else the
    figure as written; thousands separators."""
    exact = Decimal(str(value))
    if exact == exact.quantize(Decimal("0.01")):
        return amount(exact)
    return f"{exact.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}"


@pytest.mark.parametrize(
    ("exact", "headline"),
    [
        ("962.310194", "962.31"),
        ("3952.310194", "3,952.31"),
        ("1150", "1,150"),
        ("34.5", "34.5"),
        ("0.05", "0.05"),
        ("1000.004", "1,000.00"),
        ("0.125", "0.13"),
    ],
)
def test_a_headline_amount_is_rounded_to_two_decimals_of_wan(exact: str, headline: str):
    from gongshi.money import headline_wan

    assert headline_wan(Decimal(exact)) == headline
    assert headline_wan(Decimal(exact), grouped=False) == headline.replace(",", "")


def test_every_text_message_fits_one_sms_and_says_what_it_must(built_site: Path):
    phone = next(str(c["phone"]) for c in RECORDS.site["contacts"] if c.get("phone"))
    assert any(_headline(p["investment"]) != amount(p["investment"]) for p in RECORDS.projects)  # one is rounded
    for project in RECORDS.projects:
        text = (built_site / f"projects/{project['id']}/sms.txt").read_text(encoding="utf-8").rstrip("\n")
        assert len(text) <= 70, text
        assert f"投资{_headline(project['investment']).replace(',', '')}万元" in text, text
        assert phone in text and "村务公开栏" in text  # no site_url: the village board
        assert project["title"][:6] in text
        villages = _villages(project)
        if villages:
            township = villages[0][:3]
            assert township in text, text
    for path in sorted(built_site.glob("places/*/sms.txt")):
        text = path.read_text(encoding="utf-8").rstrip("\n")
        assert len(text) <= 70 and phone in text and "个项目与本村有关" in text, text


def test_a_long_title_is_shortened_not_the_figures(project: Path):
    long = "青山镇" + "茶叶" * 60 + "加工厂建设项目"
    edit(project, TEA, "title: 青山镇茶叶加工厂建设项目", f"title: {long}")
    site = build_ok(project, project / "site")
    text = (site / "projects/tea-processing/sms.txt").read_text(encoding="utf-8").rstrip("\n")
    assert len(text) <= 70 and "…" in text and "480万元" in text and "12317" in text, text


@pytest.mark.parametrize(
    ("wan", "spoken"),
    [
        ("1150", "一千一百五十万元"),
        ("480", "四百八十万元"),
        ("34.5", "三十四万五千元"),
        ("3952.310194", "三千九百五十二万三千一百零一元九角四分"),
        ("0.05", "五百元"),
        ("1001.000005", "一千零一万元零五分"),
        ("10", "十万元"),
    ],
)
def test_amounts_are_read_as_spoken_numbers(wan: str, spoken: str):
    from gongshi.web.spoken import spoken_yuan

    assert spoken_yuan(Decimal(wan)) == spoken


def test_loudspeaker_script_reads_every_number_aloud(built_site: Path):
    from gongshi.web.spoken import spoken_yuan

    for project in RECORDS.projects:
        script = (built_site / f"projects/{project['id']}/broadcast.txt").read_text(encoding="utf-8")
        assert project["title"] in script
        assert spoken_yuan(Decimal(project["investment"])) in script
        assert script.count("乡亲们") == 2  # read twice
        body = script.replace(project["title"], "")
        for unit in project.get("responsible_units") or []:
            body = body.replace(unit, "")
        assert not re.search(r"\d", body), re.findall(r".{8}\d+.{4}", body)
        assert "一二三一七" in script  # the hotline digit by digit
    village = next(built_site.glob("places/*/broadcast.txt"))
    assert "万元" in village.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("监督电话：12317", "监督电话：一二三一七"),
        ("咨询0833-5123456或13912345678", "咨询零八三三五一二三四五六或一三九一二三四五六七八"),
        ("2025年完成85%", "二〇二五年完成百分之八十五"),
        ("共12个村1200户", "共十二个村一千二百户"),
        ("硬化道路3.5km", "硬化道路三点五公里"),
    ],
)
def test_text_is_read_with_every_number_in_words(text: str, spoken: str):
    from gongshi.web.spoken import spoken_text

    assert spoken_text(text) == spoken


MANY_VILLAGES = """  asset_villages:
    - 青山镇石门村
    - 青山镇红岩村
    - 白水乡桃平村
    - 白水乡白水村
    - 白水乡松树村
    - 青山镇柳溪村
    - 青山镇新桥村
"""


def test_a_project_of_many_villages_counts_them_in_words_and_in_its_message(project: Path):
    """Seven villages: the script says 等七个村 (no digit outside the title), the message says 7个村共享."""
    edit(project, TEA, "  asset_villages:\n    - 青山镇石门村\n    - 青山镇红岩村\n    - 白水乡桃平村\n", MANY_VILLAGES)
    site = build_ok(project, project / "site")
    script = (site / "projects/tea-processing/broadcast.txt").read_text(encoding="utf-8")
    assert "等七个村" in script
    body = script.replace("青山镇茶叶加工厂建设项目", "")
    for line in body.splitlines():
        if "责任单位" not in line:
            assert not re.search(r"\d", line), line
    text = (site / "projects/tea-processing/sms.txt").read_text(encoding="utf-8").rstrip("\n")
    assert "7个村共享" in text and "投资480万元" in text and len(text) <= 70, text


def test_channels_are_linked_from_project_and_village_pages(built_site: Path):
    for project in RECORDS.projects:
        html = (built_site / f"projects/{project['id']}/index.html").read_text(encoding="utf-8")
        for target in ("sms.txt", "broadcast.txt", "share.png", "feed.xml", "simple/", "../../notices/projects/"):
            assert f'href="{target}' in html or target in html, (project["id"], target)
    for page in built_site.glob("places/*/index.html"):
        if not (page.parent / "sms.txt").exists():
            continue
        html = page.read_text(encoding="utf-8")
        assert 'href="sms.txt"' in html and 'href="share.png"' in html and 'href="broadcast.txt"' in html
        assert "a3/" in html and 'href="feed.xml"' in html


# --- the share image: its text read back by drawing the expected text with the same font -------------------


def _cjk_font_file() -> tuple[str, int]:
    """Noto Sans CJK SC Bold as fontconfig finds it (not through gongshi), and the SC face's index."""
    from fontTools.ttLib import TTCollection

    path = subprocess.run(
        ["fc-match", "-f", "%{file}", "Noto Sans CJK SC:bold"], capture_output=True, text=True, check=True
    ).stdout
    fonts = TTCollection(path, lazy=True).fonts
    index = next(i for i, f in enumerate(fonts) if f["name"].getDebugName(1) == "Noto Sans CJK SC")
    return path, index


def _ink_lines(image: Image.Image) -> list[tuple[int, int, int, int]]:
    """Boxes of the lines of dark ink on white: rows with ink, grouped; each cropped to its ink."""
    grey = image.convert("L")
    width, height = grey.size
    pixels = grey.load()
    rows = [any(pixels[x, y] < 255 for x in range(width)) for y in range(height)]
    boxes, start = [], None
    for y, inked in enumerate([*rows, False]):
        if inked and start is None:
            start = y
        elif not inked and start is not None:
            box = grey.crop((0, start, width, y)).point(lambda v: 255 - v).getbbox()
            if box:
                boxes.append((box[0], start + box[1], box[2], start + box[3]))
            start = None
    return boxes


def _drawn(text: str, font: ImageFont.FreeTypeFont, ink: int = 0) -> Image.Image:
    canvas = Image.new("L", (int(font.getlength(text)) + 40, font.size * 2), 255)
    from PIL import ImageDraw

    ImageDraw.Draw(canvas).text((20, 10), text, font=font, fill=ink)
    return canvas.crop(canvas.point(lambda v: 255 - v).getbbox())


def _reads(image: Image.Image, box: tuple[int, int, int, int], text: str, path: str, index: int) -> bool:
    """Whether the ink in `box` is `text` drawn in the font at some size: pixel for pixel, within antialiasing; in
    the darkest grey the box holds (a note is grey, not black)."""
    crop = image.convert("L").crop(box)
    ink = crop.getextrema()[0]
    for size in range(30, 130):
        font = ImageFont.truetype(path, size, index=index)
        left, top, right, bottom = font.getbbox(text)
        if abs((bottom - top) - crop.height) > 2 or (right - left) < crop.width:
            continue
        drawn = _drawn(text, font, ink)
        if drawn.size != crop.size:
            continue
        diff = [abs(a - b) for a, b in zip(drawn.getdata(), crop.getdata())]
        if max(diff) <= 8:
            return True
    return False


def test_share_image_says_the_projects_name_and_amount(built_site: Path):
    path, index = _cjk_font_file()
    for project in RECORDS.projects:
        image = Image.open(built_site / f"projects/{project['id']}/share.png")
        assert image.size[0] == 1080
        boxes = _ink_lines(image)
        title, found = project["title"], []
        for box in boxes:  # the name, wrapped over one or more lines
            rest = title[len("".join(found)) :]
            if not rest:
                break
            line = next((rest[:k] for k in range(len(rest), 0, -1) if _reads(image, box, rest[:k], path, index)), None)
            if line:
                found.append(line)
        assert "".join(found) == title, (project["id"], found)
        headline = f"{_headline(project['investment'])} 万元"
        at = next((i for i, box in enumerate(boxes) if _reads(image, box, headline, path, index)), None)
        assert at is not None, (project["id"], headline)
        if headline != f"{amount(project['investment'])} 万元":  # rounded: the exact figure on the line below
            exact = f"精确金额 {amount(project['investment'])} 万元"
            regular = (path.replace("Bold", "Regular"), index)
            assert _reads(image, boxes[at + 1], exact, *regular), (project["id"], exact)


POOLED = """
import hashlib, json, sys
from pathlib import Path
from gongshi.content.load import load_site
from gongshi.web import share_files
from gongshi.web.pages import reach
from gongshi.web.plugin import make_renderer

started = []


class Pool(share_files.ProcessPoolExecutor):
    def __init__(self, workers, **kwargs):
        started.append(workers)
        super().__init__(workers, **kwargs)


share_files.ProcessPoolExecutor = Pool
root = Path(sys.argv[1])
renderer = make_renderer(load_site(root / "content", root), root / "templates")
villages = [p for p in renderer.site.linked_places if p.is_village]
cards = [reach.project_card(renderer, p) for p in renderer.site.projects]
cards += [reach.place_card(renderer, p) for p in villages]
images = share_files.share_pngs(cards, Path(sys.argv[2]), pool_min=1)
print(json.dumps({"workers": started, "images": [hashlib.sha256(i.read_bytes()).hexdigest() for i in images]}))
"""


def _sha(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_share_images_drawn_in_worker_processes_are_the_same(built_site: Path, tmp_path: Path):
    """Many share images are drawn in forked workers (in a fresh process, as `mkdocs build` runs no thread, into an
    empty cache); they are the images the build wrote, in order."""
    import json
    import os

    root = built_site.parent
    cache = tmp_path / "cache"
    done = subprocess.run(
        [sys.executable, "-c", POOLED, str(root), str(cache)], capture_output=True, text=True, cwd=root
    )
    assert done.returncode == 0, done.stderr
    pooled = json.loads(done.stdout)
    if len(os.sched_getaffinity(0)) > 1:
        assert pooled["workers"] and pooled["workers"][0] > 1  # the workers were used
    written = [built_site / f"projects/{p['id']}/share.png" for p in RECORDS.projects]
    written += sorted(built_site.glob("places/*/share.png"))
    assert len(pooled["images"]) == len(written)
    assert pooled["images"][: len(RECORDS.projects)] == [_sha(p) for p in written][: len(RECORDS.projects)]
    assert sorted(pooled["images"]) == sorted(_sha(p) for p in written)


def test_share_images_are_drawn_only_when_what_they_show_changes(built_site: Path, tmp_path: Path):
    """Share images are files in the build cache named by what they show: asked again, none is drawn again; a
    changed card is drawn anew and its old image removed; the cache holds the current images only."""
    from dataclasses import replace

    from gongshi.content.load import load_site
    from gongshi.web import share_image
    from gongshi.web.pages import reach
    from gongshi.web.plugin import make_renderer
    from gongshi.web.share_files import share_pngs

    root = built_site.parent
    renderer = make_renderer(load_site(root / "content", root), root / "templates")
    cards = [reach.project_card(renderer, p) for p in renderer.site.projects]
    cache = tmp_path / "cache"
    first = share_pngs(cards, cache)
    assert len(set(first)) == len(cards) == len(RECORDS.projects)
    stamps = [(p.stat().st_ino, p.stat().st_mtime_ns) for p in first]
    again = share_pngs(cards, cache)
    assert again == first and [(p.stat().st_ino, p.stat().st_mtime_ns) for p in again] == stamps
    changed = [replace(cards[0], title=cards[0].title + "（调整）"), *cards[1:]]
    third = share_pngs(changed, cache)
    assert third[1:] == first[1:] and third[0] != first[0]
    assert not first[0].exists()
    assert third[0].read_bytes() == share_image.render(changed[0])
    assert sorted((cache / "share").iterdir()) == sorted(third)


def test_an_edited_record_gets_a_new_share_image_from_the_cache(project: Path):
    """A rebuild after a record's title changed: that project's share image is drawn again (it shows the new
    title), the others are the cached files, and the site's images are exactly the cache's."""
    site = build_ok(project)
    first = RECORDS.projects[0]
    before = {p["id"]: _sha(site / f"projects/{p['id']}/share.png") for p in RECORDS.projects}
    rel = "content/" + RECORDS.files[first["id"]].relative_to(RECORDS.content).as_posix()
    edit(project, rel, f"title: {first['title']}", f"title: {first['title']}（调整）")
    build_ok(project)
    after = {p["id"]: _sha(site / f"projects/{p['id']}/share.png") for p in RECORDS.projects}
    assert after[first["id"]] != before[first["id"]]
    assert {k: v for k, v in after.items() if k != first["id"]} == {k: v for k, v in before.items() if k != first["id"]}
    cached = sorted(_sha(p) for p in (project / ".cache/gongshi/share").iterdir())
    assert cached == sorted(_sha(p) for p in site.rglob("share.png"))


def test_share_image_reading_fails_on_other_text(built_site: Path):
    """The check can fail: another project's name is not read in this image."""
    path, index = _cjk_font_file()
    image = Image.open(built_site / f"projects/{RECORDS.projects[0]['id']}/share.png")
    other = RECORDS.projects[1]["title"]
    assert not any(_reads(image, box, other[: len(other) // 2], path, index) for box in _ink_lines(image))


def _latin_font() -> str:
    """A font file with no Chinese glyph: DejaVu Sans, as fontconfig lists it (Debian's fonts-dejavu-core)."""
    files = subprocess.run(
        ["fc-list", "-f", "%{file}\n", "DejaVu Sans"], capture_output=True, text=True, check=True
    ).stdout.split()
    return next(f for f in files if f.endswith("/DejaVuSans.ttf"))


def test_a_build_that_cannot_draw_chinese_fails_naming_the_font_package(project: Path):
    """A font without Chinese glyphs (what fontconfig falls back to without fonts-noto-cjk) would draw every
    Chinese character of a share image as a box: the build stops and says what to install, in both languages."""
    result = run_build(project, env={"GONGSHI_CJK_FONT": _latin_font()})
    assert result.returncode != 0
    assert not (project / "site/projects/tea-processing/share.png").exists()
    for words in ("fonts-noto-cjk", "GONGSHI_CJK_FONT", "DejaVuSans.ttf", "无法绘制中文", "cannot draw Chinese"):
        assert words in result.stderr, (words, result.stderr[-600:])


def test_a_card_character_the_font_lacks_is_drawn_as_the_missing_glyph_mark(built_site: Path, caplog):
    """A rare character outside the font (CJK Extension B, as some village names have) does not stop the build
    and is never drawn as the font's empty box: the image is the one of the same card with 〓 in its place (the
    printers' mark for a character they cannot set), and the build log names the character."""
    import logging

    from gongshi.web import share_image
    from gongshi.web.fonts import is_cjk
    from gongshi.web.share_files import share_pngs

    rare = "\U0002a6d6"  # CJK Extension B, outside Noto Sans CJK SC
    assert is_cjk(rare)
    card = share_image.Card(
        kicker="样例", title=f"白水乡{rare}村", amount="1 万元", amount_note="", facts=(("村", rare),)
    )
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.gongshi"):
        (path,) = share_pngs([card], built_site.parent / "rare-cache")
    marked = share_image.Card(kicker="样例", title="白水乡〓村", amount="1 万元", amount_note="", facts=(("村", "〓"),))
    assert path.read_bytes() == share_image.render(marked)
    assert path.read_bytes() != share_image.render(
        share_image.Card(kicker="样例", title="白水乡村", amount="1 万元", amount_note="", facts=(("村", ""),))
    )
    assert rare in caplog.text and "〓" in caplog.text


@pytest.mark.parametrize(
    "title",
    [
        "峨边彝族自治县2025年GPS定位系统升级改造项目（第二期）",
        "勒乌乡柑子村产业路硬化及配套设施建设项目",
        "白水乡食用菌种植基地项目",
        "Solar pumping station upgrade for Baishui township 2025",
        "沙坪镇1,276.45平方米厂房及冷链仓储建设项目。",
    ],
)
def test_card_titles_wrap_between_words_never_inside_one(title: str):
    """At every width a phone card may use, the title's lines put the title back together, break no Latin word or
    number, start no line with closing punctuation and end with no lone character."""
    from gongshi.web import share_image

    font = share_image._font(68, True)
    words = [m.span() for m in re.finditer(r"[A-Za-z0-9]+(?:[.,][0-9]+)*", title)]
    for width in range(300, 953, 37):
        lines = share_image.wrap(title, font, width)
        assert "".join(lines).replace(" ", "") == title.replace(" ", ""), lines
        assert all(font.getlength(line) <= width for line in lines), (width, lines)
        if len(lines) > 1:
            assert len(lines[-1]) > 1, (width, lines)
        ends, at = [], 0
        for line in lines[:-1]:
            at = title.index(line, at) + len(line)
            ends.append(at)
        for start, stop in words:
            if font.getlength(title[start:stop]) <= width:  # a word wider than a line has to be broken
                assert not any(start < end < stop for end in ends), (width, lines, title[start:stop])
        assert not any(line[0] in "，。、；：）" for line in lines), lines


def _gaps(image: Image.Image) -> list[int]:
    """The heights of the blank bands of a card: above the first ink, between lines, below the last."""
    boxes = _ink_lines(image)
    tops = [b[1] for b in boxes] + [image.size[1]]
    bottoms = [0] + [b[3] for b in boxes]
    return [top - bottom for top, bottom in zip(tops, bottoms)]


def test_share_cards_have_no_blank_fifth(built_site: Path):
    """Each card is as tall as what it says (1080 wide, at most 4:5): no blank band a fifth of its height."""
    cards = [built_site / f"projects/{p['id']}/share.png" for p in RECORDS.projects]
    cards += sorted(built_site.glob("places/*/share.png"))
    for path in cards:
        image = Image.open(path)
        width, height = image.size
        assert width == 1080 and height <= 1350, (path, image.size)
        assert max(_gaps(image)) < height / 5, (path, _gaps(image))


def test_a_card_too_long_for_a_phone_screen_is_cut_not_stretched(tmp_path: Path):
    """Many facts: the card stops at 4:5 and the last fact shown ends with …."""
    from gongshi.web import share_image

    facts = tuple((f"事项{i}", "白水乡" * 20) for i in range(12))
    card = share_image.Card(
        kicker="样例县", title="白水乡食用菌种植基地项目", amount="1 万元", amount_note="", facts=facts
    )
    image = Image.open(__import__("io").BytesIO(share_image.render(card)))
    assert image.size == (1080, 1350)
    assert max(_gaps(image)) < 1350 / 5


def test_open_graph_tags_point_at_the_share_image_when_the_site_has_an_address(tmp_path: Path):
    project = copy_project(tmp_path / "project")
    result = run_build(project, env={"SITE_URL": "https://www.example.gov.cn/zt/gongshi/"})
    assert result.returncode == 0, result.stderr
    html = (project / "site/projects/tea-processing/index.html").read_text(encoding="utf-8")
    assert (
        '<meta property="og:image" content="https://www.example.gov.cn/zt/gongshi/projects/tea-processing/share.png">'
        in html
    )
    assert '<meta property="og:title" content="青山镇茶叶加工厂建设项目">' in html
    assert '<meta property="og:url" content="https://www.example.gov.cn/zt/gongshi/projects/tea-processing/">' in html
    sms = (project / "site/projects/tea-processing/sms.txt").read_text(encoding="utf-8")
    assert "www.example.gov.cn/zt/gongshi" in sms and len(sms.rstrip("\n")) <= 70


def test_text_messages_link_the_page_itself_and_say_when_an_amount_is_shared(tmp_path: Path):
    """With a short site address, each message links its own project or village page (not the home page), a
    project several villages share says how many share its amount, a name keeps at least its first 7 characters
    (the rest gives way to the link), and it fits one SMS."""
    project = copy_project(tmp_path / "project")
    result = run_build(project, env={"SITE_URL": "https://g.cn/"})
    assert result.returncode == 0, result.stderr
    site = project / "site"
    for record in RECORDS.projects:
        text = (site / f"projects/{record['id']}/sms.txt").read_text(encoding="utf-8").rstrip("\n")
        assert len(text) <= 70, text
        assert f"详见g.cn/projects/{record['id']}，" in text, text
        assert record["title"][:7] in text, text
        villages = _villages(record)
        if len(villages) > 1:
            assert f"{len(villages)}个村共享" in text, text
        else:
            assert "共享" not in text, text
    pages = sorted(site.glob("places/*/sms.txt"))
    assert pages
    for path in pages:
        text = path.read_text(encoding="utf-8").rstrip("\n")
        assert len(text) <= 70 and f"详见g.cn/places/{path.parent.name}，" in text, text


def test_a_long_address_falls_back_to_the_home_page_before_the_name_is_cut(project: Path):
    """An address too long for the page's own link: the message links the site's home; one too long for that, the
    village board. The figures stay whole."""
    for address, where in (
        ("https://www.example.gov.cn/zt/gongshi/", "www.example.gov.cn/zt/gongshi"),
        ("https://www.example.gov.cn/zt/xiangcun-zhenxing/gongshi-wangzhan/", "村务公开栏"),
    ):
        result = run_build(project, env={"SITE_URL": address})
        assert result.returncode == 0, result.stderr
        text = (project / "site/projects/tea-processing/sms.txt").read_text(encoding="utf-8").rstrip("\n")
        assert len(text) <= 70, text
        assert f"详见{where}，" in text, text
        assert "投资480万元" in text and "12317" in text and "3个村共享" in text, text


# --- feeds -------------------------------------------------------------------------------------------------


def test_each_project_and_village_has_a_feed_of_what_happened(built_site: Path):
    for project in RECORDS.projects:
        feed = ET.parse(built_site / f"projects/{project['id']}/feed.xml").getroot()
        entries = feed.findall(f"{ATOM}entry")
        expected = len(project.get("progress") or []) + len(project.get("changes") or [])
        expected += len(project.get("notices") or [])
        assert len(entries) >= expected, project["id"]
        for report in project.get("progress") or []:
            assert any(e.findtext(f"{ATOM}updated", "").startswith(str(report["date"])) for e in entries)
        html = (built_site / f"projects/{project['id']}/index.html").read_text(encoding="utf-8")
        assert 'href="feed.xml" type="application/atom+xml"' in html and "订阅" in html
    village = next(p for p in built_site.glob("places/*/feed.xml"))
    assert ET.parse(village).getroot().tag == f"{ATOM}feed"


# --- A3 large print ----------------------------------------------------------------------------------------


def test_a3_notice_has_the_essentials_in_large_print(built_site: Path):
    for project in RECORDS.projects:
        page = built_site / f"notices/projects/{project['id']}/a3/index.html"
        text = main_text(page)
        assert project["title"] in text and amount(project["investment"]) in text
        assert "notice-a3.css" in page.read_text(encoding="utf-8")


# --- Yi beside Chinese -------------------------------------------------------------------------------------


def with_yi(project: Path) -> Path:
    """The test county with Yi versions of a few fields of one record and one village (fixtures/reach)."""
    from variants import add_front_matter

    add_front_matter(project, TEA, (REACH / "yi-record.yml").read_text(encoding="utf-8"))
    edit(
        project,
        "content/places.yml",
        "        official_name: 石门村村民委员会\n",
        "        official_name: 石门村村民委员会\n" + (REACH / "yi-places.yml").read_text(encoding="utf-8"),
    )
    with (project / "content/places.yml").open("a", encoding="utf-8") as f:
        f.write("translation:\n  translator: 测试译者（虚构）\n  reviewer: 测试审校（虚构）\n")
    return project


@pytest.fixture(scope="module")
def yi_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_ok(with_yi(copy_project(tmp_path_factory.mktemp("yi") / "project")))


def _yi(text: str) -> str:
    return "".join(c for c in text if "\ua000" <= c <= "\ua4cf")


def test_yi_shows_after_the_chinese_marked_ii_with_its_translators(yi_site: Path):
    record = yaml.safe_load((REACH / "yi-record.yml").read_text(encoding="utf-8"))
    html = (yi_site / "projects/tea-processing/index.html").read_text(encoding="utf-8")
    for name in ("title_ii", "location_ii", "body_ii"):
        assert re.search(rf'lang="ii"[^>]*>{re.escape(record[name])}<', html), name
    assert html.index("青山镇茶叶加工厂建设项目") < html.index(record["title_ii"])
    assert "测试译者（虚构）" in html and "测试审校（虚构）" in html
    notice = (yi_site / "notices/projects/tea-processing/index.html").read_text(encoding="utf-8")
    assert f'<span lang="ii" class="gs-ii">{record["title_ii"]}</span>' in notice and "测试译者（虚构）" in notice
    village = (yi_site / "places/990101100201/index.html").read_text(encoding="utf-8")
    assert 'lang="ii"' in village and "ꌧꂷꑳ" in village


def test_yi_font_is_subset_to_the_characters_the_site_uses(yi_site: Path, built_site: Path):
    from fontTools.ttLib import TTFont

    used = set(_yi((REACH / "yi-record.yml").read_text(encoding="utf-8") + "ꌧꂷꑳ"))
    font = TTFont(yi_site / "assets/gongshi/fonts/gongshi-yi.woff")
    cmap = {chr(c) for c in font.getBestCmap() if "\ua000" <= chr(c) <= "\ua4cf"}
    assert cmap == used
    assert "Nuosu" not in font["name"].getDebugName(1)  # a subset may not carry the reserved name
    plain = TTFont(built_site / "assets/gongshi/fonts/gongshi-yi.woff")
    assert not [c for c in plain.getBestCmap() if 0xA000 <= c <= 0xA4CF]


def test_yi_without_translator_is_an_error_naming_the_field(project: Path):
    from variants import add_front_matter

    add_front_matter(project, TEA, "title_ii: ꊿꂘꐥ\n")
    result = _gongshi(project, "check")
    assert result.returncode == 1
    assert "01-tea-processing.md" in result.stderr and "title_ii" in result.stderr and "translation" in result.stderr


def test_chinese_in_a_yi_field_is_refused(project: Path):
    from variants import add_front_matter

    add_front_matter(project, TEA, "title_ii: 青山镇\ntranslation: {translator: 甲, reviewer: 乙}\n")
    result = _gongshi(project, "check")
    assert result.returncode == 1 and "title_ii" in result.stderr and "彝文" in result.stderr


def test_ebian_yi_text_names_its_translator_and_reviewer():
    """A rule of the live content that holds for any valid edit: Yi is only ever a reviewed translation. (Ebian has
    none today; nothing is invented for it, and the fixtures above prove the feature.)"""
    for path in (ROOT / "content").rglob("*"):
        if path.suffix not in (".md", ".yml"):
            continue
        text = path.read_text(encoding="utf-8")
        if _yi(text) or re.search(r"(?m)^\s*\w+_ii:", text):
            assert re.search(r"(?m)^\s*translator:\s*\S", text), path
            assert re.search(r"(?m)^\s*reviewer:\s*\S", text), path


# --- villages placed from the county's coordinate files ------------------------------------------------------


def _wgs_to_gcj(lon: float, lat: float) -> tuple[float, float]:
    """The published GCJ-02 forward transform, written here independently of gongshi's import."""
    a, ee = 6378245.0, 0.00669342162296594323
    x, y = lon - 105.0, lat - 35.0
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    dlat += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    dlat += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    dlat += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    dlon += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    dlon += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    dlon += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    rad = lat / 180.0 * math.pi
    magic = 1 - ee * math.sin(rad) ** 2
    sqrt_magic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((a * (1 - ee)) / (magic * sqrt_magic) * math.pi)
    dlon = (dlon * 180.0) / (a / sqrt_magic * math.cos(rad) * math.pi)
    return lon + dlon, lat + dlat


def _coordinates(project: Path) -> dict[str, dict]:
    places = yaml.safe_load((project / "content/places.yml").read_text(encoding="utf-8"))
    return {
        f"{t['name']}{v['name']}": v["coordinates"]
        for t in places["townships"]
        for v in t.get("villages") or []
        if v.get("coordinates")
    }


def test_kml_and_gpx_place_villages_on_the_map(project: Path):
    shutil.copy(REACH / "visits.kml", project / "visits.kml")
    shutil.copy(REACH / "visits.gpx", project / "visits.gpx")
    dry = _gongshi(project, "places", "coordinates", "visits.kml")
    assert dry.returncode == 0 and not _coordinates(project)  # without --write nothing changes
    kml = _gongshi(project, "places", "coordinates", "visits.kml", "--write")
    assert kml.returncode == 0, kml.stderr
    assert "不存在村" in kml.stderr  # reported by name
    gpx = _gongshi(project, "places", "coordinates", "visits.gpx", "--write")
    assert gpx.returncode == 0, gpx.stderr
    assert "月亮村" in gpx.stderr
    found = _coordinates(project)
    assert set(found) == {"青山镇石门村", "青山镇红岩村", "白水乡桃坪村", "白水乡龙潭村"}
    # GCJ-02 points were converted: the recorded WGS-84 point transforms forward to the file's GCJ-02 point.
    kml_points = {"青山镇石门村": (103.702149, 29.597220), "青山镇红岩村": (103.852083, 29.672150)}
    for name, (glon, glat) in kml_points.items():
        c = found[name]
        assert c["crs"] == "WGS-84" and "visits.kml" in c["source"] and "GCJ-02" in c["source"]
        assert str(c["date"]) == "2025-06-01"
        lon, lat = _wgs_to_gcj(float(c["lon"]), float(c["lat"]))
        assert abs(lon - glon) < 2e-6 and abs(lat - glat) < 2e-6, (name, lon, lat)
    assert found["白水乡龙潭村"]["lon"] == 103.7 and found["白水乡龙潭村"]["lat"] == 29.52  # WGS-84 kept as given
    assert str(found["白水乡龙潭村"]["date"]) == "2025-07-15" and "visits.gpx" in found["白水乡龙潭村"]["source"]
    site = build_ok(project)
    html = (site / "places/map/index.html").read_text(encoding="utf-8")
    start = html.index('<svg class="gs-map-svg')
    svg = html[start : html.index("</svg>", start)]
    for code in ("990101100201", "990101100203", "990101201203", "990101201202"):
        assert re.search(rf'<a href="../{code}/" class="gs-map-place gs-mlv\d">', svg), code
    schematic = html[html.index('class="gs-schematic"') :]
    schematic = schematic[: schematic.index("文字列表")]
    assert "../990101100201/" not in schematic and "../990101100202/" in schematic  # placed ones leave it


def test_a_file_without_its_datum_asks_for_one(project: Path):
    shutil.copy(REACH / "visits.csv", project / "visits.csv")
    result = _gongshi(project, "places", "coordinates", "visits.csv", "--date", "2025-06-01")
    assert result.returncode == 1 and "--crs" in result.stderr
    result = _gongshi(project, "places", "coordinates", "visits.csv", "--crs", "WGS-84")
    assert result.returncode == 2 and "--date" in result.stderr
    result = _gongshi(
        project, "places", "coordinates", "visits.csv", "--crs", "CGCS2000", "--date", "2025-06-01", "--write"
    )
    assert result.returncode == 0, result.stderr
    assert _coordinates(project)["青山镇新桥村"]["crs"] == "CGCS2000"
    assert dt.date(2025, 6, 1)
