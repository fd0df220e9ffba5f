"""Every kind of page in a real Chromium: loads cleanly, keeps its facts without JavaScript, fits a phone,
passes axe-core at WCAG 2.2 AA, and runs under a Content-Security-Policy that allows the site's own scripts only.

The pages are discovered from the built site (one or two per URL pattern, see site_pages.py), so pages added
by later work are checked without editing this file. The gates themselves are in gates.py: the repository's
own content passes the same ones (tests/content/)."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import open_page
from gates import (
    axe_problems,
    facts,
    load_problems,
    no_javascript_problems,
    phone_problems,
    script_policy_problems,
    wide_problems,
)
from records import amount, fixture
from site_pages import representative_pages

RECORDS = fixture()


@pytest.fixture(scope="module")
def pages(built_site: Path) -> list[str]:
    found = representative_pages(built_site)
    assert len(found) >= 10, found  # home, 404, index pages and one of each generated kind
    return found


def test_every_page_type_loads_cleanly(context, site_url, pages):
    problems = load_problems(context, site_url, pages)
    assert not problems, problems


def test_pages_show_their_facts_without_javascript(browser, site_url, built_site, pages):
    problems = no_javascript_problems(browser, site_url, built_site, pages, facts(RECORDS))
    assert not problems, problems


def test_key_figures_need_no_javascript(browser, site_url):
    """The checks above only hold if the facts are there: the home page and each project page state them."""
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    try:
        home = open_page(context, site_url, "").page.locator("article").inner_text()
        assert amount(RECORDS.plans[0]["total"]) in home
        for project in RECORDS.projects:
            page = open_page(context, site_url, f"projects/{project['id']}/").page
            text = page.locator("article").inner_text()
            assert project["title"] in text and amount(project["investment"]) in text, project["id"]
            page.close()
    finally:
        context.close()


def test_no_page_scrolls_sideways_on_a_phone(browser, site_url, pages):
    problems = phone_problems(browser, site_url, pages)
    assert not problems, problems


def test_no_cell_is_squeezed_on_a_wide_screen(browser, site_url, pages):
    """Beside a long column (a list of fields, a description) the short ones keep room for their words."""
    problems = wide_problems(browser, site_url, pages)
    assert not problems, problems


def test_axe_finds_no_wcag_22_aa_violation(context, site_url, pages):
    problems = axe_problems(context, site_url, pages)
    assert not problems, problems


def test_axe_does_find_a_violation(context, tmp_path: Path):
    """The gate can fail: an image without alternative text and an unlabelled field are reported."""
    from browser import serve

    (tmp_path / "index.html").write_text(
        '<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>x</title></head>'
        '<body><main><h1>x</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input></main></body></html>',
        encoding="utf-8",
    )
    with serve(tmp_path) as url:
        problems = axe_problems(context, url, [""])
    found = " ".join(problems.get("", []))
    assert "image-alt" in found and "label" in found, problems


CSP_RECORDER = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
    e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sourceFile || '') + ':' + e.lineNumber));
"""


def test_every_page_has_a_strict_script_policy(built_site: Path):
    problems = script_policy_problems(built_site)
    assert not problems, problems[:20]


def test_the_policy_blocks_injected_script_and_nothing_of_ours(browser, site_url, pages):
    context = browser.new_context(locale="zh-CN")
    context.add_init_script(CSP_RECORDER)
    try:
        blocked = {}
        for path in pages:
            visit = open_page(context, site_url, path)
            visit.page.wait_for_load_state("networkidle")
            violations = visit.page.evaluate("window.__csp")
            if violations or visit.console_errors:
                blocked[path] = violations + visit.console_errors
            visit.page.close()
        assert not blocked, blocked
        # The policy is in force: a script injected into the page (as an XSS would) does not run.
        visit = open_page(context, site_url, "")
        ran = visit.page.evaluate("""() => {
            const s = document.createElement('script');
            s.textContent = 'window.__injected = true';
            document.body.appendChild(s);
            return window.__injected === true;
        }""")
        assert ran is False
        assert any(v.startswith("script-src") for v in visit.page.evaluate("window.__csp"))
        # The site's search works under it: Pagefind's worker and WebAssembly load and answer.
        visit.page.locator("#gs-search-query").fill("茶叶")
        visit.page.locator(".gs-result").first.wait_for(timeout=15000)
        assert visit.page.evaluate("window.__csp.filter(v => !v.includes('inline'))") == []
    finally:
        context.close()
