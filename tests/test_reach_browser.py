"""Reaching readers, in Debian's Chromium with a CJK font: the site served under a portal's sub-path and every
link crawled; every reading mode passes axe-core and fits a phone; the modes are remembered and reachable by
keyboard; without JavaScript the pages stay readable at a large text size; the A3 notice prints on one A3
sheet; Yi text is drawn with the Yi font the site serves itself."""

from __future__ import annotations

import functools
import http.server
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urljoin, urlsplit
from urllib.request import urlopen

import pytest
from browser import open_page
from conftest import copy_project, run_build
from gates import PHONE, axe_problems, load_problems, phone_problems
from test_browser_villages import pdf_pages
from test_reach import with_yi

PORTAL = "https://www.example.gov.cn/zt/gongshi/"
PREFIX = "/zt/gongshi/"
MODES = {
    "large text": {"text": "large"},
    "high contrast": {"contrast": "high"},
    "both": {"text": "large", "contrast": "high"},
}
# One page of each kind a reader meets most (the quality gates cover every kind in the default mode).
READER_PAGES = [
    "",
    "projects/tea-processing/",
    "projects/tea-processing/simple/",
    "places/990101100201/",
    "places/map/",
    "funds/",
    "notices/projects/tea-processing/a3/",
]


# --- the site under a portal's sub-path --------------------------------------------------------------------


class _Prefixed(http.server.SimpleHTTPRequestHandler):
    """Serves the site only under `prefix`, as a portal would; anything else, and anything missing, is the
    site's 404 page with status 404."""

    prefix = "/"

    def log_message(self, format, *args):
        pass

    def send_head(self):
        path = urlsplit(self.path).path
        if not path.startswith(self.prefix):
            self.send_error(404)
            return None
        self.path = "/" + path[len(self.prefix) :]
        return super().send_head()


@contextmanager
def serve_under(directory: Path, prefix: str) -> Iterator[str]:
    handler = type("Handler", (_Prefixed,), {"prefix": prefix})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for name in ("href", "src"):
            if a.get(name):
                self.links.append(a[name])
        if a.get("data-scripts"):  # the funds page's charts: fetched on request, named from the site's root
            self.links += ["/" + src for src in a["data-scripts"].split()]
        if a.get("srcset"):
            self.links += [part.split()[0] for part in a["srcset"].split(",") if part.strip()]
        if (
            tag == "meta"
            and (a.get("property") or "").startswith("og:")
            and (a.get("content") or "").startswith("http")
        ):
            self.links.append(a["content"])


def crawl(base: str, site: Path, site_url: str | None) -> tuple[set[str], list[str]]:
    """Every page and file reachable from the home page under `base`, following every link, stylesheet url()
    and absolute address under `site_url` (mapped to `base`); returns (reached paths, broken links)."""
    seen: set[str] = set()
    broken: list[str] = []
    queue = [base]
    while queue:
        url = queue.pop()
        path = urlsplit(url).path
        if path in seen:
            continue
        seen.add(path)
        try:
            with urlopen(url, timeout=30) as response:
                body = response.read()
                kind = response.headers.get("Content-Type", "")
        except HTTPError as exc:
            broken.append(f"{url}: {exc.code}")
            continue
        refs: list[str] = []
        if "html" in kind:
            parser = _Links()
            parser.feed(body.decode("utf-8"))
            refs = parser.links
        elif "css" in kind and "assets/stylesheets/" not in path:
            refs = re.findall(r"url\(\s*['\"]?([^'\")]+)", body.decode("utf-8"))
        for ref in refs:
            if site_url and ref.startswith(site_url):
                ref = base + ref[len(site_url) :]
            elif ref.startswith("/") and not ref.startswith(urlsplit(base).path):
                ref = base + ref[1:]  # data-scripts: from the site's root
            elif re.match(r"^(?:[a-z]+:|//|#)", ref) and not ref.startswith(base):
                continue  # another host (MIIT, tel:, mailto:), a data: URI or an anchor
            target = urljoin(url, ref).split("#")[0]
            if not target.startswith(base.rstrip("/")):
                broken.append(f"{url}: {ref} leaves the site's path")
                continue
            if urlsplit(target).path not in seen:
                queue.append(target)
    return seen, broken


@pytest.fixture(scope="module")
def portal_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test county built for a portal's sub-path, with Yi text (fonts) and every channel."""
    project = with_yi(copy_project(tmp_path_factory.mktemp("portal") / "project"))
    result = run_build(project, env={"SITE_URL": PORTAL})
    assert result.returncode == 0, result.stderr
    return project / "site"


def test_every_link_resolves_under_the_portal_path(portal_site: Path):
    with serve_under(portal_site, PREFIX) as base:
        reached, broken = crawl(base, portal_site, PORTAL)
    assert broken == []
    files = {
        PREFIX + p.relative_to(portal_site).as_posix().removesuffix("index.html")
        for p in portal_site.rglob("*")
        if p.is_file() and p.suffix in (".html", ".png", ".txt", ".xml", ".woff", ".css", ".js", ".csv", ".json")
    }
    # Every page and channel file is linked from somewhere. Not linked, by design: search's index and interface
    # (fetched by script as the visitor types), Material's own bundle, the 404 page and sitemap, a script only pages
    # with notice periods load (the test county has none), plotly's licence file, the schemas editors fetch.
    unlinked = r"/(pagefind|assets/(javascripts|stylesheets))/|/404\.html$|sitemap|/search\.js$|notice-period\.js$"
    unlinked += r"|LICENSE-plotly|/schema/"
    unreached = sorted(f for f in files - reached if not re.search(unlinked, f))
    assert unreached == [], unreached


def test_the_same_build_works_under_any_other_path(portal_site: Path):
    """Links are relative: served under a path the build never heard of, everything still resolves (the 404 page
    aside, which a web server shows at any depth and so names the site's path from site_url)."""
    with serve_under(portal_site, "/some/other/place/") as base:
        reached, broken = crawl(base, portal_site, None)
    assert broken == [] and len(reached) > 100


def test_the_404_page_finds_its_assets_under_the_portal_path(portal_site: Path):
    html = (portal_site / "404.html").read_text(encoding="utf-8")
    for ref in re.findall(r'(?:href|src)="(/[^"]*)"', html):
        assert ref.startswith(PREFIX), ref
        assert (portal_site / ref[len(PREFIX) :].split("#")[0]).exists() or ref.endswith("/"), ref


def test_pages_load_cleanly_in_chromium_under_the_portal_path(context, portal_site: Path):
    with serve_under(portal_site, PREFIX) as base:
        problems = load_problems(context, base, ["", "projects/tea-processing/", "places/map/", "funds/"])
    assert problems == {}


# --- reading modes -----------------------------------------------------------------------------------------


def _mode_context(browser, modes: dict[str, str], **options):
    """A browser context whose pages open in the given reading modes, as a visitor who chose them before."""
    context = browser.new_context(locale="zh-CN", **options)
    values = ";".join(f"document.documentElement.setAttribute('data-gs-{k}', '{v}')" for k, v in modes.items())
    context.add_init_script(f"document.addEventListener('DOMContentLoaded', () => {{ {values} }});")
    return context


@pytest.mark.parametrize("mode", list(MODES))
def test_every_reading_mode_passes_axe_and_fits_a_phone(browser, site_url, mode):
    context = _mode_context(browser, MODES[mode])
    try:
        problems = axe_problems(context, site_url, READER_PAGES)
    finally:
        context.close()
    assert problems == {}, problems
    # No sideways scroll at 360 px: phone_problems opens its own context, so set the mode in each page.
    phone = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    values = ";".join(f"document.documentElement.setAttribute('data-gs-{k}', '{v}')" for k, v in MODES[mode].items())
    phone.add_init_script(f"document.addEventListener('DOMContentLoaded', () => {{ {values} }});")
    try:
        wide = {}
        for path in READER_PAGES:
            page = open_page(phone, site_url, path).page
            page.wait_for_load_state("networkidle")
            widths = page.evaluate(
                "() => [document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"
            )
            if widths[0] > widths[1]:
                wide[path] = widths
            page.close()
    finally:
        phone.close()
    assert wide == {}, wide


CONTRAST = (Path(__file__).parent / "contrast.js").read_text(encoding="utf-8")
"""For each visible link and button with text: its text colour over the background it is drawn on (the nearest
painted ancestors, blended), as a WCAG contrast ratio; those below 4.5:1 (3:1 for large text)."""


FIT = (Path(__file__).parent / "fit.js").read_text(encoding="utf-8")
"""A field label (th of a facts table) broken over lines; a table cell narrower than its text."""

TITLE = """() => {
  const title = document.querySelector('article h1'); if (!title) return [];
  const weight = (el) => Number(getComputedStyle(el).fontWeight);
  const out = [];
  if (getComputedStyle(title).color !== getComputedStyle(document.querySelector('article')).color)
    out.push(`title colour ${getComputedStyle(title).color} is not the text colour`);
  for (const heading of document.querySelectorAll('article h2, article h3'))
    if (weight(heading) > weight(title)) out.push(`title weight ${weight(title)} lighter than “${heading.innerText.slice(0, 20)}”`);
  return out;
}"""
"""The page title is drawn in the text colour, and no heading below it is heavier (Material's grey, light title
read as fainter than the headings under it)."""


@pytest.mark.parametrize("mode", ["normal", *MODES])
def test_every_control_can_be_seen_and_every_label_and_cell_fits_in_each_mode(browser, site_url, mode):
    """In each mode, on a phone and on a desktop, on each reader page (one visit per page, three checks):
    - every link and button can be seen: axe-core leaves out what it cannot decide (a control shown by script, a
      background of several layers), so each control's own contrast is computed; a button drawn in the theme's
      primary colour was black on black in 高对比;
    - 大字 on a phone broke labels inside the word ("业主单/位") and cut numbers off in money tables: each label
      of a facts table is on one line and no table cell is narrower than its text; on a desktop the 大字 text
      column takes most of the width (it was 554 of 1280 px);
    - the page title is in the text colour and as heavy as any heading below it (it was grey and light)."""
    values = ";".join(
        f"document.documentElement.setAttribute('data-gs-{k}', '{v}')" for k, v in MODES.get(mode, {}).items()
    )
    large = MODES.get(mode, {}).get("text") == "large"
    found = {}
    for viewport in (PHONE, {"width": 1280, "height": 900}):
        context = browser.new_context(viewport=viewport, locale="zh-CN")
        context.add_init_script(f"document.addEventListener('DOMContentLoaded', () => {{ {values} }});")
        try:
            for path in READER_PAGES:
                page = open_page(context, site_url, path).page
                page.wait_for_load_state("networkidle")
                problems = page.evaluate(CONTRAST) + page.evaluate(FIT) + page.evaluate(TITLE)
                column = page.evaluate("document.querySelector('.md-content').getBoundingClientRect().width")
                if large and viewport["width"] >= 1220 and column < 0.6 * viewport["width"]:  # 736 px normally
                    problems.append(f"text column {column:.0f} px of {viewport['width']}")
                if problems:
                    found[f"{viewport['width']} px {path or '/'}"] = problems
                page.close()
        finally:
            context.close()
    assert found == {}, found


def test_large_text_is_at_least_half_as_large_again_and_remembered(browser, site_url):
    context = browser.new_context(locale="zh-CN")
    try:
        page = open_page(context, site_url, "projects/tea-processing/").page
        size = "() => parseFloat(getComputedStyle(document.querySelector('.md-typeset')).fontSize)"
        normal = page.evaluate(size)
        button = page.get_by_role("button", name="大字")
        assert button.get_attribute("aria-pressed") == "false"
        button.click()
        assert button.get_attribute("aria-pressed") == "true"
        assert page.evaluate(size) >= 1.5 * normal - 0.01
        page.get_by_role("button", name="高对比").click()
        # Another page, opened afterwards: both modes are applied before it is drawn, and their buttons say so.
        other = open_page(context, site_url, "places/map/").page
        assert other.evaluate("document.documentElement.getAttribute('data-gs-text')") == "large"
        assert other.evaluate("document.documentElement.getAttribute('data-gs-contrast')") == "high"
        assert other.get_by_role("button", name="大字").get_attribute("aria-pressed") == "true"
        background = other.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background == "rgb(0, 0, 0)"
        other.get_by_role("button", name="大字").click()
        third = open_page(context, site_url, "").page
        assert third.evaluate("document.documentElement.getAttribute('data-gs-text')") is None
    finally:
        context.close()


def test_reading_modes_are_reachable_by_keyboard(context, site_url):
    page = open_page(context, site_url, "units/").page
    for _ in range(6):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "大字":
            break
    assert page.evaluate("document.activeElement.textContent.trim()") == "大字"
    page.keyboard.press("Enter")
    assert page.evaluate("document.documentElement.getAttribute('data-gs-text')") == "large"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "高对比"
    page.keyboard.press("Space")
    assert page.evaluate("document.documentElement.getAttribute('data-gs-contrast')") == "high"


def test_without_javascript_pages_follow_a_large_browser_text_size(browser, site_url):
    """JavaScript off, the browser's own text size at 1.5× (24 px): no page scrolls sideways at 360 px, and
    text grows with it (sizes are relative)."""
    context = browser.new_context(
        java_script_enabled=False, viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True
    )
    try:
        wide, sizes = {}, []
        for path in READER_PAGES:
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Page.enable")
            cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 24, "fixed": 20}})
            page.goto(site_url + path)
            widths = page.evaluate(
                "() => [document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"
            )
            if widths[0] > widths[1]:
                wide[path] = widths
            sizes.append(page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)"))
            assert not page.get_by_role("button", name="大字").is_visible()
            page.close()
    finally:
        context.close()
    assert wide == {}, wide
    assert min(sizes) >= 29.9  # Material's 125 % of the 24 px the reader chose


def test_simple_view_is_linked_from_the_reading_bar(context, site_url):
    page = open_page(context, site_url, "projects/tea-processing/").page
    page.get_by_role("link", name="简读版").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("projects/tea-processing/simple/")
    assert "480 万元" in page.locator("article").inner_text()


# --- A3 large print ----------------------------------------------------------------------------------------


def test_a3_notices_print_on_one_a3_sheet(context, site_url, built_site: Path):
    notices = sorted(built_site.glob("notices/*/*/a3/index.html"))
    assert notices
    for notice in notices:
        path = notice.parent.relative_to(built_site).as_posix() + "/"
        page = open_page(context, site_url, path).page
        page.emulate_media(media="print")
        size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.gs-a3')).fontSize)")
        assert size >= 26, (path, size)  # 20 pt and more on paper
        assert pdf_pages(page.pdf(prefer_css_page_size=True)) == 1, path
        page.close()


# --- Yi ----------------------------------------------------------------------------------------------------


def test_yi_is_drawn_with_the_font_the_site_serves(context, portal_site: Path):
    with serve_under(portal_site, PREFIX) as base:
        visit = open_page(context, base, "projects/tea-processing/")
        page = visit.page
        requests = []
        page.on("request", lambda r: requests.append(r.url))
        page.reload()
        page.wait_for_load_state("networkidle")
        page.evaluate("document.fonts.ready")
        fonts = page.evaluate(
            "Array.from(document.fonts).filter(f => f.family.includes('gongshi Yi')).map(f => f.status)"
        )
        assert fonts == ["loaded"]
        assert any(u.startswith(base) and u.endswith("assets/gongshi/fonts/gongshi-yi.woff") for u in requests)
        assert not [u for u in requests if not u.startswith(base.split(PREFIX)[0])]
        lang = page.evaluate("Array.from(document.querySelectorAll('[lang=ii]')).map(e => e.textContent)")
        assert lang and all(any("\ua000" <= c <= "\ua4cf" for c in t) for t in lang)
        assert page.evaluate("document.fonts.check('20px \"gongshi Yi\"', 'ꊿ')")
        problems = axe_problems(context, base, ["projects/tea-processing/", "notices/projects/tea-processing/"])
    assert problems == {}


def test_phone_layout_holds_for_bilingual_pages(browser, portal_site: Path):
    with serve_under(portal_site, PREFIX) as base:
        problems = phone_problems(browser, base, ["projects/tea-processing/", "places/990101100201/"])
    assert problems == {}
