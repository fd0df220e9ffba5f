"""Every kind of page in a real Chromium: loads cleanly, keeps its facts without JavaScript, fits a phone,
passes axe-core at WCAG 2.2 AA, and runs under a Content-Security-Policy that allows the site's own scripts only.

The pages are discovered from the built site (one or two per URL pattern, see site_pages.py), so pages added
by later work are checked without editing this file.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from browser import open_page
from conftest import ROOT
from helpers import main_text
from site_pages import file_of, representative_pages

from gongshi.content.load import load_site

SITE = load_site(ROOT / "content", ROOT)
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="module")
def pages(built_site: Path) -> list[str]:
    found = representative_pages(built_site)
    assert len(found) >= 10, found  # home, 404, index pages and one of each generated kind
    return found


def _amount(value: Decimal) -> str:
    """An amount in 万元 written with thousands separators and no trailing zeros: '3,952.310194'."""
    text = f"{value:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def model_facts() -> set[str]:
    """Names and amounts a reader must be able to find, taken from the Site model (not from the output)."""
    facts = {p.title for p in SITE.projects} | {_amount(p.investment) for p in SITE.projects}
    facts |= {u.name for u in SITE.used_units} | {p.name for p in SITE.linked_places}
    for plan in SITE.plans:
        facts |= {c.name for c in plan.categories} | {_amount(c.amount) for c in plan.categories}
    facts.add(_amount(sum((p.investment for p in SITE.projects), Decimal(0))))
    return {f for f in facts if len(f) >= 2}


def test_every_page_type_loads_cleanly(context, site_url, pages):
    problems = {}
    for path in pages:
        visit = open_page(context, site_url, path)
        visit.page.wait_for_load_state("networkidle")
        found = {
            "other hosts": visit.other_hosts,
            "console errors": visit.console_errors,
            "failed requests": visit.failed_requests,
            "dialogs": visit.dialogs,
        }
        if not visit.page.locator("h1").first.inner_text().strip():
            found["h1"] = ["empty"]
        found = {k: v for k, v in found.items() if v}
        if found:
            problems[path] = found
        visit.page.close()
    assert not problems, problems


def test_pages_show_their_facts_without_javascript(browser, site_url, built_site, pages):
    facts = model_facts()
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    missing, hidden_tables = {}, {}
    try:
        for path in pages:
            visit = open_page(context, site_url, path)
            shown = visit.page.locator("article").first.inner_text()
            shown = re.sub(r"\s+", " ", shown.replace("\u200b", ""))
            # Every fact the page's HTML states must also be visible (nothing waits for a script to appear).
            stated = [f for f in facts if f in main_text(file_of(built_site, path))]
            lost = [f for f in stated if f not in shown]
            if lost:
                missing[path] = lost
            invisible = visit.page.eval_on_selector_all(
                "article table", "ts => ts.filter(t => !t.getClientRects().length).length"
            )
            if invisible:
                hidden_tables[path] = invisible
            visit.page.close()
    finally:
        context.close()
    assert not missing, missing
    assert not hidden_tables, hidden_tables


def test_key_figures_need_no_javascript(browser, site_url):
    """The checks above only hold if the facts are there: the home page and each project page state them."""
    total = _amount(sum((p.investment for p in SITE.projects), Decimal(0)))
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    try:
        home = open_page(context, site_url, "").page.locator("article").inner_text()
        assert total in home
        for project in SITE.projects:
            page = open_page(context, site_url, f"projects/{project.id}/").page
            text = page.locator("article").inner_text()
            assert project.title in text and _amount(project.investment) in text, project.id
            page.close()
    finally:
        context.close()


def test_no_page_scrolls_sideways_on_a_phone(browser, site_url, pages):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    problems = {}
    try:
        for path in pages:
            visit = open_page(context, site_url, path)
            page = visit.page
            page.wait_for_load_state("networkidle")
            widths = page.evaluate("""() => {
                const s = document.scrollingElement;
                return [s.scrollWidth, s.clientWidth];
            }""")
            found = []
            if widths[0] > widths[1]:
                found.append(f"page is {widths[0]} px wide in a {widths[1]} px viewport")
            # Tables: none may stick out of the page; stacked tables become labelled cards.
            found += page.evaluate(
                """(width) => {
                const out = [];
                for (const t of document.querySelectorAll('article table')) {
                    const box = t.getBoundingClientRect();
                    const scroller = t.closest('.gs-scroll, .gs-facts-wrap, .md-typeset__scrollwrap');
                    if (box.right > width + 0.5 && !scroller) out.push('table sticks out: ' + t.className);
                    if (t.classList.contains('gs-stack')) {
                        if (t.scrollWidth > t.clientWidth + 1) out.push('stacked table wider than its card');
                        const head = t.querySelector('thead');
                        if (head && head.getBoundingClientRect().height > 1) out.push('stacked table shows its header row');
                        for (const td of t.querySelectorAll('tbody td, tfoot td')) {
                            if (!td.textContent.trim()) continue;
                            const label = getComputedStyle(td, '::before').content;
                            if (!td.dataset.label || label === 'none') { out.push('cell without label: ' + td.textContent.trim().slice(0, 20)); break; }
                        }
                    }
                }
                // Readable: no text squeezed into a column narrower than about two characters.
                for (const cell of document.querySelectorAll('article td, article th')) {
                    const box = cell.getBoundingClientRect();
                    if (cell.textContent.trim() && box.width > 0 && box.width < 24) { out.push('cell ' + Math.round(box.width) + ' px wide: ' + cell.textContent.trim().slice(0, 20)); break; }
                }
                return out;
            }""",
                PHONE["width"],
            )
            if found:
                problems[path] = found
            page.close()
    finally:
        context.close()
    assert not problems, problems


def test_axe_finds_no_wcag_22_aa_violation(context, site_url, pages):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    problems = {}
    for path in pages:
        for size in ("desktop", "phone"):  # the phone layout hides the sidebars and stacks the tables
            visit = open_page(context, site_url, path)
            if size == "phone":
                visit.page.set_viewport_size(PHONE)
            visit.page.wait_for_load_state("networkidle")
            results = axe.run(
                visit.page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
            )
            for violation in results.response["violations"]:
                targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]][:3]
                problems.setdefault(path, []).append(f"{size}: {violation['id']} ({violation['impact']}): {targets}")
            visit.page.close()
    assert not problems, problems


CSP_RECORDER = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
    e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sourceFile || '') + ':' + e.lineNumber));
"""


def test_every_page_has_a_strict_script_policy(built_site: Path):
    policy = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)"')
    for path in built_site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        match = policy.search(html)
        assert match, path
        directives = dict(d.strip().split(" ", 1) for d in match.group(1).split(";") if d.strip())
        assert directives["script-src"] == "'self'", path
        assert html.index("Content-Security-Policy") < html.index("<script"), path  # before any script
        # No inline script that the policy would block: every executable <script> has a src.
        for tag, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S):
            assert "src=" in tag or 'type="application/json"' in tag, (path, tag, body[:80])
        handlers = [
            tag
            for tag in re.findall(r"<[a-zA-Z][^>]*>", re.sub(r"<script.*?</script>", "", html, flags=re.S))
            if re.search(r"\son[a-z]+\s*=", re.sub(r'"[^"]*"', '""', tag))
        ]
        assert not handlers, (path, handlers[:3])  # inline event handlers are inline script too


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
        visit.page.locator("#gs-search-query").fill("竹笋")
        visit.page.locator(".gs-result").first.wait_for(timeout=15000)
        assert visit.page.evaluate("window.__csp.filter(v => !v.includes('inline'))") == []
    finally:
        context.close()
