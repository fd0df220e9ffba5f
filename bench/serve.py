"""Time from saving an edited record to `mkdocs serve` serving the updated page.

Generates N projects, starts `mkdocs serve` on a free port, then several times: changes one
record's title, polls the project's page until the new title is served, and restores it.

    python bench/serve.py --projects 1000 --edits 3
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate

OUT = Path(__file__).resolve().parent / "out"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a running process (Linux): robust where the wall clock is shared."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_for(url: str, text: str, timeout: float) -> float:
    """Seconds until url serves a page containing text (polling every 50 ms)."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if text in fetch(url):
            return time.perf_counter() - start
        time.sleep(0.05)
    raise SystemExit(f"{url} did not show {text!r} within {timeout:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--dirty", action="store_true", help="serve with --dirty (rebuild changed pages only)")
    args = parser.parse_args()
    project = generate(OUT / f"serve-{args.projects}", args.projects)
    record = project / "content" / "projects" / "p00001.md"
    original = record.read_text(encoding="utf-8")
    title = next(line for line in original.splitlines() if line.startswith("title: "))
    port = free_port()
    url = f"http://127.0.0.1:{port}/projects/p00001/"
    mkdocs = str(Path(sys.executable).parent / "mkdocs")
    # MkDocs warns about every dirty build, which --strict would turn into a failure.
    cmd = [mkdocs, "serve", "-a", f"127.0.0.1:{port}", *(["--dirty", "--no-strict"] if args.dirty else ["--strict"])]
    server = subprocess.Popen(
        cmd,
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    try:
        first = wait_for(url, title[7:], timeout=900)
        print(f"first build served after {first:.1f} s")
        times, cpus = [], []
        for i in range(args.edits):
            marker = f"改{i}号"
            cpu = cpu_seconds(server.pid)
            record.write_text(original.replace(title, title + marker), encoding="utf-8")
            times.append(wait_for(url, title[7:] + marker, timeout=600))
            cpus.append(cpu_seconds(server.pid) - cpu)
            listed = wait_for(f"http://127.0.0.1:{port}/projects/", title[7:] + marker, timeout=60)
            print(
                f"edit {i + 1}: updated page served after {times[-1]:.2f} s, {cpus[-1]:.2f} CPU s "
                f"(the project list {listed:.2f} s later)"
            )
            record.write_text(original, encoding="utf-8")
            wait_for(url, f"{title[7:]}</h1>", timeout=600)
        print(
            f"median over {args.edits} edits at {args.projects:,} projects: {statistics.median(times):.2f} s, "
            f"{statistics.median(cpus):.2f} CPU s; load average {os.getloadavg()[0]:.1f}"
        )
    finally:
        record.write_text(original, encoding="utf-8")
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
