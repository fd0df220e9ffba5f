"""The GitHub workflows: linted by actionlint and zizmor (offline), pinned, least privilege, Pages deploy."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
BIN = Path(sys.executable).parent
PINNED = re.compile(r"^\s*-?\s*uses:\s*([\w.-]+/[\w.-]+)@([0-9a-f]{40}) # v\d+\.\d+\.\d+\s*$")


def tool(name: str) -> str:
    path = BIN / name if (BIN / name).exists() else shutil.which(name)
    assert path, f"{name} is not installed: run `make install-test`"
    return str(path)


def test_there_are_a_check_and_a_publish_workflow() -> None:
    assert {p.name for p in WORKFLOWS} == {"pr.yml", "pages.yml"}


def test_actionlint_finds_nothing() -> None:
    result = subprocess.run(
        [tool("actionlint"), "-no-color", *map(str, WORKFLOWS)], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_does_report_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / ".github" / "workflows" / "broken.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n"
        "      - run: echo ${{ github.event.pull_request.title }\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [tool("actionlint"), "-no-color", str(broken)], capture_output=True, text=True, cwd=tmp_path, timeout=120
    )
    assert result.returncode != 0


@pytest.mark.parametrize("persona", ["regular", "pedantic"])
def test_zizmor_finds_nothing_offline(persona: str) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("GH_TOKEN", "GITHUB_TOKEN", "ZIZMOR_GITHUB_TOKEN")}
    result = subprocess.run(
        [tool("zizmor"), "--offline", "--no-progress", f"--persona={persona}", str(ROOT / ".github" / "workflows")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings" in result.stdout + result.stderr


def test_zizmor_does_report_an_unpinned_action(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: push\npermissions: {}\njobs:\n  a:\n    name: a\n    runs-on: ubuntu-24.04\n    steps:\n"
        "      - uses: actions/checkout@v6\n        with:\n          persist-credentials: false\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [tool("zizmor"), "--offline", "--no-progress", str(bad)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "unpinned-uses" in result.stdout + result.stderr


def test_every_action_is_pinned_to_a_commit_with_its_version() -> None:
    for workflow in WORKFLOWS:
        for line in workflow.read_text(encoding="utf-8").splitlines():
            if "uses:" in line:
                assert PINNED.match(line), f"{workflow.name}: {line.strip()}"


def load(name: str) -> dict:
    return yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8"))


def test_least_privilege() -> None:
    for workflow in WORKFLOWS:
        data = load(workflow.name)
        assert data["permissions"] == {"contents": "read"}, workflow.name
        for name, job in data["jobs"].items():
            if name == "deploy":
                assert job["permissions"] == {"pages": "write", "id-token": "write"}
            else:
                assert "permissions" not in job, f"{workflow.name}: {name}"


def test_pull_requests_check_build_and_test() -> None:
    data = load("pr.yml")
    assert set(data[True]) == {"pull_request"}  # YAML 1.1 reads the key `on` as true
    runs = [step.get("run", "") for step in data["jobs"]["content"]["steps"]]
    assert ".venv/bin/gongshi check --format github" in runs
    assert "make site" in runs
    assert any("pytest" in run for run in [step.get("run", "") for step in data["jobs"]["tests"]["steps"]])


def test_main_is_deployed_to_pages_with_the_pages_actions() -> None:
    data = load("pages.yml")
    assert data[True]["push"]["branches"] == ["main"]
    text = (ROOT / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8")
    assert "actions/upload-pages-artifact@" in text and "actions/deploy-pages@" in text
    assert "gh-deploy" not in text
    build = data["jobs"]["build"]["steps"]
    site_step = next(step for step in build if step.get("run") == "make site")
    assert site_step["env"]["SITE_URL"] == "${{ steps.pages.outputs.base_url }}/"
    upload = next(step for step in build if "upload-pages-artifact" in step.get("uses", ""))
    assert upload["with"]["path"] == "site"
    assert data["jobs"]["deploy"]["environment"]["name"] == "github-pages"


def test_site_url_comes_from_the_environment(project: Path) -> None:
    from conftest import run_build

    result = run_build(project, env={"SITE_URL": "https://example-county.github.io/gongshi-site/"})
    assert result.returncode == 0, result.stderr
    site = project / "site"
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://example-county.github.io/gongshi-site/projects/tea-processing/</loc>" in sitemap
    page = (site / "projects" / "tea-processing" / "index.html").read_text(encoding="utf-8")
    # Links stay relative, so the site also works from a sub-path or a plain folder.
    assert 'href="/' not in page
    assert 'href="../../units/' in page


def test_the_pages_build_keeps_the_build_cache_between_runs() -> None:
    """Every Pages run is a fresh machine: without a kept cache each build draws every share image again. The
    cache step restores `.cache/gongshi` (where a build keeps its share images, tests/test_reach.py) before the
    build, keyed by the installed tools, and restores the newest run's cache of the same tools."""
    steps = yaml.safe_load((ROOT / ".github/workflows/pages.yml").read_text(encoding="utf-8"))["jobs"]["build"]["steps"]
    uses = [step.get("uses", "").split("@")[0] for step in steps]
    names = [step.get("name", "") for step in steps]
    cache = steps[uses.index("actions/cache")]
    assert uses.index("actions/cache") < names.index("Build the site")
    assert cache["with"]["path"] == ".cache/gongshi"
    key, restore = cache["with"]["key"], cache["with"]["restore-keys"]
    assert key.startswith(restore) and "hashFiles(" in restore and "github.run_id" in key
