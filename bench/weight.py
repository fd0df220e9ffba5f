"""Page weight per page type, as Chromium loads a built site: first visit and repeat visit, gzipped.

A local server serves the site; Debian's Chromium (through Playwright, as in the tests) opens one page
of each type in a fresh profile and records every request, then opens a second page of the same type
in the same profile. Bytes are each requested file gzipped at level 6, as a static host serves text
(images as they are). The repeat visit counts only the requests not made before in that profile: a
warm cache (Material's assets have fingerprinted names) serves the rest.

    python bench/weight.py bench/out/gongshi-10000/site
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

    print("| page type | first visit KB (gz) | of which search index | requests | repeat visit KB (gz) |")
    print("|---|---:|---:|---:|---:|")
    index_size = None
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
            index_kb = sum(gz_size(f) for f in map(local, cold) if f and f.name == "search_index.json") / 1024
            print(f"| {label} | {first_kb:,.1f} | {index_kb:,.1f} | {len(cold)} | {repeat_kb:,.1f} |")
        index = site / "search" / "search_index.json"
        if index.is_file():
            index_size = (index.stat().st_size, gz_size(index))
            # Does searching fetch it, when loading did not?
            context = browser.new_context()
            seen = []
            context.on("request", lambda r, seen=seen: seen.append(r.url))
            page = context.new_page()
            page.goto(base + "about/" if (site / "about").is_dir() else base, wait_until="load")
            page.wait_for_timeout(args.wait * 1000)
            on_load = any(u.endswith("search_index.json") for u in seen)
            page.keyboard.press("/")  # Material's search shortcut; a click on the search box does the same
            page.keyboard.type("项目")
            page.wait_for_timeout(args.wait * 1000)
            on_search = any(u.endswith("search_index.json") for u in seen)
            context.close()
        browser.close()
    server.shutdown()
    if index_size:
        print(
            f"\nsearch/search_index.json: {index_size[0] / 2**20:.1f} MB, {index_size[1] / 2**20:.2f} MB gzipped; "
            f"fetched on page load: {'yes' if on_load else 'no'}; fetched once the visitor searches: "
            f"{'yes' if on_search else 'no'}."
        )


if __name__ == "__main__":
    main()
