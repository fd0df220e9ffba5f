"""Page weight per page type, as Chromium loads a built site: first visit and repeat visit, gzipped.

A local server serves the site; Debian's Chromium (through Playwright, as in the tests) opens one page
of each type in a fresh profile and records every request, then opens a second page of the same type
in the same profile. Bytes are each requested file gzipped at level 6, as a static host serves text
(images as they are; Pagefind's index files are gzipped already). The repeat visit counts only the
requests not made before in that profile: a warm cache (Material's assets have fingerprinted names)
serves the rest.

Then the search: on a page, each query is typed into the header's box (a fresh profile for the first,
the same one after it), and the script reports the time from the input until the first result is on
the page and what was fetched for it.

    python bench/weight.py bench/out/gongshi-10000/site --query 项目 --query 县林业局
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import os
import shutil
import threading
from pathlib import Path
from urllib.parse import unquote, urlparse

COMPRESSED = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".csv", ".geojson", ".map"}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def gz_size(path: Path) -> int:
    data = path.read_bytes()
    return len(gzip.compress(data, 6, mtime=0)) if path.suffix in COMPRESSED else len(data)


def page_types(site: Path) -> dict[str, list[str]]:
    """Page type → two example URLs: the home page, each top-level index, and pages below it."""
    types: dict[str, list[str]] = {"home": ["", ""]}
    for folder in sorted(p for p in site.iterdir() if p.is_dir()):
        name = folder.name
        if name in ("assets", "search") or not any(folder.glob("**/index.html")):
            continue
        if (folder / "index.html").is_file():
            types[f"{name}/ (index)"] = [f"{name}/", f"{name}/"]
        children = sorted(p.parent.relative_to(site).as_posix() + "/" for p in folder.glob("*/index.html"))
        deeper = sorted(p.parent.relative_to(site).as_posix() + "/" for p in folder.glob("*/*/index.html"))
        if name == "places":  # townships and villages look different
            villages = [c for c in children if not c.rstrip("/").endswith("000")]
            townships = [c for c in children if c.rstrip("/").endswith("000")]
            for label, group in (("village", villages), ("township", townships)):
                if group:
                    types[f"places/ ({label})"] = (group + group)[:2]
        elif children:
            types[f"{name}/*"] = (children + children)[:2]
        if deeper:
            types[f"{name}/*/*"] = (deeper + deeper)[:2]
    return types


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--wait", type=float, default=3.0, help="seconds to wait after load for late requests")
    parser.add_argument("--query", action="append", default=[], help="a search query to time (repeatable)")
    parser.add_argument("--files", action="store_true", help="list each file a query fetched, with its size")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    site = args.site.resolve()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    chromium = os.environ.get("GONGSHI_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")

    def local(url: str) -> Path | None:
        path = unquote(urlparse(url).path).lstrip("/")
        file = site / path
        if file.is_dir() or path == "" or path.endswith("/"):
            file = file / "index.html"
        return file if file.is_file() else None

    print("| page type | first visit KB (gz) | of which search | requests | repeat visit KB (gz) |")
    print("|---|---:|---:|---:|---:|")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=chromium, headless=True, args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        for label, (first, second) in page_types(site).items():
            context = browser.new_context()
            seen: list[str] = []
            context.on("request", lambda r, seen=seen: seen.append(r.url))
            page = context.new_page()
            page.goto(base + first, wait_until="load")
            page.wait_for_timeout(args.wait * 1000)
            cold = list(dict.fromkeys(u for u in seen if u.startswith(base)))
            seen.clear()
            page.goto(base + second, wait_until="load")
            page.wait_for_timeout(args.wait * 1000)
            warm = [u for u in dict.fromkeys(seen) if u.startswith(base) and (u not in cold or u == base + second)]
            context.close()
            first_kb = sum(gz_size(f) for f in map(local, cold) if f) / 1024
            repeat_kb = sum(gz_size(f) for f in map(local, warm) if f) / 1024
            search_kb = sum(gz_size(f) for u, f in zip(cold, map(local, cold)) if f and is_search(u)) / 1024
            print(f"| {label} | {first_kb:,.1f} | {search_kb:,.1f} | {len(cold)} | {repeat_kb:,.1f} |")
        if args.query and (site / "pagefind").is_dir():
            print("\n| query | results | first result after (ms) | files fetched | KB fetched (gz) |")
            print("|---|---:|---:|---:|---:|")
            context = browser.new_context()
            seen = []
            context.on("request", lambda r, seen=seen: seen.append(r.url))
            page = context.new_page()
            page.goto(base + "about/" if (site / "about").is_dir() else base, wait_until="load")
            page.wait_for_timeout(args.wait * 1000)
            before = [u for u in seen if is_search(u)]
            for query in args.query:
                seen.clear()
                ms, count = page.evaluate(TIME_QUERY, query)
                page.wait_for_timeout(500)  # fragments of the results below the first
                fetched = [u for u in dict.fromkeys(seen) if is_search(u)]
                kb = sum(gz_size(f) for f in map(local, fetched) if f) / 1024
                print(f"| {query} | {count} | {ms:.0f} | {len(fetched)} | {kb:,.1f} |")
                if args.files:
                    for url, file in zip(fetched, map(local, fetched)):
                        print(f"|   {urlparse(url).path} | | | | {gz_size(file) / 1024 if file else 0:,.1f} |")
            context.close()
            print(f"\nSearch files fetched before the first query: {len(before)}.")
        browser.close()
    server.shutdown()


def is_search(url: str) -> bool:
    """A file the site search fetches: its interface or Pagefind's bundle."""
    path = urlparse(url).path
    return "/pagefind/" in path or path.endswith("/assets/gongshi/search.js")


# Types a query into the header's search box; resolves with (ms until the first result is shown, results).
TIME_QUERY = """(query) => new Promise((resolve) => {
    const list = document.getElementById('gs-search-results');
    const box = document.getElementById('gs-search-query');
    const start = performance.now();
    const done = () => {
        if (!list.querySelector('.gs-result')) return false;
        const status = document.getElementById('gs-search-status').textContent;
        resolve([performance.now() - start, parseInt((status.match(/\\d+/) || ['0'])[0], 10)]);
        return true;
    };
    const watch = new MutationObserver(() => { if (done()) watch.disconnect(); });
    list.textContent = '';
    watch.observe(list, {childList: true});
    box.focus();
    box.value = query;
    box.dispatchEvent(new Event('input', {bubbles: true}));
    setTimeout(() => { watch.disconnect(); resolve([NaN, 0]); }, 20000);
})"""

if __name__ == "__main__":
    main()
