"""One project through its whole life under the 公示 rules: library → plan → change → completion → review.

The lifecycle county (tests/fixtures/lifecycle) is committed to git and built with `mkdocs build` after each
stage; each stage's project page, printed notice and downloads show what the rules ask of that stage. The
expected figures are read from the fixture's files here, not through gongshi.
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import build_ok, run_build
from helpers import edit, line_of, main_text
from lifecycle_county import FIXTURE, PLAN, ROAD, STAGES, TRAINING, lay_stage, lifecycle_project
from test_history import git

from gongshi.content.load import load_site
from gongshi.errors import ContentErrors

WHEN = {
    "library": "2025-01-05T09:00:00+08:00",
    "plan": "2025-02-28T09:00:00+08:00",
    "change": "2025-07-02T09:00:00+08:00",
    "completion": "2025-12-11T09:00:00+08:00",
    "review": "2026-01-15T09:00:00+08:00",
}
PAGE = "projects/village-road/index.html"
ATOM = "{http://www.w3.org/2005/Atom}"


def stage_record(stage: str) -> dict[str, Any]:
    """The road's record as the fixture writes it at a stage (read with PyYAML)."""
    for name in reversed(STAGES[: STAGES.index(stage) + 1]):
        path = (FIXTURE / "content" if name == "library" else FIXTURE / "stages" / name) / "projects/01-village-road.md"
        if path.is_file():
            return yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
    raise AssertionError(stage)


def notice(site: Path, stage: str) -> str:
    tail = "" if stage == "plan" else f"{stage}/"
    return main_text(site / f"notices/projects/village-road/{tail}index.html")


def read_csv(site: Path, name: str) -> list[dict[str, str]]:
    raw = (site / "data" / f"{name}.csv").read_bytes().removeprefix(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8"))))


def period_words(entry: dict[str, Any]) -> str:
    start, end = entry["start"], entry["end"]
    days = (end - start).days + 1
    return f"{start.year}年{start.month}月{start.day}日至{end.year}年{end.month}月{end.day}日（共 {days} 天）"


@pytest.fixture(scope="module")
def walk(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The county committed and built after each stage: stage → its built site."""
    root = tmp_path_factory.mktemp("lifecycle")
    project = lifecycle_project(root / "project", upto="library")
    git(project, "init", "-q", "-b", "main")
    sites = {}
    for stage in STAGES:
        lay_stage(project, stage)
        git(project, "add", "-A", "content")
        git(project, "commit", "-q", "-m", f"{stage}: 东村至西村产业路", when=WHEN[stage])
        sites[stage] = build_ok(project, root / f"site-{stage}")
    return sites


# --- library (入库) -------------------------------------------------------------------------------------


def test_library_stage_page_notice_and_download(walk: dict[str, Path]):
    site, record = walk["library"], stage_record("library")
    period = record["notices"][0]
    page = main_text(site / PAGE)
    assert f"项目入库公示 {period_words(period)}" in page
    assert f'data-gs-start="{period["start"].isoformat()}"' in (site / PAGE).read_text(encoding="utf-8")
    person = record["responsible_person"]
    assert f"{person['name']}（{person['post']}） {person['phone']}" in page
    assert "项目批复" not in page  # not approved yet: approval is not from the document, its row waits for it
    text = notice(site, "library")
    assert text.startswith(" 项目入库公示：" + record["title"])
    assert f"公示期：{period_words(period)}；公示地点：{period['where']}" in text
    assert f"责任人 {person['name']}（{person['post']}，{person['phone']}）" in text
    assert "〔产出·数量〕新建产业路：≥4公里" in text and "〔效益·社会效益〕群众出行条件：明显改善" in text
    start = period["start"]
    assert "项目批复" not in text and f"张贴日期：{start.year}年{start.month}月{start.day}日" in text
    rows = read_csv(site, "notices")
    assert [(r["project_id"], r["stage"], r["start"], r["end"]) for r in rows] == [
        ("village-road", "library", "2025-01-06", "2025-01-15")
    ]


# --- plan (计划) ----------------------------------------------------------------------------------------


def test_plan_stage_page_notice_and_download(walk: dict[str, Path]):
    site, record = walk["plan"], stage_record("plan")
    page = main_text(site / PAGE)
    approval = record["approval"]
    assert f"项目批复 {approval['number']}（2025年2月25日）" in page
    assert f"补助标准 {record['subsidy_standard']}" in page
    items = record["line_items"]
    for item in items:
        assert item["name"] in page
    total = sum(Decimal(str(i["amount"])) for i in items)
    assert total == Decimal(record["investment"]) and f"合计（规划投资 200 万元） {total}" in page
    assert "（第一批，2025年3月20日下达）" in page and "（往年结余）" in page
    assert "每个确权村的村集体每年收益不低于 3 万元（建成后每年）" in page
    text = notice(site, "plan")
    assert text.startswith(" 项目计划公示：" + record["title"])
    assert f"公示期：{period_words(record['notices'][1])}" in text
    assert (
        f"项目批复 {approval['number']}（2025年2月25日）" in text and f"补助标准 {record['subsidy_standard']}" in text
    )
    assert "投资明细 路基工程（4公里） 80 万元； 路面硬化（4公里） 110 万元； 排水及安全设施 10 万元" in text
    assert "保底收益 每个确权村每年不低于 3 万元；建成后每年" in text
    assert "（第一批，2025年3月20日）" in text
    line_items = read_csv(site, "line_items")
    assert sum(Decimal(r["amount_wan"]) for r in line_items) == total
    funding = read_csv(site, "funding")
    assert [(r["batch"], r["date"]) for r in funding if r["project_id"] == "village-road"] == [
        ("第一批", "2025-03-20"),
        ("往年结余", ""),
    ]


# --- change (调整) --------------------------------------------------------------------------------------


def test_change_stage_page_plan_page_feed_notice_and_download(walk: dict[str, Path]):
    site, record = walk["change"], stage_record("change")
    first = record["changes"][0]
    words = f"资金来源及规模第1项·来源金额：{first['before']} 万元 → {first['after']} 万元"
    page = main_text(site / PAGE)
    assert f"2025年7月1日 {first['approval']} {words} {first['reason']}" in page
    plan_page = main_text(site / "plans/2025/index.html")
    assert f"计划 2025年7月1日 {first['approval']} 资金来源第1项·金额：280 万元 → 270 万元" in plan_page
    assert f"{record['title']} 2025年7月1日 {first['approval']} {words}" in plan_page
    text = notice(site, "change")
    assert text.startswith(" 项目调整公示：" + record["title"])
    assert f"调整变更 2025年7月1日，{first['approval']}：资金来源及规模第1项·来源金额 180 万元 → 170 万元" in text
    assert f"公示期：{period_words(record['notices'][2])}" in text
    feed = ET.parse(site / "feed.xml").getroot()
    title = f"{record['title']}：调整变更（{first['approval']}）"
    summaries = [e.findtext(f"{ATOM}summary") for e in feed.iter(f"{ATOM}entry") if e.findtext(f"{ATOM}title") == title]
    assert f"{words}（{first['approval']}；原因：{first['reason']}）" in summaries
    changes = read_csv(site, "changes")
    assert [(r["field"], r["before"], r["after"]) for r in changes] == [
        ("funding[0].amount", "180", "170"),
        ("funding[1].amount", "20", "30"),
    ]
    recent = main_text(site / "changes/index.html")
    assert "经批准的调整变更" in recent and words in recent
    # the git history shows the same change as a commit
    assert "资金来源及规模第1项 来源金额：180 万元 → 170 万元" in page


def test_totals_reconcile_after_the_change_only_when_the_plan_records_it(tmp_path: Path):
    project = lifecycle_project(tmp_path / "project", upto="change")
    (project / PLAN).write_text((FIXTURE / "content/plans/2025.yml").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(ContentErrors) as caught:
        load_site(project / "content", project)
    errors = {(e.file, e.field) for e in caught.value.errors}
    assert errors == {(PLAN, "funding[0].amount"), (PLAN, "funding[1].amount")}


# --- completion (完工验收) --------------------------------------------------------------------------------


def test_completion_stage_page_notice_and_download(walk: dict[str, Path]):
    site, record = walk["completion"], stage_record("completion")
    done = record["completion"]
    disclosure = record["discrepancies"][0]["note"]
    page = main_text(site / PAGE)
    assert (
        f"结算金额 {done['settled']} 万元 管理费 {done['management_fee']} 万元 结余资金 {done['surplus']} 万元" in page
    )
    assert "核算（本站计算）：规划投资 200 − 结算 188.5 − 管理费 2 = 9.5 万元；报告的结余为 9.6 万元。" in page
    assert f"公开说明：原文件前后不一致 结余资金不等于 规划投资 − 结算金额 − 管理费：{disclosure}" in page
    assert "超过 90 天没有进展更新" not in page and "暂无进展更新" not in page
    progress = main_text(site / "progress/index.html")
    # Completion accounts are settlement, not a disbursement report: the project reported no disbursement.
    assert "产业路 200 未报告 — 0 / 1" in progress
    assert "东镇东村至西村产业路建设项目" not in progress.split("超过 90 天没有进展更新")[-1]
    assert f"验收（1 个）：{record['title']}" in progress  # its stage from the completion, not 暂无进展更新
    text = notice(site, "completion")
    assert text.startswith(" 项目完工验收公示：" + record["title"])
    for label, value in (("结算金额", "188.5 万元"), ("管理费", "2 万元"), ("结余资金", "9.6 万元")):
        assert f"{label}：{value}" in text
    assert "验收日期：2025年12月10日；验收单位：县交通运输局；验收结论：验收合格" in text
    assert f"差异说明 〔原文件前后不一致〕结余资金不等于 规划投资 − 结算金额 − 管理费：{disclosure}" in text
    assert "〔产出·数量〕新建产业路：≥4公里（实际：4.2）" in text
    assert disclosure not in notice(site, "plan")  # the plan notice does not show completion accounts
    plan_page = main_text(site / "plans/2025/index.html")
    assert f"项目的公开说明 {record['title']} 公开说明：原文件前后不一致" in plan_page
    row = next(r for r in read_csv(site, "projects") if r["id"] == "village-road")
    assert (row["completion_settled_wan"], row["completion_surplus_wan"], row["status"]) == ("188.5", "9.6", "已验收")


def test_inconsistent_completion_report_fails_until_disclosed(tmp_path: Path):
    """Planned 200, settled 188.5, fee 2, surplus stated 9.6: no site until the record discloses it."""
    project = lifecycle_project(tmp_path / "project", upto="completion")
    note_line = line_of(project, ROAD, "discrepancies:")
    lines = (project / ROAD).read_text(encoding="utf-8").splitlines(keepends=True)
    disclosed = "".join(lines[note_line - 1 : note_line + 3])
    edit(project, ROAD, disclosed, "")
    result = run_build(project)
    assert result.returncode != 0 and not (project / "site").exists()
    assert f"{ROAD}:{line_of(project, ROAD, 'surplus: 9.6')}: 字段 field `completion.surplus`" in result.stderr
    assert "结余资金不等于 规划投资 − 结算金额 − 管理费" in result.stderr
    assert "surplus is not investment − settled − management fee" in result.stderr
    assert "200 − 结算 188.5 − 管理费 2 = 9.5 万元" in result.stderr and "结余 9.6 万元" in result.stderr
    edit(project, ROAD, "---\n新建", disclosed + "---\n新建")
    site = build_ok(project)
    note = yaml.safe_load(disclosed)["discrepancies"][0]["note"]
    assert note in main_text(site / PAGE) and note in notice(site, "completion")


# --- review (绩效自评) ------------------------------------------------------------------------------------


def test_review_stage_page_notice_plan_review_ledger_and_download(walk: dict[str, Path]):
    site, record = walk["review"], stage_record("review")
    review = record["review"]
    page = main_text(site / PAGE)
    assert "绩效自评 年度资金 200 万元 执行数 190.5 万元（结算金额＋管理费） 执行率（本站计算） 95.2%" in page
    assert f"满意度·服务对象满意度 受益群众满意度 ≥90% 88% 未达成 {record['targets'][2]['reason']}" in page
    assert f"效益·社会效益 群众出行条件 明显改善（定性） {record['targets'][1]['result']} 已报告完成情况" in page
    assert f"总体完成情况：{review['summary']}" in page and f"偏差原因及改进措施：{review['reason']}" in page
    text = notice(site, "review")
    assert text.startswith(" 项目绩效自评公示：" + record["title"])
    assert f"自评年度 2025 自评日期 2026年1月15日 全年执行数 原文件未列明 总体完成情况 {review['summary']}" in text
    assert (
        "执行数 190.5 万元（结算金额＋管理费） 执行率（本站计算） 95.2%" in text
        and "受益群众满意度 ≥90% 88% 未达成" in text
    )
    assert f"公示期：{period_words(record['notices'][4])}" in text
    assert "〔原文件前后不一致〕" not in text  # the surplus it discloses is on the completion notice only
    plan_review = main_text(site / "plans/2025/review/index.html")
    assert "东镇东村至西村产业路建设项目 200 190.5 95.2% 结算金额＋管理费" in plan_review
    assert "东镇农村劳动力技能培训项目 100 未报告 — 未报告" in plan_review
    # The total covers the one project that reported; its rate is over that project's planned money, not 0 for
    # the other.
    # The total and its rate each say so beside the figure.
    covers = "2 个项目中 1 个已报告"
    assert f"合计 300 190.5 {covers} 95.2% {covers} 已报告的项目相加" in plan_review
    assert "#" not in plan_review  # headings are headings, not Markdown left as text
    assert record["review"]["summary"] in plan_review
    assert "2025年项目绩效自评表" in main_text(site / "notices/plans/2025/review/index.html")
    east = main_text(site / "places/990201100201/index.html")
    west = main_text(site / "places/990201100202/index.html")
    assert f"{record['title']} 保底收益（每村不低于） 2025年 3 3 0" in east
    assert f"{record['title']} 保底收益（每村不低于） 2025年 3 2.5 少付 0.5" in west
    villages = read_csv(site, "dividends_paid_villages")
    assert [(r["dividends_paid_entry"], r["village"], r["amount_wan"]) for r in villages] == [
        ("1", "东镇东村", "3"),
        ("1", "东镇西村", "2.5"),
    ]
    row = next(r for r in read_csv(site, "projects") if r["id"] == "village-road")
    assert row["review_summary"] == review["summary"]


def test_a_project_without_lifecycle_fields_says_not_stated(walk: dict[str, Path]):
    """The training project states none of them: 原文件未列明, never a blank or an invented value."""
    page = main_text(walk["review"] / "projects/skills-training/index.html")
    for label in ("业主单位", "责任人"):
        assert f"{label} 原文件未列明" in page, label
    for label in ("项目批复", "补助标准"):  # not from the document: no row until the county records them
        assert label not in page, label
    assert "项目计划公示 原文件未列明 原文件未列明 打印（A4）" in page
    text = main_text(walk["review"] / "notices/projects/skills-training/index.html")
    assert "责任人 原文件未列明" in text
    assert not (walk["review"] / "notices/projects/skills-training/completion").exists()


def test_the_site_invents_no_period_for_the_stages_without_one(walk: dict[str, Path]):
    record = (FIXTURE / "content" / TRAINING.removeprefix("content/")).read_text(encoding="utf-8")
    assert "notices" not in record
    text = main_text(walk["review"] / "notices/projects/skills-training/index.html")
    assert "公示期：____年__月__日至____年__月__日" in text and "未设定" not in text


def test_every_stage_goes_out_to_excel_and_comes_back_unchanged(tmp_path: Path):
    """The fund plan table carries the lifecycle fields: export, then import, changes nothing."""
    import subprocess
    import sys

    project = lifecycle_project(tmp_path / "project")
    out = tmp_path / "plan.xlsx"

    def gongshi(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "gongshi", *args], cwd=project, capture_output=True, text=True, timeout=300
        )

    assert gongshi("export", "--xlsx", str(out)).returncode == 0
    import openpyxl

    sheet = openpyxl.load_workbook(out).worksheets[0]
    headers = [c.value for c in sheet[2]]
    row = next(r for r in sheet.iter_rows(min_row=3, values_only=True) if "village-road" in r)
    cell = dict(zip(headers, row, strict=False))
    assert (
        cell["公示"].splitlines()[0]
        == "公示阶段：library；公示开始日期：2025-01-06；公示结束日期：2025-01-15；公示地点：东村、西村村务公开栏"
    )
    assert "变更字段：funding[0].amount；变更前：180；变更后：170" in cell["调整变更"]
    assert (cell["结算金额（万元）"], cell["结余资金（万元）"]) == (188.5, 9.6)
    assert "〔满意度·服务对象满意度〕受益群众满意度：≥90%（实际：88，偏差原因：" in cell["绩效目标"]
    result = gongshi("import", "--xlsx", str(out))
    assert result.returncode == 0, result.stderr
    assert "0 个新建，0 个修改" in result.stdout, result.stdout


def test_a_change_added_in_excel_is_written_to_the_record(tmp_path: Path):
    import subprocess
    import sys

    import openpyxl

    project = lifecycle_project(tmp_path / "project")
    out = tmp_path / "plan.xlsx"

    def gongshi(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "gongshi", *args], cwd=project, capture_output=True, text=True, timeout=300
        )

    assert gongshi("export", "--xlsx", str(out)).returncode == 0
    book = openpyxl.load_workbook(out)
    sheet = book.worksheets[0]
    headers = [c.value for c in sheet[2]]
    row = next(r for r in sheet.iter_rows(min_row=3) if any(c.value == "village-road" for c in r))
    cell = row[headers.index("调整变更")]
    cell.value += (
        "\n变更日期：2025-08-01；变更批复文号：演府函〔2025〕20号；变更原因：地点按村委会更正；"
        "变更字段：location；变更前：东镇东村；变更后：东镇东村、西村"
    )
    book.save(out)
    result = gongshi("import", "--xlsx", str(out), "--write")
    assert result.returncode == 0, result.stderr
    assert "1 个修改" in result.stdout, result.stdout
    assert gongshi("check").returncode == 0
    record = yaml.safe_load((project / ROAD).read_text(encoding="utf-8").split("---")[1])
    added = record["changes"][-1]
    assert added["date"].isoformat() == "2025-08-01" and added["field"] == "location"
    assert added["after"] == "东镇东村、西村" and added["approval"] == "演府函〔2025〕20号"


def test_the_data_package_with_every_lifecycle_table_validates(walk: dict[str, Path]):
    """Frictionless validates every table of the last stage, rows in (nested lists included)."""
    import json

    from frictionless import Package, system

    site = walk["review"]
    descriptor = json.loads((site / "data/datapackage.json").read_text("utf-8"))
    names = [r["name"] for r in descriptor["resources"]]
    for table in ("notices", "changes", "line_items", "dividends_paid_villages"):
        assert table in names and read_csv(site, table), table
    with system.use_context(trusted=True):
        report = Package(str(site / "data/datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_no_page_shows_markdown_as_text(walk: dict[str, Path]):
    for page in sorted(walk["review"].rglob("*.html")):
        text = main_text(page)
        assert "## " not in text and "{ #" not in text, page
