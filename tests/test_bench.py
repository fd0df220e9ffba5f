"""The benchmark's synthetic content stays valid, so the benchmark cannot silently rot (no timings here)."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import yaml
from conftest import ROOT, build_ok

sys.path.insert(0, str(ROOT / "bench"))
from generate import generate
from run import export_pages, hugo_project, measure, plain_material


def _front(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def test_generated_content_passes_check_and_builds(tmp_path: Path):
    project = generate(tmp_path / "synthetic", 40, seed=7)
    records = sorted((project / "content/projects").glob("*.md"))
    assert len(records) == 40
    check = subprocess.run([sys.executable, "-m", "gongshi", "check"], cwd=project, capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    assert "40 个项目" in check.stdout
    # Each record has 1–12 villages, and the plans' declared totals are the sums of their records.
    fronts = [_front(r) for r in records]
    assert all(1 <= len(f["beneficiaries"]["asset_villages"]) <= 12 for f in fronts)
    for plan_file in (project / "content/plans").glob("*.yml"):
        plan = yaml.safe_load(plan_file.read_text(encoding="utf-8"))
        mine = [f for f in fronts if f["plan"] == plan["id"]]
        assert sum(Decimal(str(f["investment"])) for f in mine) == Decimal(str(plan["total"]))
        assert sum(c["count"] for c in plan["categories"]) == len(mine)
    site = build_ok(project)
    for front in fronts:
        assert front["title"] in (site / "projects" / front["id"] / "index.html").read_text(encoding="utf-8")


def test_same_seed_same_content(tmp_path: Path):
    a = generate(tmp_path / "a", 15, seed=3) / "content"
    b = generate(tmp_path / "b", 15, seed=3) / "content"
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert all((a / f).read_bytes() == (b / f).read_bytes() for f in files)


def test_comparison_projects_hold_the_same_pages(tmp_path: Path):
    project = generate(tmp_path / "synthetic", 12, seed=5)
    docs = tmp_path / "exported"
    count, footer = export_pages(project, docs)
    assert count == sum(1 for _ in docs.rglob("*.md")) and count > 12
    assert "12317" in footer
    material = tmp_path / "material"
    plain_material(project, material)
    config = yaml.safe_load((material / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["plugins"] == []
    site = build_ok(material)
    title = _front(next((project / "content/projects").glob("*.md")))["title"]
    assert any(title in p.read_text(encoding="utf-8") for p in (site / "projects").rglob("index.html"))
    hugo = tmp_path / "hugo"
    hugo_project(material, hugo)
    assert (hugo / "content/projects/_index.md").is_file()
    assert sum(1 for _ in (hugo / "content").rglob("*.md")) == sum(1 for _ in (material / "docs").rglob("*.md"))


def test_memory_of_the_whole_process_tree_is_measured(tmp_path: Path):
    """The benchmark's two memory figures: a command whose two processes each hold ~150 MB at the same moment
    peaks at ~150 MB for one process and ~300 MB for the tree."""
    hold = "import time; b = bytearray(150 * 2**20); b[::4096] = b'x' * len(b[::4096]); time.sleep(1.5)"
    both = f"import subprocess, sys; p = subprocess.Popen([sys.executable, '-c', {hold!r}]); exec({hold!r}); p.wait()"
    (tmp_path / "work").mkdir()
    run = measure([sys.executable, "-c", both], tmp_path / "work", 1)
    assert 140 < run.peak_mb < 220
    assert 280 < run.total_mb < 400
