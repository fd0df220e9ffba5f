"""Which part of a repository's git history is this site's: commits since content/site.yml named its county.

A county that starts from a copy of another county's repository (rather than `gongshi init`) inherits that
county's commits; its change history, its feed and its "last updated" date must not count them. The site's
history starts after the newest commit whose site.yml names another county (or has none).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import yaml


def county_of(text: str) -> str | None:
    """The county named by a site.yml text (None when it names none or cannot be read)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    county = data.get("county") if isinstance(data, dict) else None
    return str(county.get("name")) if isinstance(county, dict) and county.get("name") else None


def _run(root: Path, *args: str, stdin: bytes | None = None) -> bytes | None:
    try:
        result = subprocess.run(["git", *args], cwd=root, capture_output=True, input=stdin, timeout=600)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout if result.returncode == 0 else None


def other_site_boundary(root: Path, content_rel: str) -> str | None:
    """The newest commit whose site.yml names another county than today's, or has no site.yml; None when every
    version of site.yml names today's county (the whole history is this site's)."""
    site_rel = f"{content_rel}/site.yml" if content_rel != "." else "site.yml"
    current = root / site_rel
    if not current.is_file():
        return None
    today = county_of(current.read_text(encoding="utf-8", errors="replace"))
    out = _run(root, "log", "--format=%H", "--", site_rel)
    commits = out.decode().split() if out else []
    if not commits:
        return None
    specs = "".join(f"{c}:{site_rel}\n" for c in commits).encode()
    blobs = _run(root, "cat-file", "--batch", stdin=specs) or b""
    pos = 0
    for commit in commits:  # newest first
        end = blobs.index(b"\n", pos)
        header = blobs[pos:end].decode("utf-8", "replace")
        pos = end + 1
        if header.endswith("missing"):
            return commit  # site.yml deleted here: what came before is another site's
        size = int(header.rsplit(" ", 1)[1])
        text = blobs[pos : pos + size].decode("utf-8", "replace")
        pos += size + 1
        if county_of(text) != today:
            return commit
    return None
