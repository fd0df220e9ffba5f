"""Progress reports, targets against results, dividends and photos — on the test county and its progress
variant (tests/fixtures/progress), with expectations read from the variant's own files."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import build_ok, copy_project, run_build
from helpers import edit, main_text
from PIL import Image
from records import Records, amount
from variants import MUSHROOM, ROAD, TEA, add_front_matter, with_progress

from gongshi.content.load import load_site
from gongshi.content.progress import disbursement, stale, target_status


def records(site: Path) -> Records:
    """What the files the site was built from say (the build's project folder holds content/ and site/)."""
    return Records(site.parent / "content")


def cn(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def latest_disbursed(record: dict) -> Decimal:
    return next((e["disbursed"] for e in reversed(record.get("progress", [])) if "disbursed" in e), Decimal(0))


def reports_disbursed(record: dict) -> bool:
    return any("disbursed" in e for e in record.get("progress", []))


def disbursement_cells(projects: list[dict]) -> str:
    """累计拨付, 拨付比例 and its coverage as the progress page shows them: over the reporting projects only."""
    reporting = [p for p in projects if reports_disbursed(p)]
    if not reporting:
        return "未报告 —"
    paid = sum((latest_disbursed(p) for p in reporting), Decimal(0))
    planned = sum((Decimal(str(p["investment"])) for p in reporting), Decimal(0))
    covers = "" if len(reporting) == len(projects) else f" {len(projects)} 个项目中 {len(reporting)} 个已报告"
    return f"{amount(paid)} {percent(paid, planned)}{covers}"


def percent(part: Decimal, whole: Decimal) -> str:
    return f"{(part * 100 / whole).quantize(Decimal('0.1'))}%"


def test_timeline_and_disbursed_on_project_page(progress_site: Path):
    mushroom = records(progress_site).project("mushroom-base")
    text = main_text(progress_site / "projects/mushroom-base/index.html")
    section = text.split("进展与结果")[1].split("变更记录")[0]
    positions = []
    for entry in mushroom["progress"]:
        positions.append(section.index(f"{cn(entry['date'])} · {entry['stage']}"))
        assert entry["note"] in section
    assert positions == sorted(positions)
    planned, paid = mushroom["investment"], latest_disbursed(mushroom)
    assert f"{amount(planned)} {amount(paid)} {amount(planned - paid)} {percent(paid, planned)}" in section
    assert "暂无进展更新" not in section


def test_project_without_progress_says_so_plainly(built_site: Path):
    assert "progress" not in records(built_site).project("skills-training")
    text = main_text(built_site / "projects/skills-training/index.html")
    assert "进展与结果 暂无进展更新" in text


def test_target_status_met_missed_and_not_yet(progress_site: Path):
    mushroom = main_text(progress_site / "projects/mushroom-base/index.html")
    assert "40个 42个 已达成" in mushroom
    road = main_text(progress_site / "projects/liuxi-road/index.html")
    # A report dated after the 2025-10-31 deadline shows 3.2 against 3.5: missed.
    assert "3.5公里 3.2公里 未达成" in road
    tea = main_text(progress_site / "projects/tea-processing/index.html")
    assert "未报告 尚未报告实际值" in tea and "未达成" not in tea.split("“已达成”")[0]
    training = main_text(progress_site / "projects/skills-training/index.html")
    assert "完成年度培训计划 定性目标（目标值：原文件未列明） 未报告 定性目标，尚未报告完成情况" in training


def test_missed_needs_a_report_after_the_deadline(project: Path):
    """The same shortfall before the deadline is 'not yet', never 'missed' — the clock plays no part."""
    add_front_matter(project, ROAD, "progress:\n  - date: 2025-10-01\n    stage: 开工\n")
    edit(project, ROAD, "    unit: 公里\n", "    unit: 公里\n    actual: 3.2\n")
    site = load_site(project / "content", project)
    road = next(p for p in site.projects if p.id == "liuxi-road")
    assert target_status(road, road.targets[0]).code == "not_yet"


def test_dividends_paid_against_promise(progress_site: Path):
    tea = records(progress_site).project("tea-processing")
    text = main_text(progress_site / "projects/tea-processing/index.html")
    (paid,) = tea["dividends_paid"]
    promised = tea["dividend"]["annual"]
    assert (
        f"{paid['year']}年 {amount(promised)} {amount(paid['amount'])} 少付 {amount(promised - paid['amount'])}" in text
    )


def test_progress_page_totals_by_category(progress_site: Path):
    content = records(progress_site)
    (plan,) = content.plans
    text = main_text(progress_site / "progress/index.html")
    for category in plan["categories"]:
        mine = content.in_category(plan, category)
        reporting = sum(1 for p in mine if reports_disbursed(p))
        assert (
            f"{category['name']} {amount(category['amount'])} {disbursement_cells(mine)} {reporting} / {len(mine)}"
            in text
        ), category["name"]
    reporting = sum(1 for p in content.projects if reports_disbursed(p))
    assert (
        f"合计 {amount(plan['total'])} {disbursement_cells(content.projects)} {reporting} / {len(content.projects)}"
        in text
    )
    for stage in ("开工", "完工"):
        titles = [p["title"] for p in content.projects if p.get("progress") and p["progress"][-1]["stage"] == stage]
        assert f"{stage}（{len(titles)} 个）：{'、'.join(titles)}" in text
    unreported = [p for p in content.projects if not p.get("progress")]
    assert f"暂无进展更新（{len(unreported)} 个）" in text


def test_stale_flag_measured_from_content_dates(progress_site: Path):
    content = records(progress_site)
    text = main_text(progress_site / "progress/index.html")
    # The data last changed on the latest date the records state; 90 days before it is the cutoff.
    last = max(
        [e["date"] for p in content.projects for e in p.get("progress", [])]
        + [d["date"] for p in content.projects for d in p.get("dividends_paid", []) if "date" in d]
    )
    cutoff = last - dt.timedelta(days=90)
    plan_date = content.plans[0]["date"]
    updated = {p["id"]: p["progress"][-1]["date"] if p.get("progress") else plan_date for p in content.projects}
    stale_ids = [pid for pid, day in updated.items() if day < cutoff]
    assert f"在数据最后更新日期（{cn(last)}）之前的 90 天内，以下 {len(stale_ids)} 个项目" in text
    stale_part = text.split("超过 90 天没有进展更新")[1]
    mushroom = content.project("mushroom-base")
    assert f"{mushroom['title']}：最近一次进展报告为 {cn(updated['mushroom-base'])}" in stale_part
    assert content.project("liuxi-road")["title"] not in stale_part
    page = main_text(progress_site / "projects/mushroom-base/index.html")
    assert f"超过 90 天没有进展更新：最近一次进展报告为 {cn(updated['mushroom-base'])}" in page
    assert "没有进展更新" not in main_text(progress_site / "projects/liuxi-road/index.html")


def test_numbers_function_for_a_chart(project: Path):
    site = load_site(with_progress(project) / "content", project)
    content = Records(project / "content")
    rows, total = disbursement(site, site.plans[0])
    assert [r.name for r in rows] == [c["name"] for c in content.plans[0]["categories"]]
    assert total.planned.value == content.plans[0]["total"]
    reporting = [p for p in content.projects if reports_disbursed(p)]
    assert total.disbursed.amount == sum((latest_disbursed(p) for p in reporting), Decimal(0))
    assert (total.reporting, total.projects) == (len(reporting), len(content.projects))
    assert sum((r.disbursed.amount for r in rows), Decimal(0)) == total.disbursed.amount
    assert [p.id for p, _ in stale(site)] == ["tea-processing", "mushroom-base", "water-supply", "skills-training"]


def test_photos_resized_without_metadata(progress_site: Path):
    folder = progress_site / "projects/mushroom-base/photos"
    wide = Image.open(folder / "site-2025-06.png.jpg")
    tall = Image.open(folder / "crane.jpg")
    assert wide.format == tall.format == "JPEG"
    assert wide.size == (1280, 853) and tall.size == (320, 1280)
    assert "SecretCam" not in (folder / "crane.jpg").read_bytes().decode("latin-1")
    html = (progress_site / "projects/mushroom-base/index.html").read_text("utf-8")
    assert 'src="photos/crane.jpg"' in html and 'src="photos/site-2025-06.png.jpg"' in html


def test_the_test_countys_own_photo_is_published(built_site: Path):
    (entry,) = records(built_site).project("tea-processing")["progress"]
    (name,) = entry["photos"]
    photo = Image.open(built_site / "projects/tea-processing/photos" / name)
    assert photo.format == "JPEG" and max(photo.size) <= 1280
    assert f'src="photos/{name}"' in (built_site / "projects/tea-processing/index.html").read_text("utf-8")


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
    add_front_matter(project, MUSHROOM, fields)
    result = run_build(project)
    assert result.returncode != 0
    assert not (project / "site" / "index.html").exists()
    lines = (project / MUSHROOM).read_text("utf-8").split("\n")
    top = field.split(".")[0].split("[")[0]
    line = next(i for i, text in enumerate(lines, start=1) if text.startswith(f"{top}:"))
    assert f"{MUSHROOM}:" in result.stderr and f"`{field}`" in result.stderr and words in result.stderr
    reported = int(result.stderr.split(f"{MUSHROOM}:")[1].split(":")[0])
    assert line <= reported <= line + 6


def test_funds_page_charts_disbursement_from_reports(built_site: Path, progress_site: Path):
    """The funds page's disbursement chart has a table twin that adds up the latest reported amounts."""
    partial = []
    for site in (built_site, progress_site):
        paid = sum((latest_disbursed(p) for p in records(site).projects), Decimal(0))
        html = (site / "funds/index.html").read_text(encoding="utf-8")
        assert 'data-chart="2025-disbursed"' in html
        text = main_text(site / "funds/index.html")
        section = text[text.index("2025年已拨付资金（据进展报告）") :]
        assert f"已报告拨付 {amount(paid)}" in section
        projects = records(site).projects
        reporting = [p for p in projects if reports_disbursed(p)]
        if len(reporting) < len(projects):  # a sum over some projects says how many it covers, twice
            partial.append(site)
            covers = f"{len(projects)} 个项目中 {len(reporting)} 个已报告"
            assert f"，{covers}）" in section and f"已拨付合计（{covers}） {amount(paid)}" in section
        else:
            assert f"已拨付合计 {amount(paid)}" in section
    assert partial, "one of the sites has projects without a report"


def test_funds_page_has_no_disbursement_chart_without_reports(project: Path):
    edit(project, TEA, "    disbursed: 144\n", "")
    site = build_ok(project)
    assert "已拨付资金" not in main_text(site / "funds/index.html")
    assert 'data-chart="2025-disbursed"' not in (site / "funds/index.html").read_text(encoding="utf-8")
