"""Every record field is declared once (content/fields.py) and shows up wherever it says it does.

A purpose-made county (tests/fixtures/full_record) has one project that states every field. The expected
values are read from its file with PyYAML, not through gongshi; the surfaces are the built site's project
page, printed notice and CSV tables, the Excel table written by `gongshi export`, and the change history.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from conftest import ROOT, run_build
from helpers import main_text
from PIL import Image

from gongshi.content.fields import STAGES, FieldRow, Spec, Surface, field_rows, inner_model
from gongshi.content.history import compare, parse_record
from gongshi.content.model import Plan, Project

FIXTURE = Path(__file__).parent / "fixtures" / "full_record"
RECORD = "content/projects/01-full-record.md"


def _front(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("registry") / "project"
    root.mkdir()
    for part in ("mkdocs.yml", "docs", "templates"):
        source = ROOT / part
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, root / part)
    shutil.copytree(FIXTURE / "content", root / "content")
    Image.new("RGB", (40, 30), (200, 120, 40)).save(root / "content/projects/road.png")
    return root


@pytest.fixture(scope="module")
def site(project: Path) -> Path:
    result = run_build(project)
    assert result.returncode == 0, result.stderr
    return project / "site"


@pytest.fixture(scope="module")
def record(project: Path) -> dict[str, Any]:
    return _front(project / RECORD)


def _leaves(surface: Surface) -> list[FieldRow]:
    """Fields that hold values themselves (not groups), on a surface."""
    return [r for r in field_rows(Project, front_matter=False) if r.on(surface) and r.inner is None]


def _values(data: Any, path: str) -> list[Any]:
    """Every value at a field path in the record as written (lists of entries fanned out)."""
    found = [data]
    for part in path.replace("[]", "").split("."):
        step = []
        for item in found:
            value = item.get(part) if isinstance(item, dict) else None
            if isinstance(value, list) and value and isinstance(value[0], dict):
                step.extend(value)
            elif value is not None:
                step.append(value)
        found = step
    out: list[Any] = []
    for value in found:
        out.extend(value if isinstance(value, list) else [value])
    return out


def _shown(value: Any) -> tuple[str, ...]:
    """Ways a value may be written for a reader: as is, a date the Chinese way, a number without '.0'."""
    if isinstance(value, dt.date):
        return (value.isoformat(), f"{value.year}年{value.month}月{value.day}日")
    if isinstance(value, float | int) and not isinstance(value, bool):
        return (format(Decimal(str(value)).normalize(), "f"),)
    return (str(value),)


def _names(project: Path, row: FieldRow, value: Any) -> tuple[str, ...]:
    """What a reference reads as on a page: a fund source or category by its name, a plan by its title."""
    plan = yaml.safe_load((project / "content/plans/2024.yml").read_text(encoding="utf-8"))
    if row.spec.ref == "source":
        return tuple(s["name"] for s in plan["funding"] if s["id"] == value)
    if row.spec.ref == "category":
        return tuple(c["name"] for c in plan["categories"] if c["id"] == value)
    if row.spec.ref == "plan":
        return (plan["title"], f"{plan['year']}年")
    return _shown(value)


def _every_model(model: type = Project, seen: set | None = None) -> set[type]:
    seen = set() if seen is None else seen
    seen.add(model)
    for info in model.model_fields.values():
        inner, _ = inner_model(info.annotation)
        if inner is not None and inner not in seen:
            _every_model(inner, seen)
    return seen


def test_every_field_of_every_record_model_is_declared_with_its_words():
    for model in _every_model(Project) | _every_model(Plan):
        for name, info in model.model_fields.items():
            spec = info.json_schema_extra
            assert isinstance(spec, Spec), f"{model.__name__}.{name} is declared without field()"
            assert spec.label and spec.help, f"{model.__name__}.{name} has no label or help"
            assert all(reason.strip() for reason in spec.skip.values()), f"{model.__name__}.{name}: skip without reason"


def test_the_fixture_states_every_field(record: dict[str, Any]):
    body = (FIXTURE / RECORD).read_text(encoding="utf-8").split("---", 2)[2].strip()
    missing = [
        r.path for r in field_rows(Project) if r.inner is None and r.path != "source" and not _values(record, r.path)
    ]
    assert missing == [] and body


def test_every_public_field_is_on_the_project_page(project: Path, site: Path, record: dict[str, Any]):
    html = (site / "projects/full-record/index.html").read_text(encoding="utf-8")
    text = main_text(site / "projects/full-record/index.html")
    lost = {}
    for row in _leaves(Surface.PAGE):
        for value in _values(record, row.path):
            ways = _names(project, row, value)
            if not any(w in text or w in html for w in ways):
                lost[row.path] = ways
    assert lost == {}


def test_each_stage_notice_shows_the_fields_the_rules_require(site: Path, record: dict[str, Any]):
    """Every stage's notice (入库, 计划, 调整, 完工验收, 绩效自评) carries the labels of the fields on it: a
    group shown field by field (批复, 完工验收) by its fields' labels."""
    rows = field_rows(Project, front_matter=False)
    for stage in STAGES:
        page = site / "notices/projects/full-record" / ("" if stage == "plan" else stage) / "index.html"
        text = main_text(page)
        for row in rows:
            if "." in row.path or not row.on_notice(stage):
                continue
            parts = [r.spec.label for r in rows if r.parent == row.path and not r.is_list and r.inner is None]
            assert row.spec.label in text or (parts and all(p in text for p in parts)), (stage, row.path)


def _csv(site: Path, name: str) -> list[dict[str, str]]:
    raw = (site / "data" / f"{name}.csv").read_bytes().removeprefix(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8"))))


def _column(path: str, row: FieldRow) -> str:
    name = path.replace("[].", "_").replace(".", "_")
    return f"{name}_wan" if row.is_money and not row.is_list else name


def test_every_public_field_is_in_the_downloads(project: Path, site: Path, record: dict[str, Any]):
    projects = {r["id"]: r for r in _csv(site, "projects")}
    mine = projects["full-record"]
    for row in _leaves(Surface.DOWNLOAD):
        if "[]" in row.path:  # an entry's field: a column of the innermost list's own table
            table, _, inner = row.path.rpartition("[].")
            rows = [
                r for r in _csv(site, table.replace("[].", "_").replace(".", "_")) if r["project_id"] == "full-record"
            ]
            cells = [r[_column(inner, row)] for r in rows]
        else:
            cells = [mine[_column(row.path, row)]]
        for value in _values(record, row.path):
            ways = _names(project, row, value)
            assert any(w in cell for w in ways for cell in cells), (row.path, ways, cells)


def _gongshi(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "gongshi", *args], cwd=project, capture_output=True, text=True, timeout=300
    )


def test_every_excel_field_goes_out_and_comes_back(project: Path, tmp_path: Path, record: dict[str, Any]):
    out = tmp_path / "plan.xlsx"
    assert _gongshi(project, "export", "--xlsx", str(out)).returncode == 0
    sheet = openpyxl.load_workbook(out).worksheets[0]
    headers = [c.value for c in sheet[2]]
    row = next(r for r in sheet.iter_rows(min_row=3, values_only=True) if "full-record" in r)
    rows = field_rows(Project, front_matter=False)
    for field in rows:
        if not field.on(Surface.EXCEL) or "." in field.path:
            continue
        # A group of fields without a one-cell wording (受益对象, 项目批复, 完工验收) has a column per field.
        columns = [field] if field.heading in headers or field.inner is None or field.is_list else []
        columns = columns or [r for r in rows if r.parent == field.path and r.on(Surface.EXCEL)]
        for column in columns:
            assert column.heading in headers, column.path
            cell = row[headers.index(column.heading)]
            assert cell not in (None, ""), column.path
    result = _gongshi(project, "import", "--xlsx", str(out))
    assert result.returncode == 0, result.stderr
    assert "0 个新建，0 个修改" in result.stdout, result.stdout


def test_every_public_field_is_named_in_the_change_history(record: dict[str, Any]):
    text = (FIXTURE / RECORD).read_text(encoding="utf-8")
    changes = compare({}, parse_record(text, "01-full-record.md"))
    labels = {c.field for c in changes}
    rows = field_rows(Project, front_matter=False)
    for row in rows:
        if not row.on(Surface.HISTORY) or "." in row.path.removeprefix("beneficiaries."):
            continue
        if row.path in labels or row.spec.label in labels or row.path == "beneficiaries":
            continue
        # A group whose amounts are shown field by field (保底分红: 分红比例, 每年分红…).
        parts = [r.spec.label for r in rows if r.parent == row.path]
        assert parts and all(label in labels for label in parts), (row.path, labels)
