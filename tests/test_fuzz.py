"""Fuzz (issue 17): random samples from our own hostile corpus (tests/hostile_corpus.py) in every text field of a
small county, its Markdown bodies and its commit messages. Each run draws new samples; the seed is printed
and named in every failure — rerun with GONGSHI_FUZZ_SEED=<seed> to get the same samples.

- Publishable samples: the site builds; no page carries live markup from content; every sample is published;
  feed, sitemap and XLSX parse; no download holds a formula; no output holds a refused character; and in
  Chromium, under the site's CSP, no page shows a dialog, a CSP violation, a console error, a request to
  another host, a script, handler or script URL from content, or a link inside a chart.
- The county's own pages (docs/about.md, docs/notes/page.md) carry hostile bodies too, checked like every page.
- Refused samples (one control, bidi, separator or non-character each, or nothing visible): exactly one error,
  naming the file, line and field where the sample was put.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import random
import re
import xml.etree.ElementTree as ET
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from browser import open_page, serve
from conftest import run_build
from hostile_corpus import BLANK, Corpus
from openpyxl import load_workbook
from tiny_county import data, git, make_project, write_content

from gongshi.content.load import load_site
from gongshi.content.read import dotted
from gongshi.errors import ContentErrors
from gongshi.text import UNSAFE
from gongshi.web.downloads.cells import formula_like

SEED = int(os.environ.get("GONGSHI_FUZZ_SEED") or random.SystemRandom().randrange(2**31))
NAME, TEXT = 200, 3000  # a Name takes 200 characters; a Text takes 20,000 (3,000 keeps the run short)
PARK, SCHOOL, PLAN = "content/projects/01-park.md", "content/projects/02-school.md", "content/plans/2025.yml"
FIELDS: list[tuple[str, tuple, int]] = [
    ("content/site.yml", ("title",), NAME),
    ("content/site.yml", ("description",), TEXT),
    ("content/site.yml", ("office",), NAME),
    ("content/site.yml", ("county", "province"), NAME),
    ("content/site.yml", ("county", "city"), NAME),
    ("content/site.yml", ("contacts", 0, "name"), NAME),
    ("content/site.yml", ("contacts", 0, "note"), TEXT),
    ("content/places.yml", ("source",), TEXT),
    ("content/places.yml", ("townships", 0, "villages", 0, "official_name"), NAME),
    ("content/places.yml", ("townships", 0, "villages", 1, "official_name"), NAME),
    ("content/units.yml", ("units", 0, "full_name"), NAME),
    ("content/units.yml", ("units", 1, "full_name"), NAME),
    (PLAN, ("title",), NAME),
    (PLAN, ("programme", "name"), NAME),
    (PLAN, ("programme", "partner", "name"), NAME),
    (PLAN, ("programme", "partner", "full_name"), NAME),
    (PLAN, ("document",), NAME),
    (PLAN, ("document_number",), NAME),
    (PLAN, ("issuer",), NAME),
    (PLAN, ("summary",), TEXT),
    (PLAN, ("funding", 0, "name"), NAME),
    (PLAN, ("categories", 0, "name"), NAME),
    (PLAN, ("categories", 0, "description"), TEXT),
    (PLAN, ("categories", 1, "name"), NAME),
    (PARK, ("title",), NAME),
    (PARK, ("location",), NAME),
    (PARK, ("period",), NAME),
    (PARK, ("benefit_mechanism",), TEXT),
    (PARK, ("operation",), TEXT),
    (PARK, ("beneficiaries", "description"), TEXT),
    (PARK, ("beneficiaries", "households", "unit"), NAME),
    (PARK, ("beneficiaries", "people", "unit"), NAME),
    (PARK, ("dividend", "kind"), NAME),
    (PARK, ("dividend", "condition"), TEXT),
    (PARK, ("targets", 0, "indicator"), NAME),
    (PARK, ("targets", 0, "unit"), NAME),
    (PARK, ("targets", 0, "note"), TEXT),
    (PARK, ("progress", 0, "note"), TEXT),
    (PARK, ("dividends_paid", 0, "note"), TEXT),
    (SCHOOL, ("title",), NAME),
    (SCHOOL, ("location",), NAME),
    (SCHOOL, ("period",), NAME),
    (SCHOOL, ("targets", 0, "indicator"), NAME),
    (SCHOOL, ("targets", 0, "unit"), NAME),
]
# The project records' fields: a change to one is shown on the history pages and in the feed, old value and new.
RECORD_FIELDS = [field for field in FIELDS if field[0] in (PARK, SCHOOL)]
# Settings the site reads but does not print: their samples are checked for refusal, not looked for.
NOT_SHOWN = {("county", "province"), ("county", "city"), ("programme", "partner", "name"), ("source",)}
REFUSED_SAMPLES = 24


@contextlib.contextmanager
def seeded():
    """Every failure names the seed that reproduces it."""
    try:
        yield
    except Exception as exc:
        detail = getattr(exc, "stderr", None) or ""
        raise AssertionError(
            f"{type(exc).__name__}: {exc}\n{detail}\n\nfuzz seed {SEED}: rerun with GONGSHI_FUZZ_SEED={SEED}"
        ) from (None if isinstance(exc, AssertionError) else exc)


def put(county: dict, rel: str, path: tuple, value) -> None:
    target = county[rel]
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """The county with a publishable sample in every text field and body, committed to git with hostile
    messages, then some fields changed to new samples; built. Returns the site and the markers placed."""
    print(f"\nfuzz seed {SEED} (GONGSHI_FUZZ_SEED={SEED} reproduces this run)")
    with seeded():
        return _fuzzed(tmp_path_factory.mktemp("fuzz") / "project")


def _commit_message(text: str) -> bytes:
    """A commit message as git takes it: anything but NUL (`git commit` refuses a NUL byte)."""
    return text.replace("\0", "").encode()


def _fuzzed(folder: Path) -> tuple[Path, list[str]]:
    corpus = Corpus(random.Random(SEED))
    county = data()
    markers = []
    for rel, path, limit in FIELDS:
        put(county, rel, path, corpus.text(limit, one_line=limit == NAME))
        if path not in NOT_SHOWN:
            markers.append(corpus.marker())
    for rel in (PARK, SCHOOL):
        county[rel]["body"] = corpus.body()
    project = make_project(folder, county)
    # The county's own pages (docs/): the same hostile Markdown and HTML, through the record body's sanitiser.
    (project / "docs" / "about.md").write_text("# 关于本站\n\n" + corpus.body() + "\n", encoding="utf-8")
    (project / "docs" / "notes").mkdir()
    (project / "docs" / "notes" / "page.md").write_text(corpus.body() + "\n", encoding="utf-8")
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    first = corpus.refused(300)[0]
    git(project, "commit", "-q", "--cleanup=verbatim", "-F", "-", stdin=_commit_message(first))
    for rel, path, limit in corpus.rng.sample(RECORD_FIELDS, 4):  # changes the history pages and feed will show
        put(county, rel, path, corpus.text(limit, one_line=limit == NAME))
        markers.append(corpus.marker())
    write_content(project, county)
    message = corpus.text(500) + corpus.refused(100)[0]
    git(project, "commit", "-q", "-a", "--cleanup=verbatim", "-F", "-", stdin=_commit_message(message))
    result = run_build(project)
    assert result.returncode == 0, result.stderr[-4000:]
    return project / "site", markers


class _Live(HTMLParser):
    """Markup from content that would act: handlers, script URLs, scripts that are not ours, frames, bases."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            if value and re.match(r"\s*(javascript|vbscript|data:text)", value, re.I):
                self.found.append(f"<{tag} {name}={value[:40]}>")
            if name in ("href", "src", "action", "srcset") and value and "evil.example" in value and tag != "a":
                self.found.append(f"<{tag} {name}={value[:40]}>")
        src = values.get("src") or ""
        ours = values.get("type") == "application/json" or (
            src and ":" not in src and not src.startswith("//") and "assets/" in src
        )
        if tag == "script" and not ours:
            self.found.append(f"<script {attrs}>")
        if tag in ("iframe", "object", "embed", "base", "frame", "frameset", "applet"):  # forms: in the browser check
            self.found.append(f"<{tag}>")
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            self.found.append("<meta refresh>")


def live_markup(html: str) -> list[str]:
    parser = _Live()
    parser.feed(html)
    return parser.found


def outputs(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): p.read_text(encoding="utf-8")
        for p in site.rglob("*")
        if p.suffix in (".html", ".json", ".csv", ".xml")
    }


def test_every_sample_is_published_as_text(fuzzed):
    site, markers = fuzzed
    texts = outputs(site)
    with seeded():
        assert set(COUNTY_PAGES) <= set(texts)  # the county's own pages
        everything = "\n".join(texts.values())
        lost = [m for m in markers if m not in everything]
        assert lost == [], lost
        for name, text in texts.items():
            bad = UNSAFE.search(text)
            assert bad is None, (name, hex(ord(bad.group())))
            if name.endswith(".html"):
                assert live_markup(text) == [], (name, live_markup(text))


def test_xml_and_spreadsheets_stay_data(fuzzed):
    site, _ = fuzzed
    with seeded():
        ET.parse(site / "feed.xml")
        ET.parse(site / "sitemap.xml")
        data = (site / "data/gongshi.xlsx").read_bytes()
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            for name in book.namelist():
                if name.endswith((".xml", ".rels")):
                    part = book.read(name)
                    ET.fromstring(part)
                    assert not re.search(rb"<(\w+:)?f[ >]", part), name
        for sheet in load_workbook(io.BytesIO(data)).worksheets:
            assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row), sheet.title
        for csv_file in (site / "data").glob("*.csv"):
            for row in csv.reader(io.StringIO(csv_file.read_text(encoding="utf-8-sig"))):
                assert not [cell for cell in row if formula_like(cell)], (csv_file.name, row)


CHECK_PAGE = """() => {
    const out = [...(window.__gsViolations || [])].map(v => 'csp: ' + v);
    for (const s of document.scripts)
        if (!(s.type === 'application/json' || (s.src && new URL(s.src).origin === location.origin)))
            out.push('script: ' + s.outerHTML.slice(0, 80));
    for (const el of document.querySelectorAll('*')) {
        for (const a of el.attributes) {
            if (a.name.startsWith('on')) out.push('handler: ' + el.tagName + ' ' + a.name);
            if (/^\\s*(javascript|vbscript|data:text)/i.test(a.value)) out.push('url: ' + a.value.slice(0, 60));
        }
    }
    for (const el of document.querySelectorAll('article iframe, article object, article embed, article style, '
                                               + 'article base, article form, .js-plotly-plot svg a'))
        out.push('element: ' + el.tagName);
    return out;
}"""
WATCH_CSP = """window.__gsViolations = [];
document.addEventListener('securitypolicyviolation', e => window.__gsViolations.push(e.violatedDirective + ' ' + e.blockedURI));"""


COUNTY_PAGES = {"about/index.html", "notes/page/index.html"}


def test_nothing_runs_in_chromium_under_the_csp(fuzzed, browser):
    site, markers = fuzzed
    texts = outputs(site)
    pages = sorted(
        name.removesuffix("index.html")
        for name, text in texts.items()
        if name.endswith(".html") and (any(m in text for m in markers) or name in COUNTY_PAGES)
    )
    context = browser.new_context(locale="zh-CN")
    context.add_init_script(WATCH_CSP)
    problems = {}
    try:
        with serve(site) as url:
            for path in pages:
                visit = open_page(context, url, path)
                if path.startswith("funds/") or path.startswith("plans/"):
                    visit.page.wait_for_load_state("networkidle")
                found = visit.page.evaluate(CHECK_PAGE)
                found += [f"dialog: {d}" for d in visit.dialogs]
                found += [f"other host: {h}" for h in visit.other_hosts]
                found += [
                    f"console: {e}"
                    for e in visit.console_errors
                    if not e.startswith("Failed to load resource: the server responded with a status of 404")
                ]
                visit.page.close()
                if found:
                    problems[path] = found
    finally:
        context.close()
    with seeded():
        assert pages and problems == {}, problems


def yaml_line(lines: list[str], path: tuple, record: bool) -> int:
    """The line of the value at `path`, found with PyYAML's own node marks (front matter starts on line 2)."""
    text = "\n".join(lines[1 : lines.index("---", 1)]) if record else "\n".join(lines)
    node = yaml.compose(text)
    for part in path:
        node = node.value[part] if isinstance(part, int) else next(v for k, v in node.value if k.value == part)
    return node.start_mark.line + (2 if record else 1)


def test_refused_samples_name_the_file_line_and_field(tmp_path: Path):
    corpus = Corpus(random.Random(SEED + 1))
    problems = []
    for n in range(REFUSED_SAMPLES):
        rel, path, limit = corpus.rng.choice([*FIELDS, (PARK, ("body",), TEXT), (SCHOOL, ("body",), TEXT)])
        if n % 6 == 5 and limit == NAME:
            sample, char, written = corpus.rng.choice(BLANK), None, None  # a name of nothing visible
            marker = None
        else:
            sample, char, written = corpus.refused(limit, markup=path == ("body",))
            marker = corpus.marker()
        county = data()
        if path == ("body",):
            county[rel]["body"] = "第一段\n\n" + sample
        else:
            put(county, rel, path, sample)
        project = tmp_path / str(n)
        write_content(project, county)
        lines = (project / rel).read_text(encoding="utf-8").split("\n")
        if written is not None and any(written in line for line in lines):  # written as itself
            line = next(i for i, text in enumerate(lines, 1) if written in text)
        elif marker:  # written as a YAML escape: the line where the value starts
            line = next(i for i, text in enumerate(lines, 1) if marker in text)
        else:  # a blank name: the line of its key, as PyYAML marks it
            line = yaml_line(lines, path, rel.endswith(".md"))
        try:
            load_site(project / "content", project)
            problems.append((rel, path, repr(sample), "accepted"))
            continue
        except ContentErrors as exc:
            errors = exc.errors
        expected = (rel, line, dotted(path))
        got = [(e.file, e.line, e.field) for e in errors]
        code = f"U+{ord(char):04X}" if char else "U+"
        if got != [expected] or code not in errors[0].message_zh + str(errors[0].found):
            problems.append((rel, path, repr(sample)[:80], [e.format() for e in errors]))
        if UNSAFE.search(errors[0].format()):
            problems.append((rel, path, "error text carries the character"))
    with seeded():
        assert problems == [], problems
