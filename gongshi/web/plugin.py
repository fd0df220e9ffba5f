"""The MkDocs plugin: load the Site once per build and add its pages as virtual files."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

from markupsafe import Markup, escape
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, MkDocsException, PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from gongshi.content.history import read_history
from gongshi.content.load import load_site
from gongshi.content.site import Site
from gongshi.errors import ContentErrors, no_room_message
from gongshi.web import county_pages, parallel, search, theme
from gongshi.web.compiled import keep_compiled
from gongshi.web.error_page import error_files, error_markdown, fault_markdown, serve_errors
from gongshi.web.family import GeneratedPage, PageFamily
from gongshi.web.fault import GeneratorFault, attributed, debugging, produce
from gongshi.web.packed import PackedFile
from gongshi.web.pages import FAMILIES
from gongshi.web.render import Renderer
from gongshi.web.urls import Urls

log = logging.getLogger("mkdocs.plugins.gongshi")


def make_renderer(
    site: Site,
    templates_dir: Path,
    use_directory_urls: bool = True,
    site_url: str = "",
    families: tuple[PageFamily, ...] = FAMILIES,
    writes: bool = True,
) -> Renderer:
    """The renderer every page family uses, with the template functions of all of them.
    `writes=False` (gongshi check): pages are rendered and discarded, no file is written."""
    return Renderer(site, templates_dir, Urls(site, use_directory_urls, site_url), families, writes=writes)


def footers(renderer: Renderer) -> tuple[Markup, Markup]:
    """The footer every page ends with (supervision contacts, the data's source) and the portal footer."""
    with attributed("footer", renderer.site):
        footer = Markup(renderer.env.get_template("_footer.html.j2").render())
        portal = Markup(renderer.env.get_template("_portal_footer.html.j2").render())
    return footer, portal


class GongshiConfig(Config):
    content_dir = c.Type(str, default="content")
    templates_dir = c.Type(str, default="templates")
    # Worker processes converting generated pages (gongshi.web.parallel): 0 is one per CPU, 1 none; they are
    # started only for at least `parallel_min_pages` pages.
    workers = c.Type(int, default=0)
    parallel_min_pages = c.Type(int, default=parallel.MIN_PAGES)
    # The most pages one Pagefind run indexes; a larger site's index is made in parts (gongshi.web.search).
    search_part_pages = c.Type(int, default=search.PART_PAGES)


class GongshiPlugin(BasePlugin[GongshiConfig]):
    """Turns content/ into pages; fails the build with every content error at once."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.site: Site | None = None
        self.renderer: Renderer | None = None
        self.built: dict[str, bytes] = {}  # src_uri → digest of the page as last built successfully
        self.building: dict[str, bytes] = {}
        # dest_uri → amount's sort value of the pages declared for search (gongshi_search); kept across
        # `mkdocs serve --dirty` rebuilds, which render only changed pages, so that the index stays complete.
        self.searchable: dict[str, str] = {}
        self.serving = False
        self.pages: parallel.PageRenderer | None = None
        self.errors: ContentErrors | None = None  # under `mkdocs serve`: shown as a page instead of failing
        self.fault: GeneratorFault | None = None  # likewise, a fault of a page family (gongshi.web.fault)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Defining this makes MkDocs keep the plugin across `mkdocs serve` rebuilds, so `built` persists."""
        self.serving = command == "serve"

    def _paths(self, config: MkDocsConfig) -> tuple[Path, Path, Path]:
        root = Path(config.config_file_path).parent
        return root, root / self.config.content_dir, root / self.config.templates_dir

    @event_priority(100)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root, content_dir, templates_dir = self._paths(config)
        if self.config.search_part_pages < 1:
            path = Path(config.config_file_path)
            lines = path.read_text(encoding="utf-8").splitlines()
            line = next((i for i, text in enumerate(lines, 1) if "search_part_pages" in text), 0)
            raise PluginError(
                f"{path.name} 第 {line} 行 search_part_pages：须为正整数（一次建立搜索索引的最多页数），现为 "
                f"{self.config.search_part_pages} / {path.name}, line {line}, search_part_pages: must be a whole "
                f"number of at least 1 (the most pages one Pagefind run indexes), not {self.config.search_part_pages}"
            )
        if "material/search" in config.plugins or "search" in config.plugins:
            raise PluginError(
                "mkdocs.yml 的 plugins 中请删除 search：本站搜索由 Pagefind 建立 / "
                "remove the `search` plugin from mkdocs.yml: gongshi indexes the site with Pagefind"
            )
        self.fault = None
        try:
            self.site = load_site(content_dir, root)
            self.site = dataclasses.replace(self.site, history=read_history(content_dir))
        except ContentErrors as exc:
            if not self.serving:
                raise PluginError("内容检查未通过 / content check failed:\n" + exc.report()) from None
            # INFO, not ERROR: --strict would abort the preview on a logged error and the browser would hang.
            log.info("内容检查未通过 / content check failed:\n" + exc.report())
            self.site, self.renderer, self.errors = None, None, exc
            serve_errors(config)  # a page that lists the errors, reloaded when they are fixed
            return config
        self.errors = None
        _pin_build_date(self.site.stamp)
        # Material prints site_name and site_description without escaping in several places; escaped Markup
        # reads right both there and where it does escape (escaping Markup again changes nothing).
        config.site_name = escape(self.site.config.title)
        if self.site.config.description:
            config.site_description = escape(self.site.config.description)
        theme.apply(config, templates_dir)
        self.renderer = make_renderer(self.site, templates_dir, config.use_directory_urls, config.site_url or "")
        config.extra["gongshi_search_filters"] = " ".join(search.useful_filters(self.site))
        config.extra["gongshi_tile_origin"] = tile_origin(self.site.config.map.tiles)
        try:
            config.extra["gongshi_footer"], config.extra["gongshi_portal"] = footers(self.renderer)
        except GeneratorFault as fault:
            self._fault(fault, config)
        return config

    def _fault(self, fault: GeneratorFault, config: MkDocsConfig) -> None:
        """Fail the build with the fault told plainly; under `mkdocs serve`, show it as the preview's page."""
        report = fault.report(debugging())
        if not self.serving:
            raise PluginError(report) from None
        log.info(report)  # INFO, not ERROR: --strict would abort the preview (see on_config)
        self.fault = fault
        serve_errors(config)

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        if self.errors is not None:
            return error_files(config, error_markdown(self.errors), files, self._last_pages())
        if self.fault is None:
            assert self.renderer is not None
            county_pages.check_files(files, config)  # before the generated pages join them
            self.building = {}
            try:  # page by page: each is packed as it comes, not the whole family held as text first
                for page in produce(self.renderer, FAMILIES):
                    self._add(page, files, config)
            except ContentErrors as exc:  # a file only a page family can read whole, e.g. a photo's pixels
                raise PluginError("内容检查未通过 / content check failed:\n" + exc.report()) from None
            except GeneratorFault as fault:
                self._fault(fault, config)
        if self.fault is not None:
            return error_files(config, fault_markdown(self.fault), files, self._last_pages())
        return files

    def _last_pages(self) -> list[str]:
        """The pages of the last good build (the preview shows its error page at each of them)."""
        return [uri for uri in self.built if uri.endswith(".md")]

    def _add(self, page: GeneratedPage, files: Files, config: MkDocsConfig) -> None:
        if files.get_file_from_path(page.src_uri) is not None:
            if page.overridable:
                return  # the county's own page replaces the standard one
            raise PluginError(
                f"docs/{page.src_uri} 与自动生成的页面重名 / clashes with a generated page; "
                "请改名或删除 / rename or remove it"
            )
        if isinstance(page.content, Path):  # written beforehand: MkDocs copies it
            file = File.generated(config, page.src_uri, abs_src_path=str(page.content))
        else:
            file = PackedFile.generated(config, page.src_uri, content=page.content)
        if not self._changed(page):
            file.is_modified = _unchanged  # `mkdocs serve --dirty` skips pages generated identically
        files.append(file)

    def on_nav(self, nav, *, config: MkDocsConfig, files: Files):
        """Convert the generated pages ahead in worker processes (`mkdocs build` only)."""
        if not self.serving and self.errors is None and self.fault is None and parallel.usable(config, self):
            generated = [f.src_uri for f in files.documentation_pages() if f.src_uri in self.building]
            workers = parallel.worker_count(self.config.workers)
            if workers > 1 and len(generated) >= self.config.parallel_min_pages:
                release = parallel.alone(config, self)
                self.pages = parallel.prerender(config, files, generated, workers, nav.pages, release)
        return nav

    def _close_pages(self) -> None:
        if self.pages is not None:
            self.pages.close()
            self.pages = None

    @event_priority(-100)  # after every other plugin has set the theme's environment up: its settings are the key
    def on_env(self, env, *, config: MkDocsConfig, files: Files):
        """The theme's templates (Material's) compiled once and kept between runs, as ours are (web/compiled.py)."""
        keep_compiled(env)
        return env

    def on_build_error(self, *, error: Exception) -> None:
        self._close_pages()
        message = no_room_message(error)
        if message:  # a clear message instead of a traceback (Abort exits without one)
            log.error(message)
            raise Abort("网站未生成 / no site was built") from None
        if not isinstance(error, MkDocsException | ContentErrors | GeneratorFault):
            # MkDocs failed to convert a page or to render it with the theme: told as a fault of the tool, without
            # a traceback (a PluginError raised here replaces the error; MkDocs prints it as a message).
            urls = self.renderer.urls if self.renderer else None
            raise PluginError(GeneratorFault("theme", error, self.site, urls).report(debugging())) from None

    def on_page_content(self, html: str, *, page, config: MkDocsConfig, files: Files) -> str:
        """A county's own page (docs/) keeps only what a record body may hold (gongshi.web.county_pages)."""
        return county_pages.clean_page(html) if county_pages.is_county_file(page.file, config) else html

    def on_page_context(self, context, *, page, config, nav):
        declared = page.meta.get("gongshi_search")
        if declared:
            self.searchable[page.file.dest_uri] = str(declared.get("amount_sort", ""))
        return context

    def _changed(self, page: GeneratedPage) -> bool:
        content = page.content
        if isinstance(content, Path):  # a cached file: its name says what it holds (share_files.py)
            content = str(content)
        digest = hashlib.sha256(content.encode("utf-8") if isinstance(content, str) else content).digest()
        self.building[page.src_uri] = digest
        return self.built.get(page.src_uri) != digest

    # Runs after every other plugin has written its files: the index is made from the finished pages.
    @event_priority(-100)
    def on_post_build(self, config: MkDocsConfig) -> None:
        self._close_pages()
        if self.errors is not None or self.fault is not None:
            return  # the preview's error page has nothing to search
        try:
            with attributed("search", self.site):
                run = search.index_site(Path(config.site_dir), self.searchable, self.config.search_part_pages)
        except search.SearchIndexError as exc:
            raise PluginError(str(exc)) from None
        except GeneratorFault as fault:
            raise PluginError(fault.report(debugging())) from None
        log.info(str(run))
        self.built = self.building

    def on_serve(self, server, config: MkDocsConfig, builder):
        _, content_dir, templates_dir = self._paths(config)
        server.watch(str(content_dir))
        if templates_dir.is_dir():  # a county made by `gongshi init` has none: its templates come with gongshi
            server.watch(str(templates_dir))
        return server


def _unchanged() -> bool:
    return False


_pinned: str | None = None


def _pin_build_date(last_changed: dt.date) -> None:
    """Date the build by the content, not the clock, so that two builds are byte-identical.
    A SOURCE_DATE_EPOCH set by the caller wins."""
    global _pinned
    current = os.environ.get("SOURCE_DATE_EPOCH")
    if current is not None and current != _pinned:
        return
    stamp = dt.datetime.combine(last_changed, dt.time(), tzinfo=dt.UTC).timestamp()
    _pinned = os.environ["SOURCE_DATE_EPOCH"] = str(int(stamp))


def tile_origin(tiles: str | None) -> str:
    """The CSP source that lets map tiles load: the tile address's origin ('' when tiles are off).
    A {s}-style subdomain placeholder becomes a wildcard."""
    if not tiles:
        return ""
    parts = urlsplit(tiles)
    host = re.sub(r"[^.]*\{[^}]*\}[^.]*", "*", parts.netloc)  # CSP allows only a whole-label "*."
    return f"{parts.scheme}://{host}"
