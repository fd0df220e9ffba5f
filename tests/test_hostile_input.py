"""Hostile strings in every text field of a project record and in its Markdown body.

Each one is either rejected with a clear error (file, line, field) and no site, or published as text:
no script runs (checked in Chromium: no dialog, no script element, handler or script URL from content),
the build neither crashes nor hangs (subprocess timeout), and the page still fits a phone.
"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from browser import open_page, serve
from conftest import FIXTURE_CONTENT, copy_project, run_build
from site_pages import all_pages, file_of
from variants import TEA

from gongshi.content.load import load_site
from gongshi.errors import ContentErrors

PROJECTS = sorted((FIXTURE_CONTENT / "projects").glob("*.md"))
# Fields that refer to other records (ids, categories, gazetteer names, units) or take fixed words: a
# hostile value there is an unknown reference, which tests/test_bad_input.py covers. Everything else is text.
REFERENCES = {
    "id",
    "plan",
    "number",
    "category",
    "source",
    "status",
    "stage",
    "comparator",
    "check",
    "places",
    "responsible_units",
    "owner_unit",
    "asset_villages",
    "villages",
    "crs",
    "photos",
}

# Published as text: name -> payload. Each is prefixed with a marker to find where it landed.
PUBLISHED = {
    "script": "<script>alert('gs')</script>",
    "title-breakout": "</title><script>alert('gs')</script></textarea></style><!--",
    "img-onerror": "<img src=x onerror=\"alert('gs')\">",
    "attribute-breakout": "\"'><svg onload=alert(1)>",
    "iframe": '<iframe src="javascript:alert(1)"></iframe>',
    "svg-script": '<svg><script>alert(1)</script><a xlink:href="javascript:alert(1)">x</a></svg>',
    "entities": "&lt;script&gt;alert(1)&lt;/script&gt; &amp;amp; &#x3C;b&#x3E; &#106;avascript:",
    "markdown-links": "[点我](javascript:alert(1)) [x]( JaVaScRiPt:alert(1) ) <javascript:alert(1)> "
    "[r][1]\n\n[1]: javascript:alert(1)",
    "markdown-data": "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) "
    "![t](https://tracker.example/p.png) ![s](//tracker.example/p.png)",
    "blank-line-breakout": "正文\n\n</td></tr></tbody></table></div>\n\n[点我](javascript:alert(1))\n\n"
    "<script>alert(1)</script>\n\n# 假标题\n\n<div>",
    "template-syntax": "{{ 7*7 }}{% if true %}x{% endif %}${7*7}#{7*7}",
    "tags-that-change-the-page": '<style>body{display:none}</style><meta http-equiv="refresh" '
    'content="0;url=https://evil.example"><base href="https://evil.example/">',
    "forms-and-plugins": '<form action="https://evil.example"><input name=a></form>'
    '<object data="x.swf"></object><embed src="x.swf">',
    "rtl-and-zero-width": "\u200f\u200e右到左 abc \u200b零\u200c宽\u200d字\u2060符\ufeff",
    "emoji": "🏗️👨‍👩‍👧‍👦🇨🇳 项目",
    "long-unbroken": "长" * 150 + "x" * 40,  # with the marker, just under the 200-character limit of a name
}
# Text fields (not names) take up to 20,000 characters: 10,000 of them must be published and still fit.
LONG_TEXT = "W" * 10_000

MARK = "GSMARK{}Z"
# The plan and the site settings are records too: their text fields get one payload that tries everything.
SETTINGS = {"content/plans/2025.yml", "content/site.yml"}
SETTINGS_MARK = "GSMARKCFGZ"
SETTINGS_PAYLOAD = (
    "</title><script>alert(1)</script>\n\n[x](javascript:alert(1))<img src=x onerror=alert(1)>{{ 7*7 }}\u200b🏗️"
)
# In the settings, fields that are codes, numbers as text, addresses or file paths.
SETTINGS_REFERENCES = {"code", "county_code", "phone", "repo_url", "repo_branch", "outline", "outline_crs", "tiles"}


def mark(index: int) -> str:
    return MARK.format(index)


def _replace_text(data, payload: str, long_text: str | None, key: str = "", skip: frozenset | set = REFERENCES):
    """Every free-text string in a parsed record, replaced by the payload (long text in Text fields)."""
    if key in skip:
        return data
    if isinstance(data, dict):
        return {k: _replace_text(v, payload, long_text, k, skip) for k, v in data.items()}
    if isinstance(data, list):
        return [_replace_text(v, payload, long_text, key, skip) for v in data]
    if isinstance(data, str):
        if long_text and key in ("benefit_mechanism", "operation", "condition", "description", "note"):
            return payload + long_text
        return payload
    return data


def poison(path: Path, payload: str, long_text: str | None = None) -> None:
    """Rewrite a project file with the payload in every text field and as its Markdown body."""
    text = path.read_text(encoding="utf-8")
    _, front, _ = text.split("---\n", 2)
    data = yaml.safe_load(front)
    # Optional text fields the test county's records leave out are added, so that they are poisoned too.
    data.setdefault("beneficiaries", {}).setdefault("description", "x")
    data.setdefault("progress", [{"date": dt.date(2025, 3, 1), "stage": "立项", "note": "x"}])
    if "dividend" in data:
        data["dividend"].setdefault("kind", "x")
    data = _replace_text(data, payload, long_text)
    dumped = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**6)
    body = f"{payload}\n\n{payload}\n\n{long_text or ''}\n"
    path.write_text(f"---\n{dumped}---\n{body}", encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_sites(tmp_path_factory) -> list[tuple[Path, dict[str, str]]]:
    """Sites built from content with one hostile payload per project (several builds cover every payload)."""
    names = list(PUBLISHED)
    builds = []
    for start in range(0, len(names), len(PROJECTS)):
        project = copy_project(tmp_path_factory.mktemp("hostile") / "project")
        placed = {}
        for offset, name in enumerate(names[start : start + len(PROJECTS)]):
            index = start + offset
            record = project / "content/projects" / PROJECTS[offset].name
            poison(record, mark(index) + PUBLISHED[name], LONG_TEXT if index == 0 else None)
            placed[mark(index)] = name
        if start == 0:
            for rel in SETTINGS:
                path = project / rel
                data = yaml.safe_load(path.read_text(encoding="utf-8"))
                if "/plans/" in rel:  # the optional programme and partner are poisoned too
                    data.setdefault("programme", {"name": "x"}).setdefault("partner", {"name": "x", "full_name": "x"})
                data = _replace_text(data, SETTINGS_MARK + SETTINGS_PAYLOAD, None, "", REFERENCES | SETTINGS_REFERENCES)
                if rel.endswith("site.yml"):  # the map outline declares the county: its name must still match
                    data["county"]["name"] = yaml.safe_load(path.read_text(encoding="utf-8"))["county"]["name"]
                path.write_text(
                    yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**6), encoding="utf-8"
                )
            placed[SETTINGS_MARK] = "settings"
        result = run_build(project)
        assert result.returncode == 0, result.stderr[-3000:]
        builds.append((project / "site", placed))
    return builds


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            if (
                name in ("href", "src", "action", "xlink:href", "formaction", "data")
                and value
                and re.match(r"\s*(javascript|vbscript|data):", value, re.I)
            ):
                self.found.append(f"<{tag} {name}={value[:40]}>")
        if tag == "script" and not (dict(attrs).get("type") == "application/json" or _own_script(dict(attrs))):
            self.found.append(f"<script {attrs}>")
        if tag in ("iframe", "object", "embed", "base", "style", "frame", "frameset", "applet"):
            self.found.append(f"<{tag}>")
        if tag == "meta" and dict(attrs).get("http-equiv", "").lower() == "refresh":
            self.found.append("<meta refresh>")


def _own_script(attrs: dict) -> bool:
    """A script the site itself ships: Material's, or gongshi's chart scripts, by relative path."""
    src = attrs.get("src") or ""
    return ":" not in src and not src.startswith("//") and ("assets/javascripts/" in src or "assets/gongshi/" in src)


def dangerous_markup(html: str) -> list[str]:
    parser = _Tags()
    parser.feed(html)
    return parser.found


def test_every_payload_is_published_as_text(hostile_sites):
    for site, placed in hostile_sites:
        pages = {url: file_of(site, url).read_text(encoding="utf-8") for url in all_pages(site)}
        for marker, name in placed.items():
            hits = [url for url, html in pages.items() if marker in html]
            assert len(hits) >= 3, (name, hits)  # its project page, its category, its unit, the list...
        for url, html in pages.items():
            assert dangerous_markup(html) == [], (url, dangerous_markup(html))


def pages_to_visit(site: Path, placed: dict[str, str], per_marker: int = 3) -> list[str]:
    """For each payload, its project page and the first few other pages showing it (a page of each kind
    shows the same fields the same way; tests above read every page's HTML)."""
    texts = {url: file_of(site, url).read_text(encoding="utf-8") for url in all_pages(site)}
    chosen: set[str] = set()
    for marker in placed:
        hits = [url for url, html in texts.items() if marker in html]
        projects = [url for url in hits if url.startswith("projects/") and url != "projects/"]
        others = [url for url in hits if url not in projects]
        chosen.update(projects[:1] + others[: per_marker - 1])
    return sorted(chosen)


def test_no_payload_runs_in_the_browser(hostile_sites, browser):
    context = browser.new_context(locale="zh-CN")
    phone = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, locale="zh-CN")
    problems = {}
    try:
        for site, placed in hostile_sites:
            with serve(site) as url:
                for path in pages_to_visit(site, placed):
                    visit = open_page(context, url, path)
                    found = visit.page.evaluate("""() => {
                        const out = [];
                        for (const s of document.scripts)
                            if (!(s.type === 'application/json' || (s.src && new URL(s.src).origin === location.origin)))
                                out.push('script: ' + s.outerHTML.slice(0, 60));
                        for (const el of document.querySelectorAll('article *')) {
                            for (const a of el.attributes) {
                                if (a.name.startsWith('on')) out.push('handler: ' + a.name);
                                if (/^\\s*(javascript|vbscript|data):/i.test(a.value)) out.push('url: ' + a.value.slice(0, 40));
                            }
                            // Our own drawings (share bars, charts, the map, QR codes) are SVG; content never is.
                            const ours = el.closest('.gs-sharebar, .gs-chart, .gs-map-svg, .gs-notice-qr, .md-icon, .md-button');
                            if (['IFRAME', 'OBJECT', 'EMBED', 'STYLE', 'BASE', 'FORM', 'svg'].includes(el.tagName) && !ours)
                                out.push('element: ' + el.tagName);
                        }
                        return out;
                    }""")
                    found += [f"dialog: {d}" for d in visit.dialogs]
                    found += [f"other host: {h}" for h in visit.other_hosts]
                    # A relative <img src> in a body that names no file is a 404, not a risk: the link
                    # checker reports it on the real site. Anything else in the console is a finding.
                    found += [
                        f"console: {e}"
                        for e in visit.console_errors
                        if not e.startswith("Failed to load resource: the server responded with a status of 404")
                    ]
                    text = visit.page.locator("article").first.inner_text(timeout=5000)
                    if not any(marker in text for marker in placed):
                        found.append("payload not visible")
                    visit.page.close()
                    if not path.startswith("projects/"):
                        problems.update({path: found} if found else {})
                        continue
                    small = open_page(phone, url, path)
                    scroll = small.page.evaluate(
                        "() => document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth"
                    )
                    if scroll > 0:
                        found.append(f"scrolls sideways by {scroll} px on a phone")
                    small.page.close()
                    if found:
                        problems[path] = found
    finally:
        context.close()
        phone.close()
    assert not problems, problems


def test_search_index_is_built_from_hostile_pages(hostile_sites):
    import json

    for site, _ in hostile_sites:
        entry = json.loads((site / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
        assert entry["languages"]["zh"]["page_count"] > 0


# --- rejected, with file, line and field ----------------------------------------------------------

TITLE = "title: 青山镇茶叶加工厂建设项目"


def _line(project: Path, needle: str) -> int:
    lines = (project / TEA).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if needle in line)


REJECTED = {
    # name: (text replacing the title line, field named in the error, words in the message)
    "bell": ('title: "项目\\a名称"', "title", "控制字符"),
    "escape-sequence": ('title: "\\e[31m红色"', "title", "控制字符"),
    "nul": ('title: "项目\\0"', "title", "控制字符"),
    "c1-control": ('title: "项目\\x9b2J名称"', "title", "控制字符"),
    "right-to-left-override": ('title: "项目\\u202E名称"', "title", "控制字符"),
    "bidi-isolate": ('title: "\\u2066项目\\u2069"', "title", "控制字符"),
    "name-10000": ("title: " + "长" * 10_000, "title", "200"),
    "python-object": ("title: !!python/object/apply:os.system [echo hi]", "title", "标签"),
    "python-name": ("title: !!python/name:os.system", "title", "标签"),
    "custom-tag": ("title: !shell ls", "title", "标签"),
    "alias-bomb": (
        TITLE
        + "\n"
        + "\n".join(
            ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
            + [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
        ),
        None,
        "过大",
    ),
    "merge-key": (TITLE + "\nbase: &b {x: 1}\nmore:\n  <<: *b", None, "字段名无效"),
    "deep-yaml-list": ("title: " + "[" * 5000 + "]" * 5000, "(YAML)", "嵌套"),
    "deep-yaml-map": ("title: " + "{a: " * 3000 + "1" + "}" * 3000, "(YAML)", "嵌套"),
    "raw-control-in-body": (TITLE, "body", "控制字符"),
    "backticks-in-body": (TITLE, "body", "反引号"),
    "brackets-in-body": (TITLE, "body", "方括号"),
    "deep-list-in-body": (TITLE, "body", "层次过深"),
    "huge-body": (TITLE, "body", "正文过长"),
    "bidi-in-body": (TITLE, "body", "控制字符"),
}
BODIES = {
    "raw-control-in-body": "正文\x07\x1b[2J清屏\n",
    "bidi-in-body": "正文 \u202e gnp.exe\n",
    # Each of these took Python-Markdown minutes, seconds or its whole stack before the body was checked.
    "backticks-in-body": "正文\n" + "`" * 6000 + "\n",
    "brackets-in-body": "正文\n" + "[a" * 5000 + "\n",
    "deep-list-in-body": "正文\n" + "\n".join("  " * i + "- x" for i in range(100)) + "\n",  # 2,000 crashed
    "huge-body": "正文\n" + "长" * 60_000 + "\n",
}
# Where the error must point in the body: the first line showing the problem.
BODY_LINE_MARKS = ("\x07", "\u202e", "``", "[a", " " * 41, "长长")


@pytest.mark.parametrize("name", list(REJECTED))
def test_hostile_input_is_rejected_clearly_and_builds_nothing(project, name):
    replacement, field, words = REJECTED[name]
    path = project / TEA
    text = path.read_text(encoding="utf-8")
    assert TITLE in text
    text = text.replace(TITLE, replacement, 1)
    if name in BODIES:
        text = text.rstrip("\n") + "\n" + BODIES[name]
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentErrors) as caught:
        load_site(project / "content", project)
    errors = caught.value.errors
    assert len(errors) == 1, [e.format() for e in errors]
    error = errors[0]
    assert error.file == TEA
    assert words in error.message_zh + str(error.expected) + str(error.found), error.format()
    assert error.message_en
    if field == "body":
        bad_line = next(
            i for i, line in enumerate(text.split("\n"), start=1) if any(c in line for c in BODY_LINE_MARKS)
        )
        assert (error.field, error.line) == ("body", bad_line), error.format()
    elif field == "(YAML)":
        assert error.field == field and error.line == _line(project, replacement[:12]), error.format()
    elif field:
        assert error.field == field and error.line == _line(project, replacement.split("\n")[0][:12]), error.format()
    else:
        assert error.line is not None and error.line > 1, error.format()
    result = run_build(project)  # the real build: refused within the timeout, with the same error, no site
    assert result.returncode != 0
    assert f"{TEA}:{error.line}" in result.stderr, result.stderr[-2000:]
    assert not (project / "site").exists()


def test_a_huge_file_is_refused_before_parsing(project):
    path = project / TEA
    path.write_text(path.read_text(encoding="utf-8") + "长" * 1_000_000, encoding="utf-8")
    with pytest.raises(ContentErrors) as caught:
        load_site(project / "content", project)
    error = caught.value.errors[0]
    assert error.file == TEA and "过大" in error.message_zh and "bytes" in error.found
