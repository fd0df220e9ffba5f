"""The lifecycle fixture county (tests/fixtures/lifecycle): a project folder at any of its five stages."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import ROOT

FIXTURE = Path(__file__).parent / "fixtures" / "lifecycle"
STAGES = ("library", "plan", "change", "completion", "review")
ROAD = "content/projects/01-village-road.md"
TRAINING = "content/projects/02-skills-training.md"
PLAN = "content/plans/2025.yml"


def lay_stage(project: Path, stage: str) -> None:
    """Lay one stage's files over the project's content (the first stage is content/ itself)."""
    if stage != STAGES[0]:
        shutil.copytree(FIXTURE / "stages" / stage, project / "content", dirs_exist_ok=True)


def lifecycle_project(dest: Path, upto: str = STAGES[-1]) -> Path:
    """A project folder (config, docs, templates of the repository; the fixture's content) at stage `upto`."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in ("mkdocs.yml", "docs", "templates"):
        source = ROOT / part
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, dest / part)
    shutil.copytree(FIXTURE / "content", dest / "content")
    for stage in STAGES[1 : STAGES.index(upto) + 1]:
        lay_stage(dest, stage)
    return dest
