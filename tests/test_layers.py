"""The package's four rooms keep to their floors: content below web and gates, web and gates below staff.

gates/ checks a built site (links, HTML validity, accessibility); it reads content, never the page renderer, and
the staff command line (`gongshi gates`) is its only caller in the package.

content/ (read, validate, resolve, audit, load) imports no page rendering: `gongshi check` must work where
Jinja2, Markdown, plotly, Pillow or MkDocs are broken or absent, and load fast.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "gongshi"
RENDERING = ("jinja2", "markdown", "plotly", "PIL", "mkdocs", "material", "nh3", "segno", "openpyxl")
# What each room may import from the package (money, errors and the text rule sit below all three).
ALLOWED = {
    "content": {"gongshi.content", "gongshi.money", "gongshi.errors", "gongshi.text"},
    "web": {"gongshi.content", "gongshi.web", "gongshi.money", "gongshi.errors", "gongshi.text"},
    "gates": {"gongshi.content", "gongshi.gates", "gongshi.money", "gongshi.errors", "gongshi.text"},
    "staff": {
        "gongshi.content",
        "gongshi.web",
        "gongshi.gates",
        "gongshi.staff",
        "gongshi.money",
        "gongshi.errors",
        "gongshi.text",
    },
}


def _imports(path: Path) -> set[str]:
    """Every module a file imports (absolute names), including imports inside functions."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


@pytest.mark.parametrize("room", sorted(ALLOWED))
def test_no_room_imports_from_a_room_above_it(room: str):
    wrong = {}
    for path in sorted((PACKAGE / room).rglob("*.py")):
        bad = {
            name
            for name in _imports(path)
            if name.startswith("gongshi.") and not any(name.startswith(ok) for ok in ALLOWED[room])
        }
        if bad:
            wrong[path.relative_to(PACKAGE).as_posix()] = sorted(bad)
    assert wrong == {}


def test_content_imports_no_rendering_library():
    for path in sorted((PACKAGE / "content").rglob("*.py")):
        used = {name.split(".")[0] for name in _imports(path)}
        assert not used & set(RENDERING), (path.name, used & set(RENDERING))


def test_loading_content_loads_no_rendering_library():
    """At run time too: importing every content module pulls in none of them (pydantic and PyYAML only)."""
    modules = sorted("gongshi.content." + p.stem for p in (PACKAGE / "content").glob("*.py") if p.stem != "__init__")
    code = (
        "import importlib, json, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        f"print(json.dumps(sorted(n for n in sys.modules if n.split('.')[0] in {list(RENDERING)!r})))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


def test_the_ground_floor_imports_nothing_above_it():
    for name in ("money", "errors", "text"):
        used = {n for n in _imports(PACKAGE / f"{name}.py") if n.startswith("gongshi.")}
        assert all(n.split(".")[1] in ("money", "errors", "text") for n in used), (name, used)
