"""A real Chromium (Debian's, driven by Playwright) looking at the built site over local HTTP.

Every request to a host other than the local server is blocked and recorded, so a test can assert
that a page asks nothing of another host. Console errors and failed requests are recorded too.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# Chromium draws a character no installed font has as the font's missing-glyph box (.notdef): the same box for
# every such character, usually narrower than the 1 em of a Han glyph. U+10FFFD (private use) is in no font.
_HAN_SAMPLE = "公示资金项目"
_CJK_PROBE = """(han) => {
    const canvas = document.createElement('canvas');
    canvas.width = 96; canvas.height = 48;
    const g = canvas.getContext('2d');
    g.font = '32px -apple-system, BlinkMacSystemFont, Helvetica, Arial, sans-serif';
    const ink = (text) => {
        g.clearRect(0, 0, 96, 48);
        g.fillText(text, 8, 36);
        return Array.from(g.getImageData(0, 0, 96, 48).data).join();
    };
    const missing = ink('\\u{10FFFD}');
    const shapes = Array.from(han).map(ink);
    return {
        boxes: Array.from(han).filter((_, i) => shapes[i] === missing).join(''),
        shapes: new Set(shapes).size,
        em: g.measureText(han).width / han.length / 32,
    };
}"""


def require_cjk_font(browser) -> None:
    """Fail unless Chromium draws Han characters with a real font (not missing-glyph boxes), as phones do.

    Without a CJK font the layout tests measure boxes of missing glyphs and can pass on pages that break on every
    visitor's phone, so this stops the browser tests instead.
    """
    page = browser.new_page(locale="zh-CN")
    try:
        found = page.evaluate(_CJK_PROBE, _HAN_SAMPLE)
    finally:
        page.close()
    if found["boxes"] or found["shapes"] < len(_HAN_SAMPLE) or not 0.9 <= found["em"] <= 1.1:
        raise RuntimeError(
            "Chromium has no Chinese font: it draws Han characters as missing-glyph boxes "
            f"({found}), so the browser tests would measure boxes, not text. Install Debian's "
            "`fonts-noto-cjk` (.ci/run does); `fc-match sans-serif:lang=zh-cn` names the font Chromium falls back to."
        )


def chromium_path() -> str:
    path = os.environ.get("GONGSHI_CHROMIUM") or next(
        (found for name in ("chromium", "chromium-browser", "google-chrome") if (found := shutil.which(name))), None
    )  # GitHub's Ubuntu runners come with Google Chrome
    if not path:
        raise RuntimeError(
            "没有找到 Chromium 或 Chrome / Chromium not found: install Debian's `chromium` package (.ci/run does), "
            "or set GONGSHI_CHROMIUM to a Chrome"
        )
    return path


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve a folder on a free localhost port; yields the base URL ending in '/'."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Visit:
    """What happened while a page loaded."""

    page: object
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    other_hosts: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


def open_page(context, base_url: str, path: str, wait: str = "load") -> Visit:
    """Open base_url+path in a new tab, blocking and recording requests to any other host."""
    own = urlparse(base_url).netloc
    page = context.new_page()
    visit = Visit(page)

    def route(route_, request):
        if urlparse(request.url).netloc == own or request.url.startswith(("data:", "blob:")):
            route_.continue_()
        else:
            visit.other_hosts.append(request.url)
            route_.abort()

    page.route("**/*", route)
    page.on("console", lambda msg: visit.console_errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: visit.console_errors.append(str(exc)))
    page.on(
        "requestfailed", lambda req: visit.failed_requests.append(req.url) if urlparse(req.url).netloc == own else None
    )
    page.on(
        "response",
        lambda res: (
            visit.failed_requests.append(f"{res.status} {res.url}")
            if res.status >= 400 and not res.url.endswith("/404.html")
            else None
        ),
    )

    def on_dialog(dialog):
        visit.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.goto(base_url + path, wait_until=wait)
    return visit
