"""Every file of the built site: valid HTML (the Nu Html Checker) and no broken link, anchor or asset.
(The gates are in gates.py and links.py; the repository's own content passes them too: tests/content/.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from gates import html_errors, validate
from links import broken_links


def test_every_page_is_valid_html(built_site: Path):
    shown = html_errors(built_site)
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
