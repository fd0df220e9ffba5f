"""Render generated pages' Markdown in worker processes while MkDocs goes through its pages one by one.

MkDocs converts every page with Python-Markdown in one process, and for gongshi's generated pages (Markdown
around large HTML blocks, which Python-Markdown and MkDocs each parse with `html.parser`) that is most of a
build. Once the navigation is built (`on_nav`), the plugin hands the generated pages that are not in the
navigation to `PageRenderer`: worker processes forked from the build run MkDocs's own `Page.read_source` and
`Page.render` on them, with the same config and files, in the order MkDocs will ask for them, and send back
what those set (Markdown, meta, HTML, table of contents, title, anchors). Each such page is a `PrerenderedPage`
that takes its result instead of converting again, so MkDocs's later steps (templates, anchor validation,
plugins' `on_page_content`) see exactly what a plain build gives them. What the workers log is logged again
here, so `--strict` counts it.

Forking needs a process without threads (`mkdocs build`; not `mkdocs serve`, whose server runs threads) and
is used only when no other plugin changes pages before they are rendered (their `on_page_markdown` would be
skipped).
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from gongshi.web.packed import PackedText, pack

CHUNK = 40  # pages per task: large enough to amortise a round trip, small enough to keep both workers busy
MIN_PAGES = 200  # below this, starting workers costs more than it saves
EVENTS = ("pre_page", "page_read_source", "page_markdown")  # plugins' events that would run before conversion


def worker_count(setting: int) -> int:
    """Workers to use: the setting, or (0) one per CPU this process may run on."""
    if setting:
        return setting
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def usable(config: MkDocsConfig, own: object) -> bool:
    """True when pages may be converted ahead: forking is available, and no plugin other than `own` acts
    on a page before it is converted."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return False
    for event in EVENTS:
        for method in config.plugins.events[event]:
            if getattr(method, "__self__", None) is not own:
                return False
    return True


@dataclass
class Rendered:
    """What `Page.read_source` and `Page.render` set on a page, as sent back by a worker (its text packed)."""

    markdown: bytes
    meta: dict[str, Any]
    content: bytes | None
    toc: Any
    title_from_render: str | None
    present_anchor_ids: set[str] | None
    links_to_anchors: dict[str, dict[str, str]] | None  # keyed by the linked file's src_uri
    logged: list[tuple[str, int, str]]  # (logger, level, message) of what conversion logged


class PrerenderedPage(Page):
    """A page whose conversion was done by a worker: `read_source` and `render` install its result. It keeps its
    Markdown and HTML packed and unpacks them when read (MkDocs reads them a few times, when it writes the page)."""

    renderer: PageRenderer
    _rendered: Rendered | None = None
    markdown = PackedText()  # type: ignore[assignment]
    content = PackedText()  # type: ignore[assignment]

    def read_source(self, config: MkDocsConfig) -> None:
        rendered = self._rendered = self.renderer.result(self.file.src_uri)
        self._markdown, self.meta = rendered.markdown, rendered.meta
        if self.renderer.release_sources:
            self.file.content_string = ""  # read by the worker; nothing else in this build reads it again

    def render(self, config: MkDocsConfig, files: Files) -> None:
        rendered = self._rendered
        assert rendered is not None, "read_source() first"
        self._content = rendered.content
        self.toc = rendered.toc
        self._title_from_render = rendered.title_from_render
        self.present_anchor_ids = rendered.present_anchor_ids
        if rendered.links_to_anchors is not None:
            self.links_to_anchors = {
                files.get_file_from_path(uri): links for uri, links in rendered.links_to_anchors.items()
            }
        for name, level, message in rendered.logged:
            logging.getLogger(name).log(level, message)
        self._rendered = None  # the page keeps what it shows, not a second copy


# --- in the worker processes ---------------------------------------------------------------------------

_state: tuple[MkDocsConfig, Files] | None = None  # set in the parent before forking; the workers inherit it


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


_capture = _Capture()


def _start_worker() -> None:
    """Keep what MkDocs logs in a worker, to be logged by the parent (which prints and counts warnings)."""
    root = logging.getLogger("mkdocs")
    for handler in list(root.handlers):
        root.removeHandler(handler)
    root.addHandler(_capture)
    root.propagate = False


def _render(uris: Sequence[str]) -> list[Rendered]:
    assert _state is not None
    config, files = _state
    out = []
    for uri in uris:
        page = files.get_file_from_path(uri).page
        _capture.records = []
        config._current_page = page
        Page.read_source(page, config)
        Page.render(page, config, files)
        config._current_page = None
        links = page.links_to_anchors
        out.append(
            Rendered(
                pack(page.markdown),
                page.meta,
                pack(page.content),
                page.toc,
                page._title_from_render,
                page.present_anchor_ids,
                None if links is None else {f.src_uri: v for f, v in links.items()},
                _capture.records,
            )
        )
        # The worker's copy of the page keeps nothing: what it holds was sent to the build, and kept here it
        # would grow the worker by every page it converts (at 10,000 projects ~1.5 GB a worker).
        page.markdown = page.content = page.toc = page.links_to_anchors = page.present_anchor_ids = None
        page.file.content_string = ""  # this worker's copy of the source, converted
    return out


# --- in the build --------------------------------------------------------------------------------------


class PageRenderer:
    """Converts the given pages in `workers` forked processes, in order; `result(uri)` waits for one."""

    def __init__(
        self, config: MkDocsConfig, files: Files, uris: Sequence[str], workers: int, release_sources: bool = False
    ):
        global _state
        # Whether a page's source text may be dropped once read (no other plugin could read it later).
        self.release_sources = release_sources
        _state = (config, files)
        context = multiprocessing.get_context("fork")
        self._pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker)
        chunks = [uris[i : i + CHUNK] for i in range(0, len(uris), CHUNK)]
        # The workers share the build's memory until either side writes to it; a garbage collection writes to every
        # object it looks at, which would copy the whole build into each worker. Frozen objects are not looked at
        # (they are freed by reference counting alone) until `close()`.
        gc.freeze()
        # Submitting every chunk now forks the workers now, with the config and files as they are.
        # A deque, not a list: a chunk's results are let go once taken.
        self._futures: deque[tuple[Sequence[str], Future[list[Rendered]]]] = deque(
            (chunk, self._pool.submit(_render, chunk)) for chunk in chunks
        )
        _state = None
        self._ready: dict[str, Rendered] = {}

    def result(self, uri: str) -> Rendered:
        while uri not in self._ready:
            chunk, future = self._futures.popleft()  # IndexError: a page that was not given to the workers
            self._ready.update(zip(chunk, future.result()))
        return self._ready.pop(uri)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        gc.unfreeze()


def alone(config: MkDocsConfig, own: object) -> bool:
    """True when `own` is the build's only plugin."""
    return all(plugin is own for plugin in config.plugins.values())


def prerender(
    config: MkDocsConfig,
    files: Files,
    uris: Sequence[str],
    workers: int,
    pages: Sequence[Page] = (),
    release_sources: bool = False,
) -> PageRenderer:
    """Start converting the pages at `uris` (generated pages outside the navigation `pages`) in worker
    processes, and make each a PrerenderedPage (`release_sources`: which drops its source text once read)."""
    in_nav = {id(page) for page in pages}
    chosen = []
    for uri in uris:
        file = files.get_file_from_path(uri)
        if file is None or file.page is None or id(file.page) in in_nav:
            continue
        chosen.append(uri)
    renderer = PageRenderer(config, files, chosen, workers, release_sources)
    for uri in chosen:
        file = files.get_file_from_path(uri)
        page = PrerenderedPage(None, file, config)  # replaces file.page
        page.renderer = renderer
    return renderer
