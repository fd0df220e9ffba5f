"""A county's own pages (docs/) go through the record body's sanitiser; no script comes from content folders.

Issue 26: a `docs/x.js` and a page with `<script src="../x.js">` ran under the site's CSP (same-origin scripts
are allowed); `javascript:` links and `<iframe>` were published. One real build of the tiny county with hostile
county pages; the page's article is read from the built HTML."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import build_ok, run_build
from tiny_county import make_project

HOSTILE = """# 关于本站

正常的一段文字，**加粗**。

<script src="../x.js"></script>
<script>alert(1)</script>
<iframe src="https://evil.example/"></iframe>
<iframe srcdoc="<script>alert(1)</script>"></iframe>
<object data="../x.swf"></object><embed src="../x.swf">
<form action="https://evil.example/"><input name="a"></form>
<style>body { background: url(https://evil.example/x.png) }</style>
<meta http-equiv="refresh" content="0;url=https://evil.example/">
<base href="https://evil.example/">
<img src="x.png" onerror="alert(1)">
<a href="javascript:alert(1)">点我一</a>
<div onclick="alert(1)" style="position:fixed">覆盖</div>

[点我二](javascript:alert(2))
[点我三](/\\evil.example/x)
![远处的图](https://evil.example/p.png)

## 带属性的标题 {: onclick="alert(3)" }

!!! note "注意"
    提示的内容。

| 列一 | 列二 |
| --- | --- |
| 一 | 二 |

[联系我们](https://example.org/contact)
"""


@pytest.fixture(scope="module")
def county_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("county-pages") / "county")
    (project / "docs" / "about.md").write_text(HOSTILE, encoding="utf-8")
    (project / "docs" / "notes").mkdir()
    (project / "docs" / "notes" / "plain.md").write_text("# 说明\n\n县里自己的说明页。\n", encoding="utf-8")
    (project / "docs" / "notes" / "scan.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    return build_ok(project)


def article(site: Path, page: str) -> str:
    html = (site / page).read_text(encoding="utf-8")
    match = re.search(r"<article[^>]*>(.*?)</article>", html, re.S)
    assert match, page
    return match.group(1)


def test_a_county_page_keeps_no_script_frame_form_or_handler(county_site: Path):
    html = article(county_site, "about/index.html")
    for bad in ("<script", "<iframe", "<object", "<embed", "<form", "<style", "<meta", "<base", "javascript:"):
        assert bad not in html.lower(), bad
    assert not re.search(r"\son[a-z]+\s*=", html), re.findall(r"\son[a-z]+\s*=[^>]*", html)
    assert "evil.example" not in html
    assert "x.js" not in html


def test_a_county_page_keeps_its_text_headings_admonitions_tables_and_links(county_site: Path):
    html = article(county_site, "about/index.html")
    assert "<strong>加粗</strong>" in html
    assert re.search(r'<h2 id="[^"]+">带属性的标题', html)
    assert '<div class="admonition note">' in html and '<p class="admonition-title">注意</p>' in html
    assert "<table>" in html and "<td>二</td>" in html
    assert 'href="https://example.org/contact"' in html
    assert "点我一" in html and "点我二" in html  # the words stay; the address is gone
    assert "县里自己的说明页" in article(county_site, "notes/plain/index.html")
    assert (county_site / "notes" / "scan.pdf").is_file()


@pytest.mark.parametrize("name", ["x.js", "page.html", "logo.svg", "feed.xml", "mod.mjs", "a/b.htm"])
def test_a_file_a_browser_would_run_is_refused_naming_it(tmp_path: Path, name: str):
    project = make_project(tmp_path / "county")
    target = project / "docs" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("alert(document.domain)", encoding="utf-8")
    result = run_build(project)
    assert result.returncode != 0
    assert f"docs/{name}" in result.stderr and "a county's page folder" in result.stderr, result.stderr[-2000:]
    assert not (project / "site" / "index.html").exists()
