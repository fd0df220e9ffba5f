"""Reuse Material's search entries of pages that did not change since the last build.

Indexing a page (parsing its HTML into sections and segmenting the Chinese with jieba) is about a
third of a build. The entries of a page depend only on its rendered HTML, table of contents, URL,
title and front matter, and on the segmenter (jieba's version and dictionary, the words gongshi
teaches it, Material's version and search settings). The cache key hashes all of these, so a changed
page or dictionary is indexed afresh: a hit is exactly what indexing would have produced.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

FORMAT = 1


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "-"


def fingerprint(words: Iterable[str], search_config: dict[str, Any]) -> str:
    """What every cached entry depends on besides the page itself."""
    h = hashlib.sha256()
    h.update(
        json.dumps(
            [
                FORMAT,
                _version("mkdocs-material"),
                _version("jieba"),
                _version("mkdocs"),
                sorted(set(words)),
                search_config,
            ],
            sort_keys=True,
            default=str,
            ensure_ascii=False,
        ).encode("utf-8")
    )
    for key in ("jieba_dict", "jieba_dict_user"):  # a custom dictionary counts by its content
        path = search_config.get(key)
        if path and os.path.isfile(path):
            h.update(Path(path).read_bytes())
    return h.hexdigest()


def _toc(items) -> list:
    return [[item.id, item.url, item.title, item.level, _toc(item.children)] for item in items]


def page_key(page) -> str:
    """Everything of a page that Material's indexing reads."""
    h = hashlib.sha256()
    h.update(
        json.dumps(
            [page.url, str(page.title), page.meta, _toc(page.toc)], sort_keys=True, default=str, ensure_ascii=False
        ).encode("utf-8")
    )
    h.update(b"\0")
    h.update((page.content or "").encode("utf-8"))
    return h.hexdigest()


class SearchCache:
    """Page key → the search entries Material made for it; one JSON file per fingerprint."""

    def __init__(self, directory: Path, fingerprint_: str):
        self.path = directory / f"search-{fingerprint_[:32]}.json"
        self.directory = directory
        self.old: dict[str, list[dict]] = {}
        self.used: dict[str, list[dict]] = {}
        self.hits = 0
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("fingerprint") == fingerprint_:
                self.old = data["pages"]
        except (OSError, ValueError, KeyError, AttributeError):
            pass  # no cache yet, or an unreadable one: index everything
        self.fingerprint = fingerprint_

    def wrap(self, index) -> None:
        """Make Material's SearchIndex instance look pages up here before indexing them."""
        index_page: Callable = index.add_entry_from_context

        def add_entry_from_context(page) -> None:
            key = page_key(page)
            cached = self.used.get(key) or self.old.get(key)
            if cached is not None:
                self.hits += 1
                index.entries.extend(dict(entry) for entry in cached)
                self.used[key] = cached
                return
            start = len(index.entries)
            index_page(page)
            self.used[key] = [dict(entry) for entry in index.entries[start:]]

        index.add_entry_from_context = add_entry_from_context

    def save(self) -> None:
        """Keep the entries of this build's pages only (the cache never outgrows the site), atomically."""
        self.directory.mkdir(parents=True, exist_ok=True)
        for stale in self.directory.glob("search-*.json"):
            if stale != self.path:
                stale.unlink(missing_ok=True)
        data = json.dumps(
            {"fingerprint": self.fingerprint, "pages": self.used}, ensure_ascii=False, separators=(",", ":")
        )
        fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".search-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(data)
        os.replace(tmp, self.path)
