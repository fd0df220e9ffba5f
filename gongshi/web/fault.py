"""A fault of the generator, told as clearly as a content error: which page family failed, on which record
(its file and line), in which template line, and that it is the tool's fault, not the content's.

`produce` runs page families for the build (gongshi.web.plugin) and for `gongshi check` alike, so that content
that checks always builds: any exception a family raises that is not a content error becomes a
`GeneratorFault`. The record is found in the failing code itself: the innermost frame of the traceback that
holds a project, village, township, unit, category or plan (a template's frame holds what it was given), so no
family has to announce what it is working on. The Python traceback is shown only under the debug switch
(`gongshi check --debug`, `GONGSHI_DEBUG=1`, or `mkdocs build -v`).
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import threading
import traceback
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from mkdocs.exceptions import MkDocsException
from mkdocs.structure.pages import Page

from gongshi.content.model import Category, Plan, Project, Township, Unit, Village
from gongshi.content.places import Place
from gongshi.content.read import SourceError, read_yaml_file
from gongshi.content.site import Site
from gongshi.errors import ContentErrors, display_path, github_annotation
from gongshi.web.family import GeneratedPage, PageFamily, Renderer
from gongshi.web.theme import PACKAGE_TEMPLATES
from gongshi.web.urls import Urls

DEBUG_ENV = "GONGSHI_DEBUG"
"""Set to 1 to see the Python traceback of a generator fault in `mkdocs build`, `make site` and `mkdocs serve`."""

# The kinds of record a frame may hold, most specific first: a project's page also holds its plan.
_KINDS = (Project, Place, Village, Township, Unit, Category, Plan)


@dataclass(frozen=True)
class Where:
    """The record a fault concerns, as staff find it: file, line and what it is."""

    file: str
    line: int | None
    what: str

    def __str__(self) -> str:
        at = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{at}（{self.what}）"


class GeneratorFault(Exception):
    """A page family failed on valid content: the tool's fault, reported with the family and the record."""

    def __init__(self, family: str, error: BaseException, site: Site | None, urls: Urls | None = None):
        self.family = family
        self.error = error
        frames = _frames(error.__traceback__)
        self.page = next((f.f_locals["src_uri"] for f, _ in frames if _is_render(f)), None) or _mkdocs_page(frames)
        self.record: Where | None = None
        self.template: str | None = None
        try:  # finding where must never hide the fault itself
            self.record = _record(frames, site) or _record_of_page(self.page, site, urls)
            self.template = _template(frames, site)
        except Exception:
            pass
        super().__init__(self.report())

    def report(self, debug: bool = False) -> str:
        """The fault for a terminal or a build log; with `debug`, the Python traceback after it."""
        record = str(self.record) if self.record else "（未能确定 / not found）"
        lines = [
            f"生成器的错误 / generator fault：页面族 page family `{self.family}` 生成页面时出错。",
            "这是本工具（gongshi）的错误，不是内容的错误；内容检查已通过。请把这段信息连同下面的记录文件发给维护者。",
            "This is a fault of the tool, not of the content: report it to the maintainers with the record named below.",
            f"    记录 record: {record}",
        ]
        if self.page:
            lines.append(f"    页面 page: {self.page}")
        if self.template:
            lines.append(f"    模板 template: {self.template}")
        message = str(self.error).strip().splitlines()
        lines.append(f"    错误 error: {type(self.error).__name__}" + (f": {message[0]}" if message else ""))
        if debug:
            lines.append("".join(traceback.format_exception(self.error)).rstrip())
        else:
            lines.append(
                f"加 --debug（gongshi check）或设置环境变量 {DEBUG_ENV}=1（mkdocs build、make site）可看到 Python 的调用栈。"
                f" / Add --debug (gongshi check) or set {DEBUG_ENV}=1 (mkdocs build, make site) for the traceback."
            )
        return "\n".join(lines)

    def format_github(self) -> str:
        """The fault as a GitHub Actions annotation on the record's file (the pull request shows it there)."""
        file, line = (self.record.file, self.record.line) if self.record else ("content", None)
        return github_annotation(file, line, f"生成器的错误 generator fault: {self.family}", self.report())


def debugging() -> bool:
    """Whether the traceback is wanted: GONGSHI_DEBUG set (not 0), or MkDocs run with -v (--verbose)."""
    if os.environ.get(DEBUG_ENV, "") not in ("", "0"):
        return True
    return logging.getLogger("mkdocs").getEffectiveLevel() <= logging.DEBUG


@contextlib.contextmanager
def attributed(family: str, site: Site | None) -> Iterator[None]:
    """Turn any exception raised inside into a GeneratorFault of `family`; content errors and MkDocs' own
    errors (which already say what to do) pass through."""
    try:
        yield
    except (ContentErrors, MkDocsException, GeneratorFault):
        raise
    except Exception as exc:
        raise GeneratorFault(family, exc, site) from exc


def produce(renderer: Renderer, families: Iterable[PageFamily]) -> Iterator[GeneratedPage]:
    """Every page of every family, one at a time; a family's exception becomes a GeneratorFault naming it."""
    for family in families:
        with attributed(family.name, renderer.site):
            yield from family.pages(renderer)


class ToldFault(Exception):
    """A GeneratorFault as a worker process tells it back (its frames stay in the worker)."""

    def __init__(self, plain: str, debug: str, github: str):
        self.plain, self.debug, self.github = plain, debug, github
        super().__init__(plain, debug, github)  # all three: an exception is pickled by its args

    def __str__(self) -> str:
        return self.plain

    def report(self, debug: bool = False) -> str:
        return self.debug if debug else self.plain

    def format_github(self) -> str:
        return self.github


PARALLEL_MIN_PROJECTS = 100
"""From this many projects, `count_pages` runs the families in forked worker processes."""

_job: tuple[Renderer, tuple[PageFamily, ...]] | None = None  # what forked workers inherit


def count_pages(renderer: Renderer, families: Iterable[PageFamily], workers: int = 1) -> int:
    """Run every family as the build does and count the pages and files (for `gongshi check`: a renderer with
    `writes=False`, so nothing is written). Raises where the build would stop, the first family in order first:
    ContentErrors, GeneratorFault (ToldFault from a worker) or MkDocs' own error. With `workers` > 1 and a
    large site, the families run in that many processes forked from this one (it must run no other thread)."""
    global _job
    families = tuple(families)
    forkable = "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
    if workers < 2 or len(renderer.site.projects) < PARALLEL_MIN_PROJECTS or not forkable:
        return sum(1 for _ in produce(renderer, families))
    _job = (renderer, families)
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            results = list(pool.map(_count_family, range(len(families))))
    finally:
        _job = None
    for _, problem in results:
        if isinstance(problem, list):
            raise ContentErrors(problem)
        if problem is not None:
            raise problem
    return sum(count for count, _ in results)


def _count_family(index: int) -> tuple[int, object]:
    assert _job is not None
    renderer, families = _job
    try:
        return sum(1 for _ in produce(renderer, families[index : index + 1])), None
    except ContentErrors as exc:
        return 0, exc.errors
    except GeneratorFault as fault:
        return 0, ToldFault(fault.report(), fault.report(True), fault.format_github())
    except MkDocsException as exc:
        return 0, ToldFault(exc.format_message(), exc.format_message(), "")


def _frames(tb: TracebackType | None) -> list[tuple]:
    """The traceback's frames, innermost first, with their line."""
    frames = []
    while tb is not None:
        frames.append((tb.tb_frame, tb.tb_lineno))
        tb = tb.tb_next
    return frames[::-1]


def _is_render(frame) -> bool:
    return frame.f_code.co_name == "render" and isinstance(frame.f_locals.get("src_uri"), str)


def _record_of_page(page: str | None, site: Site | None, urls: Urls | None) -> Where | None:
    """The record whose own page `page` is (for a fault MkDocs met converting or theming it)."""
    if page is None or site is None or urls is None:
        return None
    pages = {urls.project(p): p for p in site.projects}
    pages |= {urls.place(p): p for p in site.linked_places}
    pages |= {urls.unit(u): u for u in site.units}
    pages |= {urls.plan(p): p for p in site.plans}
    pages |= {urls.category(p, c): c for p in site.plans for c in p.categories}
    return _where(pages[page], site) if page in pages else None


def _mkdocs_page(frames: list[tuple]) -> str | None:
    """The page MkDocs was converting or rendering with the theme, if any."""
    for frame, _ in frames:
        page = frame.f_locals.get("page")
        if isinstance(page, Page):
            return page.file.src_uri
    return None


def _template(frames: list[tuple], site: Site | None) -> str | None:
    """The innermost template line that failed, from its templates/ folder; a county's own template is marked."""
    for frame, line in frames:
        name = frame.f_code.co_filename
        if name.endswith(".j2") or name.endswith(".html"):
            path = Path(name).resolve()
            tail = _below_templates(path)
            shown = "/".join(("templates", *tail)) if tail else name
            if "site-packages" in path.parts and not path.is_relative_to(PACKAGE_TEMPLATES.resolve()):
                shown = "/".join(path.parts[path.parts.index("site-packages") + 1 :])  # the theme's: material/…
            if site is not None and site.root is not None and _county_own(path, site.root.resolve(), tail):
                return f"{shown}:{line}（本县改写的模板 / the county's own template）"
            return f"{shown}:{line}"
    return None


def _below_templates(path: Path) -> tuple[str, ...]:
    """The parts of path after its last `templates` folder (empty when it has none)."""
    parts = path.parts
    return parts[len(parts) - parts[::-1].index("templates") :] if "templates" in parts else ()


def _county_own(path: Path, root: Path, tail: tuple[str, ...]) -> bool:
    """A template in the county's folder that differs from the package's (a plain copy is not the county's)."""
    package = PACKAGE_TEMPLATES.resolve()
    if not path.is_relative_to(root) or path.is_relative_to(package):
        return False
    original = package.joinpath(*tail)
    return not tail or not original.is_file() or original.read_bytes() != path.read_bytes()


def _record(frames: list[tuple], site: Site | None) -> Where | None:
    """The most specific record held by the innermost frame that holds one."""
    for frame, _ in frames:
        held = [value for value in frame.f_locals.values() if isinstance(value, _KINDS)]
        for kind in _KINDS:
            for value in held:
                if isinstance(value, kind):
                    where = _where(value, site)
                    if where is not None:
                        return where
    return None


def _where(record, site: Site | None) -> Where | None:
    if isinstance(record, Project):
        return Where(record.source or "content/projects/", None, f"项目 project {record.id}")
    if site is None:
        return None
    content = display_path(site.content_dir, site.root or site.content_dir.parent)
    if isinstance(record, Place):
        record = record.village or record.township
    if isinstance(record, Village | Township):
        for i, township in enumerate(site.gazetteer.townships):
            if township == record:
                return _at(site, f"{content}/places.yml", ("townships", i), f"乡镇 township {township.name}")
            for j, village in enumerate(township.villages):
                if village == record:
                    path = ("townships", i, "villages", j)
                    return _at(site, f"{content}/places.yml", path, f"村 village {township.name}{village.name}")
        return None
    if isinstance(record, Unit):
        index = next((i for i, unit in enumerate(site.units) if unit is record), None)
        return _at(
            site, f"{content}/units.yml", ("units", index) if index is not None else (), f"单位 unit {record.id}"
        )
    plan = (
        record
        if isinstance(record, Plan)
        else next((p for p in site.plans if any(c is record for c in p.categories)), None)
    )
    if plan is None:
        return None
    for file in sorted((site.content_dir / "plans").glob("*.yml")):
        shown = f"{content}/plans/{file.name}"
        try:
            doc = read_yaml_file(file, shown)
        except SourceError:
            continue
        if isinstance(doc.data, dict) and str(doc.data.get("id")) == plan.id:
            if isinstance(record, Category):
                index = next(i for i, c in enumerate(plan.categories) if c is record)
                return Where(shown, doc.line_of(("categories", index)), f"类别 category {plan.id}/{record.id}")
            return Where(shown, doc.line_of(("id",)), f"计划 plan {plan.id}")
    return None


def _at(site: Site, shown: str, path: tuple, what: str) -> Where:
    root = site.root or site.content_dir.parent
    try:
        line = read_yaml_file(root / shown, shown).line_of(path)
    except SourceError:
        line = None
    return Where(shown, line, what)
