"""`gongshi check --format github`: one ::error annotation per problem, on the right file and line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from helpers import edit, line_of
from variants import MUSHROOM, TEA


def test_github_annotations_name_file_and_line(project: Path) -> None:
    edit(project, TEA, "investment: 480\n", "investment: 480万元\n")
    edit(project, MUSHROOM, "    - 白水乡桃坪村\n", "    - 白水乡桃评村\n")
    result = subprocess.run(
        [sys.executable, "-m", "gongshi", "check", "--format", "github"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    annotations = sorted(line for line in result.stdout.splitlines() if line.startswith("::"))
    assert len(annotations) == 2, result.stdout
    amount_line = line_of(project, TEA, "investment: 480万元")
    village_line = line_of(project, MUSHROOM, "白水乡桃评村")
    assert annotations[0].startswith(f"::error file={TEA},line={amount_line},title=investment::")
    assert annotations[1].startswith(
        f"::error file={MUSHROOM},line={village_line},title=beneficiaries.asset_villages[1]::"
    )
    assert "白水乡桃坪村" in annotations[1]  # the suggestion travels with the annotation
    assert all("%0A" in a and "\n" not in a for a in annotations)  # multi-line messages encoded for one line
    # The human-readable report still goes to the log (stderr).
    assert "共 2 处错误" in result.stderr
