"""Site search with Pagefind: what each page declares for search, and the indexer run after the build.

A page a visitor searches for (a project, village, township, unit or plan) starts with front matter
`gongshi_search` (`search_meta` below, called by its template). The theme override
(templates/overrides/main.html) then marks that page's content `data-pagefind-body` and writes the
declared type, amount, years, programmes and townships as Pagefind filters, metadata and a sort key.
The template ends the part worth searching with `search_end` (a project's progress, history and links,
a village's or unit's lists of projects follow it and are left out: each project is found on its own
page, and Pagefind's memory grows with every word indexed). Pages without front matter (lists, funds,
progress, notices, the guide) and everything outside the content (header, navigation, the supervision
footer) stay out of the index.

After MkDocs has written the site, `index_site` runs Pagefind: the binary of the pinned
`pagefind[extended]` package, whose extended build segments Chinese. The browser fetches the index
chunks for the words a visitor types and nothing before (gongshi/web/assets/search.js).

Pagefind holds the whole index in memory while it writes it, about 0.16 MB per project page, so a site of
more than `PART_PAGES` searchable pages is indexed in parts, one Pagefind run each (`parts`), and the
browser merges them (`pagefind.mergeIndex`, started by the header's script). A small site is one part and
its index is exactly what one run makes.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from markupsafe import Markup

from gongshi.content.model import Plan, Project, Unit
from gongshi.content.places import Place
from gongshi.content.site import Site
from gongshi.content.unstated import Total, Unstated, stated, total
from gongshi.money import YUAN_PER_WAN, plain, wan_text
from gongshi.web import pagefind_bundle
from gongshi.web.charts import project_townships
from gongshi.web.family import GeneratedPage, PageFamily, Renderer
from gongshi.web.urls import Urls

OUTPUT = "pagefind"  # the index's folder in the site: the first part, the others in OUTPUT/part-2/ …
PARTS = "parts.json"  # in OUTPUT: the other parts' folders, relative to it, in order (the browser merges them)
PART_PAGES = 6000  # the most pages one Pagefind run indexes (~0.95 GB of its memory)
SEARCH_END = "<!-- gongshi:search-end -->"  # templates/overrides/main.html ends the indexed content here
SCRIPT = Path(__file__).resolve().parent / "assets" / "search.js"
SERVED_SCRIPT = Urls.asset("search.js")

# Within the indexed part, what repeats other pages or explains rather than informs: lists of projects
# (each project has its own page), the share bars, notes on how figures are read.
EXCLUDE = ("[data-search-exclude]", ".gs-sharebars", ".gs-note")

# Pagefind's bundle also holds ready-made interfaces; the site uses its own (search.js) and the API only.
# The parts after the first need only their index: the browser runs them with the first part's program.
PROGRAM = ("pagefind.js", "pagefind-worker.js", "wasm.*.pagefind")
UNUSED = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)


# --- what a page declares ----------------------------------------------------------------------


@dataclass(frozen=True)
class SearchEntry:
    """What a search result shows besides title and excerpt, and what it can be filtered and sorted by."""

    type: str  # 项目 / 村 / 乡镇 / 单位 / 计划
    amount: Decimal | Unstated | None = None  # 万元; UNSTATED or None: no amount (the page sorts last)
    amount_label: str = ""
    years: tuple[int, ...] = ()
    programmes: tuple[str, ...] = ()
    townships: tuple[str, ...] = ()
    own_amount: bool = False  # the amount is the page's own (a project's, a plan's): searchable as typed
    names: tuple[str, ...] = ()  # what the page is called: any part of it typed finds the page

    def data(self) -> dict:
        """The front matter value the theme override reads."""
        out: dict = {"type": self.type, "year": [str(y) for y in self.years]}
        out["programme"] = list(self.programmes)
        out["township"] = list(self.townships)
        if stated(self.amount):
            out["amount"] = f"{self.amount_label} {wan_text(self.amount)} 万元"
            out["amount_sort"] = plain(self.amount)
        words = [name_characters(self.names)]
        if stated(self.amount) and self.own_amount:  # what a visitor types for "1,150 万元": 1150, 1150万元
            words.append(f"{plain(self.amount)} 万元 {plain(self.amount * YUAN_PER_WAN)} 元")
        out["words"] = " ".join(w for w in words if w)
        return out


def name_characters(names: Iterable[str]) -> str:
    """The Han characters of a page's names, each once, as separate words.

    Pagefind's indexer segments Chinese with a dictionary (jieba, through charabia); the browser segments
    the query with Intl.Segmenter (ICU), which splits names it does not know into single characters
    (峨边残疾 → 峨 边 残疾) and every piece must start a word of the page. Indexing the characters of the
    page's own names as words lets any part of a name, typed as a query, find the page it names."""
    return " ".join(dict.fromkeys(c for name in names for c in name if _HAN.match(c)))


_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_YEAR = re.compile(r"^\s*(?:19|20)\d{2}\s*年(?:度)?")


def programme(plan: Plan) -> str:
    """The fund programme a plan belongs to (东西部协作, 衔接资金 …): its `programme`'s short name or name;
    for a plan that names none, read from its own data: the name of its first fund source without a leading
    year or a trailing 资金 (2025年东西部协作资金 → 东西部协作), else the plan's title."""
    if plan.programme is not None:
        return plan.programme.short or plan.programme.name
    first = plan.funding[0].name if stated(plan.funding) and plan.funding and stated(plan.funding[0].name) else ""
    name = _YEAR.sub("", first).strip().removesuffix("资金").strip()
    return name or plan.label


def _unique(values: Iterable) -> tuple:
    return tuple(dict.fromkeys(values))


def _township_names(site: Site, projects: Iterable[Project]) -> tuple[str, ...]:
    """The names of the townships the projects concern; a township is known by its key (its official code, or
    its id where the document states no code), never by a value that may not be stated."""
    names = {t.key: t.name for t in site.gazetteer.townships}
    return _unique(names[key] for p in projects for key in project_townships(site, p))


def _total(projects: Iterable[Project]) -> Total:
    return total(p.investment for p in _unique(projects))


def _about_projects(
    site: Site, kind: str, projects: list[Project], townships: tuple[str, ...], names: tuple[str, ...]
) -> SearchEntry:
    plans = _unique(site.plan(p.plan) for p in projects)
    sum_ = _total(projects)
    # A sum over partly stated investments is not the total: such a page shows no amount and sorts last.
    return SearchEntry(
        kind,
        sum_.value if projects else None,
        "相关项目投资合计",
        _unique(sorted(plan.year for plan in plans)),
        _unique(programme(plan) for plan in plans),
        townships,
        names=names,
    )


def project_entry(site: Site, project: Project) -> SearchEntry:
    plan = site.plan(project.plan)
    return SearchEntry(
        "项目",
        project.investment,
        "规划投资",
        (plan.year,),
        (programme(plan),),
        _township_names(site, [project]),
        own_amount=True,
        names=(project.title,) if stated(project.title) else (),
    )


_by_township: dict[int, tuple[Site, dict[str, list[Project]]]] = {}


def _township_projects(site: Site, key: str) -> list[Project]:
    """Projects naming a township or any of its villages (one pass over the links, kept for the site)."""
    cached = _by_township.get(id(site))
    if cached is None or cached[0] is not site:
        groups: dict[str, list[Project]] = {}
        for place_code, links in site.place_links.items():
            groups.setdefault(site.place(place_code).township.key, []).extend(link.project for link in links)
        cached = _by_township[id(site)] = (site, groups)
        for key in [k for k in _by_township if k != id(site)]:
            del _by_township[key]
    return list(_unique(cached[1].get(key, [])))


def place_entry(site: Site, place: Place) -> SearchEntry:
    names = (place.full_name, *(place.village.aliases if place.village else place.township.aliases))
    townships = (place.township.name,)
    if place.is_village:
        projects = [link.project for link in site.place_links.get(place.code, [])]
        return _about_projects(site, "村", projects, townships, names)
    return _about_projects(site, "乡镇", _township_projects(site, place.code), townships, names)


def unit_entry(site: Site, unit: Unit) -> SearchEntry:
    projects = site.projects_of_unit(unit)
    names = (unit.name, unit.full_name or "", *unit.aliases)
    return _about_projects(site, "单位", projects, _township_names(site, projects), names)


def plan_entry(site: Site, plan: Plan) -> SearchEntry:
    return SearchEntry(
        "计划", plan.total, "计划资金", (plan.year,), (programme(plan),), own_amount=True, names=(plan.label,)
    )


def entry_of(site: Site, thing: Project | Place | Unit | Plan) -> SearchEntry:
    if isinstance(thing, Project):
        return project_entry(site, thing)
    if isinstance(thing, Place):
        return place_entry(site, thing)
    if isinstance(thing, Unit):
        return unit_entry(site, thing)
    if isinstance(thing, Plan):
        return plan_entry(site, thing)
    raise TypeError(f"no search entry for {type(thing).__name__}")


FILTERS = ("type", "year", "programme", "township")
"""The filters every searchable page declares (templates/overrides/partials/gongshi-search-data.html)."""


def useful_filters(site: Site) -> tuple[str, ...]:
    """The filters with more than one value on this site, in FILTERS order: a site of one plan has no year or
    programme to choose between, so the search offers none (gongshi/web/assets/search.js)."""
    places = site.linked_places
    values = {
        "type": {"项目" if site.projects else None, "计划" if site.plans else None, "单位" if site.units else None}
        | {"村" if p.is_village else "乡镇" for p in places},
        "year": {plan.year for plan in site.plans},
        "programme": {programme(plan) for plan in site.plans},
        "township": set(_township_names(site, site.projects)) | {p.township.name for p in places},
    }
    return tuple(key for key in FILTERS if len(values[key] - {None}) > 1)


def front_matter(entry: SearchEntry, scripts: Iterable[str] = (), extra: dict | None = None) -> str:
    """YAML front matter declaring a page for search (JSON is YAML; no character of it needs escaping), the
    scripts the page loads beside the site's own (`gongshi_scripts`), when it has any, and any other keys the
    page declares (`extra`: Open Graph, its feed; gongshi.web.pages.reach.page_meta)."""
    lines = [f"gongshi_search: {json.dumps(entry.data(), ensure_ascii=False)}"]
    if scripts:
        lines.append(f"gongshi_scripts: {json.dumps(list(scripts))}")
    lines += [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in (extra or {}).items()]
    return "---\n" + "\n".join(lines) + "\n---\n"


def search_helpers(renderer: Renderer) -> dict:
    """`search_meta(thing)`: the front matter that puts a page into the search index; `search_end`: where
    its searched part ends (what follows — lists of other pages, progress, history — is not indexed)."""
    site = renderer.site
    return {
        "search_meta": lambda thing, scripts=(), extra=None: Markup(
            front_matter(entry_of(site, thing), scripts, extra)
        ),
        "search_end": Markup(SEARCH_END),
    }


def search_assets(renderer: Renderer) -> Iterator[GeneratedPage]:
    """The search interface, served once and fetched by a page when its visitor first types a query."""
    yield GeneratedPage(SERVED_SCRIPT, SCRIPT.read_bytes())


FAMILY = PageFamily("search", search_assets, search_helpers)


# --- the indexer -------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndexRun:
    """What the Pagefind runs that indexed a site did and cost."""

    pages: int
    seconds: float
    cpu: float  # user + system seconds of the indexer processes
    peak_mb: float  # the largest resident set of any one of them (they run one after another)
    parts: int = 1

    def __str__(self) -> str:
        parts = f", {self.parts} 部分 / parts" if self.parts > 1 else ""
        return (
            f"Pagefind: {self.pages} 页已编入搜索索引 / pages indexed{parts}, {self.seconds:.1f} s "
            f"(CPU {self.cpu:.1f} s, peak {self.peak_mb:.0f} MB)"
        )


class SearchIndexError(RuntimeError):
    """Pagefind failed or is not installed; carries its output."""


def executable() -> Path:
    """The Pagefind binary: PAGEFIND_BINARY_PATH, else the one the `pagefind_bin_extended` package ships."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        get_executable = None
    found = get_executable() if get_executable else None
    if found is None:
        raise SearchIndexError(
            "找不到 Pagefind（搜索索引程序）：请运行 make install / Pagefind not found: "
            "install the pinned requirements (pagefind[extended])"
        )
    return found


_AMOUNT_SORT = re.compile(r'<meta name="gongshi:amount-sort" content="([^"]*)"')


def indexed_pages(site_dir: Path) -> dict[str, str]:
    """The built pages that declare themselves for search, each with its amount's sort value ("" for none):
    what the plugin records while building (templates/overrides/partials/gongshi-search-data.html)."""
    found = {}
    for path in sorted(site_dir.rglob("*.html")):
        if OUTPUT in path.relative_to(site_dir).parts:
            continue
        html = path.read_text(encoding="utf-8", errors="replace")
        if "data-pagefind-body" in html:
            amount = _AMOUNT_SORT.search(html)
            found[path.relative_to(site_dir).as_posix()] = amount.group(1) if amount else ""
    return found


def _amount(value: str) -> Decimal | None:
    try:
        return Decimal(value) if value else None
    except ArithmeticError:
        return None


def parts(pages: Mapping[str, str], size: int = PART_PAGES) -> list[list[str]]:
    """The searchable pages (file → amount's sort value) in as few parts of at most `size` as there can be.

    The pages are dealt out one by one, like cards, in order of amount (then the pages without one). Sorted by
    amount, Pagefind scores a result by its rank within its own part; dealt this way, rank r in the whole site
    is rank r // len(parts) in part r % len(parts), so the merged results come in the site's order of amount,
    each run of equal scores in part order (search.js turns those runs round for 金额从高到低). Dealing also
    gives each part the same mix of pages, which keeps the parts' relevance scores comparable."""
    dealt: list[list[str]] = [[] for _ in range(max(1, -(-len(pages) // max(1, size))))]
    amounts = {page: _amount(value) for page, value in pages.items()}
    with_amount = sorted((page for page in pages if amounts[page] is not None), key=lambda p: (amounts[p], p))
    without = sorted(page for page in pages if amounts[page] is None)
    for i, page in enumerate(with_amount + without):
        dealt[i % len(dealt)].append(page)
    return [part for part in dealt if part]


def part_folder(number: int) -> str:
    """Where part `number` (from 0) is written, relative to the site: the first in OUTPUT, the others in it."""
    return OUTPUT if number == 0 else f"{OUTPUT}/part-{number + 1}"


def command(site_dir: Path, output: Path) -> list[str]:
    """Pagefind indexing every HTML file under site_dir into output."""
    return [
        str(executable()),
        "--site",
        str(site_dir),
        "--output-path",
        str(output),
        "--exclude-selectors",
        ", ".join(EXCLUDE),
    ]


class _HighWater(threading.Thread):
    """The largest resident set (MB) of a running process after it started its program: its VmHWM in /proc
    (Linux), read every 0.1 s until `stop()`; 0 where /proc has none."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.path, self.peak, self.done = Path(f"/proc/{pid}/status"), 0.0, threading.Event()
        self.start()

    def run(self) -> None:
        while not self.done.wait(0.1):
            try:
                text = self.path.read_text()
            except OSError:
                return
            if "pagefind" not in text.partition("\n")[0]:
                continue  # not yet Pagefind's own program: the memory is the build's
            found = re.search(r"^VmHWM:\s+(\d+) kB", text, re.M)
            if found:
                self.peak = max(self.peak, int(found.group(1)) / 1024)

    def stop(self) -> float:
        self.done.set()
        self.join()
        return self.peak


def _run(cmd: list[str]) -> tuple[str, float, float]:
    """Run Pagefind; its output, CPU seconds and peak MB. Raises SearchIndexError if it fails."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert proc.stdout is not None
    own_peak = _HighWater(proc.pid)
    output = proc.stdout.read().decode("utf-8", "replace")
    proc.stdout.close()
    if hasattr(os, "wait4"):  # reap it ourselves, for its own CPU time and peak memory
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        # ru_maxrss of a child counts the build's own memory, which the child shared until it started Pagefind
        cpu, peak = usage.ru_utime + usage.ru_stime, own_peak.stop() or usage.ru_maxrss / 1024
    else:  # pragma: no cover - Windows has no wait4
        proc.wait()
        cpu, peak = 0.0, 0.0
    if proc.returncode != 0:
        raise SearchIndexError(f"Pagefind 建立搜索索引失败 / failed (exit {proc.returncode}):\n{output}")
    return output, cpu, peak


def _index_part(site_dir: Path, pages: list[str], output: Path) -> tuple[int, float, float]:
    """Index some of the site's pages into output: Pagefind reads a tree of links to just those pages, at the
    same paths (so their addresses are the same), beside the site. Pages indexed, CPU seconds and peak MB."""
    with tempfile.TemporaryDirectory(prefix=f".{site_dir.name}-search-", dir=site_dir.parent) as tree:
        for page in pages:
            link = Path(tree) / page
            link.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(site_dir / page, link)
            except OSError:  # a file system without hard links
                shutil.copyfile(site_dir / page, link)
        output_text, cpu, peak = _run(command(Path(tree), output))
    match = re.search(r"Indexed (\d+) pages?", output_text)
    return (int(match.group(1)) if match else 0), cpu, peak


def index_site(site_dir: Path, pages: Mapping[str, str] | None = None, part_pages: int = PART_PAGES) -> IndexRun:
    """Index a built site into site_dir/pagefind/ (`pages`: the files declared for search, relative to the
    site, each with its amount's sort value; found by reading the site when not given), in parts of at most
    `part_pages` pages. Raises SearchIndexError with Pagefind's output if it fails."""
    pages = indexed_pages(site_dir) if pages is None else pages
    # A page recorded by an earlier `mkdocs serve` rebuild may be gone (its record was deleted).
    pages = {page: amount for page, amount in pages.items() if (site_dir / page).is_file()}
    shutil.rmtree(site_dir / OUTPUT, ignore_errors=True)
    if not pages:
        return IndexRun(0, 0.0, 0.0, 0.0, 0)
    start = time.perf_counter()
    split = parts(pages, part_pages)
    indexed, cpu, peak = 0, 0.0, 0.0
    for number, part in enumerate(split):
        output = site_dir / part_folder(number)
        count, part_cpu, part_peak = _index_part(site_dir, part, output)
        indexed, cpu, peak = indexed + count, cpu + part_cpu, max(peak, part_peak)
        for name in UNUSED + (PROGRAM if number else ()):
            for path in output.glob(name):
                path.unlink()
        try:
            pagefind_bundle.canonicalize(output)
        except (pagefind_bundle.FormatChanged, OSError, KeyError) as exc:
            raise SearchIndexError(
                f"Pagefind 的索引格式与 gongshi 预期的不同 / Pagefind's bundle is not laid out as expected "
                f"(was Pagefind upgraded? see gongshi/web/pagefind_bundle.py): {exc}"
            ) from None
    others = [Path(part_folder(n)).relative_to(OUTPUT).as_posix() + "/" for n in range(1, len(split))]
    (site_dir / OUTPUT / PARTS).write_text(json.dumps(others), encoding="utf-8")
    return IndexRun(indexed, time.perf_counter() - start, cpu, peak, len(split))


def main(argv: list[str] | None = None) -> int:
    """`python -m gongshi.web.search SITE_DIR`: index a built site (what the build does; the benchmark times it)."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m gongshi.web.search SITE_DIR", file=sys.stderr)
        return 2
    print(index_site(Path(args[0])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
