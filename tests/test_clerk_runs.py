"""How many check runs a clerk needs, doing only what the guide and the messages say (issue 25: goal 2).

Adding a project: `gongshi new`, fill in the record, run the check, write what each message says to write, run
again. Recording an approved change: change the record's values with a `changes` entry as the guide's example
shows, run the check, write what the messages say, run again. Each message must say exactly what to write: the
tests apply the messages mechanically, the way a clerk copies them."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import yaml
from helpers import edit
from tiny_county import data, write_content

from gongshi.content.load import load_site
from gongshi.errors import ContentError, ContentErrors

PARK = "content/projects/01-park.md"
SCHOOL = "content/projects/02-school.md"
PLAN = "content/plans/2025.yml"


class Clerk:
    """Runs the check and counts the runs."""

    def __init__(self, root: Path):
        self.root = root
        self.runs = 0

    def check(self) -> list[ContentError]:
        self.runs += 1
        try:
            load_site(self.root / "content", self.root)
        except ContentErrors as exc:
            return exc.errors
        return []

    def write_line(self, error: ContentError, new: str) -> None:
        """Replace the line the error names by `new`, keeping its indentation."""
        path = self.root / error.file
        lines = path.read_text(encoding="utf-8").split("\n")
        old = lines[error.line - 1]
        lines[error.line - 1] = old[: len(old) - len(old.lstrip())] + new.strip()
        path.write_text("\n".join(lines), encoding="utf-8")


def told(error: ContentError) -> str:
    """The line a message tells her to write: "把这一行改为 amount: 80" (or the funding amount to write)."""
    match = re.search(r"(?:把这一行改为|改为) (\w+: [0-9.]+)", error.hint or "")
    assert match, error.format()
    return match.group(1)


def test_adding_a_project_from_the_guide_takes_two_check_runs(tmp_path: Path) -> None:
    write_content(tmp_path, data())
    clerk = Clerk(tmp_path)
    command = [sys.executable, "-m", "gongshi", "new", "--content", str(tmp_path / "content")]
    answers = ["--plan", "2025", "--category", "cat-b", "--title", "甲镇道路项目", "--investment", "30", "--id", "road"]
    subprocess.run([*command, *answers], check=True, capture_output=True)
    (record,) = (tmp_path / "content/projects").glob("*road.md")
    rel = record.relative_to(tmp_path).as_posix()
    for old, new in [
        ("location:\n", "location: 甲镇一村\n"),
        ("places: []", "places: [甲镇一村]"),
        ("responsible_units: []", "responsible_units: [县甲局]"),
    ]:
        edit(tmp_path, rel, old, new)
    record.write_text(record.read_text(encoding="utf-8") + "在甲镇一村修建道路。\n", encoding="utf-8")

    errors = clerk.check()
    assert errors and all(e.file == PLAN for e in errors), [e.format() for e in errors]
    for error in errors:
        if error.field == "summary":
            edit(tmp_path, PLAN, error.found, error.expected)
        else:
            clerk.write_line(error, told(error))
    assert clerk.check() == []
    assert clerk.runs == 2


def test_recording_an_approved_change_from_the_guide_takes_two_check_runs(tmp_path: Path) -> None:
    write_content(tmp_path, data())
    clerk = Clerk(tmp_path)
    approval = {"date": dt.date(2025, 7, 1), "approval": "测府函〔2025〕9号", "reason": "调整资金安排"}
    for rel, before, after in [(PARK, 100, 80), (SCHOOL, 50, 70)]:  # the guide's example: the value, one entry
        change = yaml.safe_dump(
            [{**approval, "field": "investment", "before": before, "after": after}], allow_unicode=True
        )
        edit(tmp_path, rel, f"investment: {before}\n", f"investment: {after}\nchanges:\n{change}")

    errors = clerk.check()
    assert all(e.field != "dividend.annual" for e in errors), "the park's dividend is not recomputed"
    assert {(e.file, e.field) for e in errors} == {
        (PLAN, "categories[0].amount"),
        (PLAN, "categories[1].amount"),
        (PARK, "funding"),
        (SCHOOL, "funding"),
    }, [e.format() for e in errors]
    for error in errors:
        if error.file == PLAN:
            clerk.write_line(error, told(error))
            continue
        entry = re.search(r"field: (\S+)、before: ([0-9.]+)、after: ([0-9.]+)", error.hint or "")
        assert entry, error.format()
        field, before, after = entry.groups()
        edit(tmp_path, error.file, f"  amount: {before}\n", f"  amount: {after}\n")
        change = yaml.safe_dump([{**approval, "field": field, "before": before, "after": after}], allow_unicode=True)
        edit(tmp_path, error.file, "changes:\n", f"changes:\n{change}")
    assert clerk.check() == []
    assert clerk.runs == 2
