"""Measure reading the change history of many records: prints figures, asserts nothing.

Usage: .venv/bin/python bench/history_bench.py [records] [edit-commits]
Builds a throwaway git repository under bench/out/ with `records` copies of a real record, then
`edit-commits` commits that each change the amount of a tenth of them, and times read_history()."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gongshi.content.history import read_history  # noqa: E402

TEMPLATE = (ROOT / "content/projects/01-maoping-bamboo-park.md").read_text("utf-8")


def git(repo: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_AUTHOR_DATE": "2025-03-01T09:00:00+08:00",
        "GIT_COMMITTER_DATE": "2025-03-01T09:00:00+08:00",
    }
    subprocess.run(
        ["git", "-c", "user.name=Bench", "-c", "user.email=bench@example.org", *args],
        cwd=repo,
        env=env,
        check=True,
        capture_output=True,
    )


def record(i: int, amount: int) -> str:
    return (
        TEMPLATE.replace("id: maoping-bamboo-park", f"id: bench-{i:05d}")
        .replace("investment: 1150", f"investment: {amount}")
        .replace("amount: 1150", f"amount: {amount}")
    )


def main() -> None:
    records = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    edits = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    repo = ROOT / "bench/out/history-repo"
    shutil.rmtree(repo, ignore_errors=True)
    folder = repo / "content/projects"
    folder.mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    for i in range(records):
        (folder / f"{i:05d}.md").write_text(record(i, 1150), "utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "initial")
    for round_ in range(1, edits + 1):
        for i in range(round_ % 10, records, 10):
            (folder / f"{i:05d}.md").write_text(record(i, 1150 + round_), "utf-8")
        git(repo, "commit", "-q", "-am", f"edit {round_}")
    start = time.perf_counter()
    history = read_history(repo / "content")
    seconds = time.perf_counter() - start
    fields = sum(len(c.fields) for c in history.changes)
    print(
        f"records={records} commits={edits + 1} record_changes={len(history.changes)} "
        f"field_changes={fields} read_history={seconds:.2f}s "
        f"({1000 * seconds / max(len(history.changes), 1):.2f} ms per record change)"
    )


if __name__ == "__main__":
    main()
