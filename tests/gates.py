"""The quality gates as functions of a built site, so that the test county's site (tests/test_quality_*.py)
and the repository's own content (tests/content/) pass the same gates. Each returns what it found wrong."""

from __future__ import annotations

import re
from pathlib import Path

from browser import open_page
from helpers import main_text
from records import Records, amount
from site_pages import file_of

from gongshi.gates.nu import is_material_toggle, validate
from gongshi.gates.site import AXE_TAGS

PHONE = {"width": 360, "height": 740}
WIDE = {"width": 1280, "height": 800}

# --- what the pages must state ----------------------------------------------------------------


def facts(records: Records) -> set[str]:
    """Names and amounts a reader must be able to find, taken from the content files (not from the output)."""
    found = {p["title"] for p in records.projects} | {amount(p["investment"]) for p in records.projects}
    used = {unit_id for p in records.projects for unit_id in records.unit_ids(p)}
    found |= {u["name"] for u in records.units if u["id"] in used}
    found |= {records.official[code]["name"] for code in records.named_places()}
    for plan in records.plans:
        found |= {c["name"] for c in plan["categories"]} | {amount(c["amount"]) for c in plan["categories"]}
        found.add(amount(plan["total"]))
    return {f for f in found if len(f) >= 2}


# --- static gates -------------------------------------------------------------------------------


def html_errors(site: Path) -> list[str]:
    """Every page of the site through the Nu Html Checker: its errors, as 'page:line: message'."""
    pages = sorted(site.rglob("*.html"))
    assert len(pages) >= 20, pages
    errors = [m for m in validate(pages) if not is_material_toggle(m)]
    return [f"{m['url'].split(str(site))[-1]}:{m.get('lastLine')}: {m['message']}" for m in errors]


def foreign_resources(site: Path) -> list[str]:
    """Resources a page or stylesheet would load from another host (outbound <a href> links are fine)."""
    pattern = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.I)
    css_url = re.compile(r"""url\(\s*["']?(?:https?:)?//""", re.I)
    problems = []
    for path in sorted(site.rglob("*")):
        if path.suffix not in (".html", ".css"):
            continue
        text = path.read_text(encoding="utf-8")
        hits = [m.group(0) for m in pattern.finditer(text)] + [m.group(0) for m in css_url.finditer(text)]
        problems += [f"{path.relative_to(site)}: {h}" for h in hits if not re.search(r"href", h, re.I)]
        if "fonts.googleapis" in text or "fonts.gstatic" in text:
            problems.append(f"{path.relative_to(site)}: Google Fonts")
        if path.suffix == ".html":
            for tag in re.findall(r"<link[^>]+>", text):
                if re.search(r"href=\"(https?:)?//", tag):
                    problems.append(f"{path.relative_to(site)}: {tag}")
    return problems


def script_policy_problems(site: Path) -> list[str]:
    """Pages without a strict script policy before their first script, or with inline script or handlers."""
    policy = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)"')
    problems = []
    for path in sorted(site.rglob("*.html")):
        where = path.relative_to(site).as_posix()
        html = path.read_text(encoding="utf-8")
        match = policy.search(html)
        if not match:
            problems.append(f"{where}: no Content-Security-Policy")
            continue
        directives = dict(d.strip().split(" ", 1) for d in match.group(1).split(";") if d.strip())
        if directives.get("script-src") != "'self'":
            problems.append(f"{where}: script-src {directives.get('script-src')}")
        if "<script" in html and html.index("Content-Security-Policy") > html.index("<script"):
            problems.append(f"{where}: a script comes before the policy")
        # No inline script that the policy would block: every executable <script> has a src.
        for tag, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S):
            if not ("src=" in tag or 'type="application/json"' in tag):
                problems.append(f"{where}: inline script {body[:60]!r}")
        for tag in re.findall(r"<[a-zA-Z][^>]*>", re.sub(r"<script.*?</script>", "", html, flags=re.S)):
            if re.search(r"\son[a-z]+\s*=", re.sub(r'"[^"]*"', '""', tag)):  # inline handlers are inline script
                problems.append(f"{where}: handler {tag[:60]}")
    return problems


# --- browser gates ----------------------------------------------------------------------------


def load_problems(context, url: str, pages: list[str]) -> dict[str, dict]:
    """Pages that asked another host, logged a console error, had a failed request or a dialog, or no h1."""
    problems = {}
    for path in pages:
        visit = open_page(context, url, path)
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
    return problems


def no_javascript_problems(browser, url: str, site: Path, pages: list[str], stated: set[str]) -> dict[str, list]:
    """With JavaScript off: facts a page's HTML states that are not visible, and tables that do not show."""
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    problems: dict[str, list] = {}
    try:
        for path in pages:
            visit = open_page(context, url, path)
            shown = visit.page.locator("article").first.inner_text()
            shown = re.sub(r"\s+", " ", shown.replace("\u200b", ""))
            # Every fact the page's HTML states must also be visible (nothing waits for a script to appear).
            here = main_text(file_of(site, path))
            lost = [f for f in stated if f in here and f not in shown]
            invisible = visit.page.eval_on_selector_all(
                "article table", "ts => ts.filter(t => !t.getClientRects().length).length"
            )
            if lost or invisible:
                problems[path] = lost + ([f"{invisible} hidden table(s)"] if invisible else [])
            visit.page.close()
    finally:
        context.close()
    return problems


PHONE_CHECK = """(width) => {
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
    return out;
}"""

# Readable: no text wrapped in a column narrower than two characters of its own font (with a real Chinese font a
# Han character is 1 em; the padding is not room for text). Header cells of a visually hidden header row (stacked
# tables: read by screen readers, seen by nobody) are skipped.
SQUEEZED_CELL = """() => {
    const out = [];
    for (const cell of document.querySelectorAll('article td, article th')) {
        const group = cell.closest('thead, tbody, tfoot');
        const shown = group ? group.getBoundingClientRect() : null;
        if (!cell.textContent.trim() || (shown && (shown.width <= 1 || shown.height <= 1))) continue;
        const style = getComputedStyle(cell);
        const box = cell.getBoundingClientRect();
        const room = box.width - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        const range = document.createRange();
        range.selectNodeContents(cell);
        const lines = new Set(Array.from(range.getClientRects(), r => Math.round(r.bottom))).size;
        if (box.width > 0 && lines > 1 && room < 2 * parseFloat(style.fontSize) - 0.5) {
            out.push('cell ' + Math.round(box.width) + ' px wide, ' + Math.round(room) + ' px for text: ' + cell.textContent.trim().slice(0, 20));
            break;
        }
    }
    return out;
}"""


def phone_problems(browser, url: str, pages: list[str]) -> dict[str, list[str]]:
    """At 360 px: pages that scroll sideways, tables that stick out, stacked tables that are not labelled cards."""
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    problems = {}
    try:
        for path in pages:
            visit = open_page(context, url, path)
            page = visit.page
            page.wait_for_load_state("networkidle")
            widths = page.evaluate(
                "() => [document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"
            )
            found = []
            if widths[0] > widths[1]:
                found.append(f"page is {widths[0]} px wide in a {widths[1]} px viewport")
            found += page.evaluate(PHONE_CHECK, PHONE["width"])
            found += page.evaluate(SQUEEZED_CELL)
            if found:
                problems[path] = found
            page.close()
    finally:
        context.close()
    return problems


def wide_problems(browser, url: str, pages: list[str]) -> dict[str, list[str]]:
    """At 1280 px: cells whose words are squeezed beside a long column."""
    context = browser.new_context(viewport=WIDE, locale="zh-CN")
    problems = {}
    try:
        for path in pages:
            page = open_page(context, url, path).page
            page.wait_for_load_state("networkidle")
            found = page.evaluate(SQUEEZED_CELL)
            if found:
                problems[path] = found
            page.close()
    finally:
        context.close()
    return problems


def axe_problems(context, url: str, pages: list[str]) -> dict[str, list[str]]:
    """axe-core at WCAG 2.2 AA (no rule disabled), desktop and phone: the violations found."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    problems: dict[str, list[str]] = {}
    for path in pages:
        for size in ("desktop", "phone"):  # the phone layout hides the sidebars and stacks the tables
            visit = open_page(context, url, path)
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
    return problems
