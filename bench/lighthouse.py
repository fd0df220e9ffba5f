"""Lighthouse scores (mobile, simulated slow 4G) of one page of each type in a built site, served gzipped.

A loopback server serves the site with gzip (level 6) for text files, as GitHub Pages and most static
hosts do; Lighthouse (npm package `lighthouse`, run with Node) drives Debian's Chromium. Lighthouse's
default configuration is the mobile one: a mid-range phone's screen and CPU, and a simulated slow 4G
network (150 ms round trip, 1.6 Mbit/s). Figures only: nothing is asserted.

    npm install --prefix /tmp/lh lighthouse@12
    python bench/lighthouse.py site --lighthouse /tmp/lh/node_modules/.bin/lighthouse

Prints a Markdown table: performance and accessibility score, first contentful paint, largest
contentful paint, total blocking time, cumulative layout shift and bytes transferred; --json keeps
every report's key figures and the failed audits.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import mimetypes
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import ClassVar
from urllib.parse import unquote, urlparse

COMPRESSED = {".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".txt", ".csv", ".geojson", ".map"}


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder; text files gzipped when the client accepts it (as a static host does)."""

    _cache: ClassVar[dict[Path, bytes]] = {}

    def log_message(self, format, *args):
        pass

    def do_GET(self):
        path = Path(self.translate_path(unquote(urlparse(self.path).path)))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().do_GET()  # the redirect to the folder's URL
            path = path / "index.html"
        if not path.is_file() or path.suffix not in COMPRESSED or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().do_GET()
        body = self._cache.get(path)
        if body is None:
            body = self._cache[path] = gzip.compress(path.read_bytes(), 6, mtime=0)
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        self.send_response(200)
        self.send_header("Content-Type", f"{kind}; charset=utf-8" if kind.startswith("text/") else kind)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")  # what GitHub Pages sends
        self.end_headers()
        self.wfile.write(body)


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Start a loopback server for `site`; returns it and its base URL."""
    mimetypes.add_type("application/javascript", ".mjs")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def first(site: Path, pattern: str, keep=lambda p: True) -> str | None:
    """The URL (relative to the root) of the first page matching a glob, in sorted order."""
    found = sorted(p for p in site.glob(pattern) if keep(p))
    return found[0].parent.relative_to(site).as_posix() + "/" if found else None


def page_types(site: Path) -> dict[str, str]:
    """Page type → one URL of that type."""
    township = lambda p: p.parent.name.endswith("000")  # noqa: E731
    candidates = {
        "home": "",
        "projects list": "projects/" if (site / "projects/index.html").is_file() else None,
        "project": first(site, "projects/*/index.html"),
        "project (simple view)": first(site, "projects/*/simple/index.html"),
        "funds": "funds/" if (site / "funds/index.html").is_file() else None,
        "progress": "progress/" if (site / "progress/index.html").is_file() else None,
        "places list": "places/" if (site / "places/index.html").is_file() else None,
        "map": "places/map/" if (site / "places/map/index.html").is_file() else None,
        "village": first(site, "places/[0-9]*/index.html", lambda p: not township(p)),
        "township": first(site, "places/[0-9]*/index.html", township),
        "units list": "units/" if (site / "units/index.html").is_file() else None,
        "unit": first(site, "units/*/index.html"),
        "plan": first(site, "plans/*/index.html"),
        "category": first(site, "plans/*/*/index.html", lambda p: p.parent.name != "funds"),
        "downloads": "data/" if (site / "data/index.html").is_file() else None,
        "changes": "changes/" if (site / "changes/index.html").is_file() else None,
        "about": "about/" if (site / "about/index.html").is_file() else None,
        "guide": "guide/" if (site / "guide/index.html").is_file() else None,
        "notice": first(site, "notices/projects/*/index.html"),
        "notice (A3)": first(site, "notices/projects/*/a3/index.html"),
        "village notice": first(site, "notices/places/*/index.html"),
        "report": "report/" if (site / "report/index.html").is_file() else None,
    }
    return {name: url for name, url in candidates.items() if url is not None}


def lighthouse(binary: str, url: str, chromium: str) -> dict:
    """One Lighthouse run (performance and accessibility); its JSON report."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        subprocess.run(
            [
                binary,
                url,
                "--quiet",
                "--only-categories=performance,accessibility",
                "--output=json",
                f"--output-path={out}",
                "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
                "--max-wait-for-load=60000",
            ],
            check=True,
            env={**os.environ, "CHROME_PATH": chromium},
            stdout=subprocess.DEVNULL,
        )
        return json.loads(out.read_text(encoding="utf-8"))


def summary(report: dict) -> dict:
    audits = report["audits"]
    value = lambda key: audits[key].get("numericValue")  # noqa: E731
    failed = [
        key
        for key, audit in audits.items()
        if audit.get("score") is not None
        and audit["score"] < 1
        and audit.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings")
        and key in {ref["id"] for ref in report["categories"]["accessibility"]["auditRefs"]}
    ]
    return {
        "performance": round(report["categories"]["performance"]["score"] * 100),
        "accessibility": round(report["categories"]["accessibility"]["score"] * 100),
        "fcp_ms": value("first-contentful-paint"),
        "lcp_ms": value("largest-contentful-paint"),
        "tbt_ms": value("total-blocking-time"),
        "cls": value("cumulative-layout-shift"),
        "bytes": value("total-byte-weight"),
        "accessibility_failed": failed,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--lighthouse", default=shutil.which("lighthouse") or "lighthouse")
    parser.add_argument("--chromium", default=os.environ.get("GONGSHI_CHROMIUM") or shutil.which("chromium") or "")
    parser.add_argument("--only", help="comma-separated page types (default: all found)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    site = args.site.resolve()
    if not (site / "index.html").is_file():
        print(f"{site}/index.html not found: build the site first", file=sys.stderr)
        return 1
    server, base = serve(site)
    types = page_types(site)
    if args.only:
        types = {k: v for k, v in types.items() if k in args.only.split(",")}
    rows = {}
    print("| page type | URL | performance | accessibility | FCP ms | LCP ms | TBT ms | CLS | KB transferred |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    try:
        for name, url in types.items():
            s = summary(lighthouse(args.lighthouse, base + url, args.chromium))
            rows[name] = {"url": url, **s}
            print(
                f"| {name} | {url or '/'} | {s['performance']} | {s['accessibility']} | {s['fcp_ms']:.0f} | "
                f"{s['lcp_ms']:.0f} | {s['tbt_ms']:.0f} | {s['cls']:.3f} | {s['bytes'] / 1024:.0f} |",
                flush=True,
            )
            if s["accessibility_failed"]:
                print(f"|  | accessibility audits failed: {', '.join(s['accessibility_failed'])} |", flush=True)
    finally:
        server.shutdown()
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
