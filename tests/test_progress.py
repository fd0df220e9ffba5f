"""Progress reports, targets against results, dividends and photos — with invented fixtures, never Ebian figures."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, build_ok, copy_project, run_build
from helpers import edit, main_text
from PIL import Image

from gongshi.content.load import load_site
from gongshi.content.progress import disbursement, stale, target_status

FIXTURES = ROOT / "tests" / "fixtures" / "progress"
PARK = "content/projects/01-maoping-bamboo-park.md"
HQ = "content/projects/02-headquarters-innovation-platform.md"


def add_front_matter(project: Path, rel: str, text: str) -> None:
    """Append fields at the end of a record's front matter."""
    path = project / rel
    lines = path.read_text(encoding="utf-8").split("\n")
    end = lines.index("---", 1)
    path.write_text("\n".join(lines[:end] + text.rstrip("\n").split("\n") + lines[end:]), encoding="utf-8")


def draw_photos(folder: Path) -> None:
    """Two camera-sized images, one with EXIF metadata that must not be published."""
    Image.new("RGBA", (3000, 2000), (20, 120, 60, 255)).save(folder / "site-2025-06.png")
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    Image.new("RGB", (1000, 4000), (200, 80, 30)).save(folder / "crane.jpg", exif=exif)


def with_progress(project: Path) -> Path:
    for name in ("01-maoping-bamboo-park", "02-headquarters-innovation-platform"):
        add_front_matter(project, f"content/projects/{name}.md", (FIXTURES / f"{name}.yml").read_text("utf-8"))
    edit(project, PARK, "    comparator: 以上\n", "    comparator: 以上\n    actual: 16000\n")
    edit(project, HQ, "    comparator: 约\n", "    comparator: 约\n    actual: 1800\n")
    draw_photos(project / "content" / "projects")
    return project


@pytest.fixture(scope="module")
def progress_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = with_progress(copy_project(tmp_path_factory.mktemp("progress") / "project"))
    return build_ok(project)


def fixture(name: str) -> dict:
    return yaml.safe_load((FIXTURES / f"{name}.yml").read_text("utf-8"))


def test_timeline_and_disbursed_on_project_page(progress_site: Path):
    text = main_text(progress_site / "projects/maoping-bamboo-park/index.html")
    entries = fixture("01-maoping-bamboo-park")["progress"]
    section = text.split("进展与结果")[1].split("变更记录")[0]
    positions = []
    for entry in entries:
        when = entry["date"]
        positions.append(section.index(f"{when.year}年{when.month}月{when.day}日 · {entry['stage']}"))
        assert entry["note"] in section
    assert positions == sorted(positions)
    paid = Decimal(str(entries[-1]["disbursed"]))
    assert f"1,150 {paid} {Decimal(1150) - paid} {(paid * 100 / 1150).quantize(Decimal('0.1'))}%" in section
    assert "暂无进展更新" not in section


def test_project_without_progress_says_so_plainly(progress_site: Path):
    text = main_text(progress_site / "projects/nine-year-school/index.html")
    assert "进展与结果 暂无进展更新" in text


def test_target_status_met_missed_and_not_yet(progress_site: Path):
    park = main_text(progress_site / "projects/maoping-bamboo-park/index.html")
    assert "15,000㎡以上 16,000㎡ 已达成" in park
    hq = main_text(progress_site / "projects/headquarters-innovation-platform/index.html")
    # A report dated after the 2025-12-31 deadline shows 1800 against about 2000: missed.
    assert "约2,000㎡ 1,800㎡ 未达成" in hq
    jobs = main_text(progress_site / "projects/employment-assistance/index.html")
    assert "未报告 尚未报告实际值" in jobs and "未达成" not in jobs.split("“已达成”")[0]
    school = main_text(progress_site / "projects/nine-year-school/index.html")
    # A qualitative target is never shown as done: no planned words, no result yet.
    assert "定性目标，原文件未列明目标值 未报告 定性目标，尚未报告完成情况" in school


def test_missed_needs_a_report_after_the_deadline(project: Path):
    """The same shortfall before the deadline is 'not yet', never 'missed' — the clock plays no part."""
    add_front_matter(project, HQ, "progress:\n  - date: 2025-12-01\n    stage: 开工\n")
    edit(project, HQ, "    comparator: 约\n", "    comparator: 约\n    actual: 1800\n")
    site = load_site(project / "content", project)
    hq = next(p for p in site.projects if p.id == "headquarters-innovation-platform")
    assert target_status(hq, hq.targets[0]).code == "not_yet"


def test_dividends_paid_against_promise(progress_site: Path):
    text = main_text(progress_site / "projects/maoping-bamboo-park/index.html")
    paid = fixture("01-maoping-bamboo-park")["dividends_paid"][0]
    promised = Decimal("34.5")  # the record's promised annual dividend
    assert f"{paid['year']}年 {promised} {paid['amount']} 少付 {promised - Decimal(paid['amount'])}" in text


def test_progress_page_totals_by_category(progress_site: Path):
    text = main_text(progress_site / "progress/index.html")
    park = Decimal(str(fixture("01-maoping-bamboo-park")["progress"][-1]["disbursed"]))
    hq = Decimal(str(fixture("02-headquarters-innovation-platform")["progress"][-1]["disbursed"]))
    cluster = park + hq
    assert f"产业集群打造 1,650 {cluster} {(cluster * 100 / 1650).quantize(Decimal('0.1'))}% 2 / 2" in text
    total = Decimal("3952.310194")  # the published plan total
    assert f"合计 3,952.310194 {cluster} {(cluster * 100 / total).quantize(Decimal('0.1'))}% 2 / 11" in text
    assert "民生改善 1,212.310194 0 0.0% 0 / 4" in text
    assert "完工（1 个）：峨边总部经济园科技创新平台建设项目" in text
    assert "开工（1 个）：毛坪林竹产业加工园区建设项目" in text
    assert "暂无进展更新（9 个）" in text


def test_stale_flag_measured_from_content_dates(progress_site: Path):
    text = main_text(progress_site / "progress/index.html")
    # The data last changed on the latest fixture date; 90 days before it is the cutoff.
    last = dt.date(2026, 1, 15)
    assert f"在数据最后更新日期（{last.year}年{last.month}月{last.day}日）之前的 90 天内，以下 10 个项目" in text
    stale_part = text.split("超过 90 天没有进展更新")[1]
    assert "毛坪林竹产业加工园区建设项目：最近一次进展报告为 2025年6月1日" in stale_part
    assert "峨边总部经济园科技创新平台建设项目" not in stale_part
    park = main_text(progress_site / "projects/maoping-bamboo-park/index.html")
    assert "超过 90 天没有进展更新：最近一次进展报告为 2025年6月1日" in park
    assert "没有进展更新" not in main_text(progress_site / "projects/headquarters-innovation-platform/index.html")


def test_numbers_function_for_a_chart(project: Path):
    site = load_site(with_progress(project) / "content", project)
    rows, total = disbursement(site, site.plans[0])
    assert [r.name for r in rows] == [c.name for c in site.plans[0].categories]
    assert total.planned == Decimal("3952.310194")
    assert total.disbursed == Decimal("460.25") + Decimal("500")
    assert sum((r.disbursed for r in rows), Decimal(0)) == total.disbursed
    assert [p.id for p, _ in stale(site)][:1] == ["maoping-bamboo-park"]


def test_photos_resized_without_metadata(progress_site: Path):
    folder = progress_site / "projects/maoping-bamboo-park/photos"
    wide = Image.open(folder / "site-2025-06.png.jpg")
    tall = Image.open(folder / "crane.jpg")
    assert wide.format == tall.format == "JPEG"
    assert wide.size == (1280, 853) and tall.size == (320, 1280)
    assert "SecretCam" not in (folder / "crane.jpg").read_bytes().decode("latin-1")
    html = (progress_site / "projects/maoping-bamboo-park/index.html").read_text("utf-8")
    assert 'src="photos/crane.jpg"' in html and 'src="photos/site-2025-06.png.jpg"' in html


def _digest(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def test_build_with_progress_is_byte_identical(progress_site: Path, tmp_path: Path):
    again = with_progress(copy_project(tmp_path / "again"))
    assert _digest(build_ok(again)) == _digest(progress_site)


@pytest.mark.parametrize(
    "fields, field, words",
    [
        (
            "progress:\n  - date: 2025-06-01\n    stage: 开工\n  - date: 2025-03-01\n    stage: 招标\n",
            "progress",
            "按日期从早到晚",
        ),
        (
            "progress:\n  - date: 2025-03-01\n    stage: 开工\n    disbursed: 300\n"
            "  - date: 2025-06-01\n    stage: 完工\n    disbursed: 200\n",
            "progress",
            "累计拨付不能减少",
        ),
        ("progress:\n  - date: 2025-03-01\n    stage: 动工\n", "progress[0].stage", "不是允许的取值"),
        (
            "progress:\n  - date: 2025-03-01\n    stage: 开工\n    photos: [missing.jpg]\n",
            "progress[0].photos[0]",
            "照片文件不存在",
        ),
        (
            "progress:\n  - date: 2025-03-01\n    stage: 开工\n    photos: [../site.yml]\n",
            "progress[0].photos[0]",
            "格式不对",
        ),
        (
            "dividends_paid:\n  - year: 2026\n    amount: 30\n  - year: 2026\n    amount: 4.5\n",
            "dividends_paid",
            "写了两次",
        ),
        ("dividends_paid:\n  - year: 2026\n    amount: 30万元\n", "dividends_paid[0].amount", "不要写单位"),
    ],
)
def test_bad_progress_gets_a_clear_error_and_no_site(project: Path, fields: str, field: str, words: str):
    add_front_matter(project, PARK, fields)
    result = run_build(project)
    assert result.returncode != 0
    assert not (project / "site" / "index.html").exists()
    lines = (project / PARK).read_text("utf-8").split("\n")
    top = field.split(".")[0].split("[")[0]
    line = next(i for i, text in enumerate(lines, start=1) if text.startswith(f"{top}:"))
    assert f"{PARK}:" in result.stderr and f"`{field}`" in result.stderr and words in result.stderr
    reported = int(result.stderr.split(f"{PARK}:")[1].split(":")[0])
    assert line <= reported <= line + 6


def test_funds_page_charts_disbursement_from_reports(progress_site: Path):
    """The funds page gains a disbursement chart whose table twin adds up the latest reported amounts."""
    park = Decimal(str(fixture("01-maoping-bamboo-park")["progress"][-1]["disbursed"]))
    hq = Decimal(str(fixture("02-headquarters-innovation-platform")["progress"][-1]["disbursed"]))
    html = (progress_site / "funds/index.html").read_text(encoding="utf-8")
    assert "disbursed" in html
    text = main_text(progress_site / "funds/index.html")
    section = text[text.index("2025年已拨付资金（据进展报告）") :]
    assert f"已报告拨付 {park + hq:,}" in section
    assert f"已拨付合计 {park + hq:,}" in section


def test_funds_page_has_no_disbursement_chart_without_reports(built_site: Path):
    assert "已拨付资金" not in main_text(built_site / "funds/index.html")
