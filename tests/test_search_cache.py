"""The search cache makes builds faster but never different: warm, cold and uncached builds are identical."""

from __future__ import annotations

import filecmp
import json
from pathlib import Path

from conftest import build_ok
from helpers import edit
from variants import TEA

TITLE = "青山镇茶叶加工厂建设项目"
NEW_TITLE = "青山镇茶叶精深加工园区项目"


def _disable_cache(project: Path) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("  - gongshi:\n", '  - gongshi:\n      cache_dir: ""\n', 1), encoding="utf-8")


def _same_tree(a: Path, b: Path) -> bool:
    left = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    right = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    return left == right and all(filecmp.cmp(a / p, b / p, shallow=False) for p in left)


def _index_text(site: Path) -> str:
    docs = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))["docs"]
    return "".join(d["title"] + d["text"] for d in docs).replace("\u200b", "")


def test_cached_builds_are_byte_identical(project: Path, tmp_path: Path):
    cold = build_ok(project, tmp_path / "cold")
    cache_files = list((project / ".cache/gongshi").glob("search-*.json"))
    assert len(cache_files) == 1
    warm = build_ok(project, tmp_path / "warm")
    assert _same_tree(cold, warm)
    _disable_cache(project)
    uncached = build_ok(project, tmp_path / "uncached")
    assert _same_tree(cold, uncached)


def test_a_changed_record_is_never_served_stale(project: Path, tmp_path: Path):
    build_ok(project, tmp_path / "before")
    edit(project, TEA, f"title: {TITLE}", f"title: {NEW_TITLE}")
    after = build_ok(project, tmp_path / "after")
    text = _index_text(after)
    assert NEW_TITLE in text
    assert TITLE not in text
    _disable_cache(project)
    assert _same_tree(after, build_ok(project, tmp_path / "uncached"))


def test_an_unreadable_cache_is_ignored(project: Path, tmp_path: Path):
    first = build_ok(project, tmp_path / "first")
    for cache in (project / ".cache/gongshi").glob("search-*.json"):
        cache.write_text("{not json", encoding="utf-8")
    assert _same_tree(first, build_ok(project, tmp_path / "second"))
