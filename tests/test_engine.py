"""Engine durability: ProperDocs, the maintained fork of MkDocs 1.x, builds the same site as MkDocs.

MkDocs 1.6 is frozen; ProperDocs continues it as a drop-in. It runs our plugin and Material unchanged: it reads
plugins and themes from the `mkdocs.plugins` and `mkdocs.themes` entry points as well as its own
`properdocs.plugins`/`properdocs.themes`, and its command line installs an import hook that answers every
`import mkdocs.*` (in gongshi's plugin and in Material) with the matching `properdocs.*` module. So gongshi keeps
one entry point (pyproject.toml) and one set of `mkdocs` imports for both engines, and this test holds them to
the same output, file for file and byte for byte.
"""

from __future__ import annotations

import difflib
import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import copy_project

# The one legitimate difference: Material writes the engine's name and version into every page
# (`<meta name="generator" content="mkdocs-1.6.1, …">`; ProperDocs fills `mkdocs_version` with "ProperDocs 1.6.7").
GENERATOR = re.compile(rb'<meta name="generator" content="([^"]*)">')


def build(engine: str, project: Path, site_dir: Path) -> Path:
    """`<engine> build --strict` of a project folder, as `make site` runs it; the config file named explicitly
    (ProperDocs looks for properdocs.yml first and only falls back to mkdocs.yml)."""
    environment = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    environment["NO_MKDOCS_2_WARNING"] = "1"
    result = subprocess.run(
        [sys.executable, "-m", engine, "build", "--strict", "-f", "mkdocs.yml", "--site-dir", str(site_dir)],
        cwd=project,
        capture_output=True,
        text=True,
        env=environment,
        timeout=600,
    )
    assert result.returncode == 0, f"{engine}: {result.stderr}"
    return site_dir


def generators(site: Path) -> set[bytes]:
    """The distinct generator tags of a site's pages."""
    return {m.group(1) for page in site.rglob("*.html") for m in GENERATOR.finditer(page.read_bytes())}


def differences(one: Path, other: Path) -> dict[str, str]:
    """Every file that is in one site only, or whose bytes differ once the generator tag is set aside."""
    names = {p.relative_to(one).as_posix() for p in one.rglob("*") if p.is_file()}
    other_names = {p.relative_to(other).as_posix() for p in other.rglob("*") if p.is_file()}
    found = dict.fromkeys(names - other_names, f"only in {one.name}")
    found |= dict.fromkeys(other_names - names, f"only in {other.name}")
    for name in sorted(names & other_names):
        a, b = (GENERATOR.sub(b"", (site / name).read_bytes()) for site in (one, other))
        if a != b:
            diff = difflib.unified_diff(
                a.decode("utf-8", "replace").splitlines(), b.decode("utf-8", "replace").splitlines(), lineterm="", n=0
            )
            found[name] = "\n".join(list(diff)[2:8])
    return found


def test_properdocs_builds_the_same_site_as_mkdocs(tmp_path: Path):
    # Two copies of the project, so neither build reads what the other left behind (the search cache).
    sites = {
        engine: build(engine, copy_project(tmp_path / engine / "project"), tmp_path / engine / "site")
        for engine in ("mkdocs", "properdocs")
    }
    # The builds really are by the two engines (the tag is set aside below, so check it here).
    assert [tag.startswith(b"mkdocs-1.") for tag in generators(sites["mkdocs"])] == [True]
    assert [tag.startswith(b"mkdocs-ProperDocs ") for tag in generators(sites["properdocs"])] == [True]
    assert len(list(sites["mkdocs"].rglob("*.html"))) > 20  # the generated pages are there, not just docs/
    found = differences(sites["mkdocs"], sites["properdocs"])
    assert not found, "\n\n".join(f"{name}:\n{detail}" for name, detail in sorted(found.items())[:10])


def test_the_comparison_sees_every_difference_but_the_generator(tmp_path: Path):
    one, other = tmp_path / "mkdocs", tmp_path / "properdocs"
    for site, engine in ((one, "mkdocs-1.6.1"), (other, "mkdocs-ProperDocs 1.6.7")):
        (site / "a").mkdir(parents=True)
        tag = f'<meta name="generator" content="{engine}, mkdocs-material-9.8.1">'
        (site / "index.html").write_text(f"<head>{tag}</head><p>3,952.310194</p>", encoding="utf-8")
        (site / "a" / "index.html").write_text(f"<head>{tag}</head><p>公示</p>", encoding="utf-8")
    assert differences(one, other) == {}
    (other / "a" / "index.html").write_text("<head></head><p>公告</p>", encoding="utf-8")
    (other / "extra.json").write_text("{}", encoding="utf-8")
    found = differences(one, other)
    assert set(found) == {"a/index.html", "extra.json"}
    assert "-<head></head><p>公示</p>" in found["a/index.html"] and "+<head></head><p>公告</p>" in found["a/index.html"]
