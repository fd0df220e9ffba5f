"""Teach jieba the site's own words so that search finds 柑子口村 or 县人社局 as one word."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from gongshi.content.site import Site


def _import_jieba_quietly() -> None:
    """Import jieba before Material's search plugin does, without its one deprecation warning: jieba 0.42.1
    imports setuptools' pkg_resources, which warns on import, and a clerk reads the traceback in every build
    output as an error. Only that warning, only during this import, is silenced."""
    import warnings

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="pkg_resources is deprecated as an API", category=UserWarning)
        try:
            import jieba
        except ImportError:
            return
    jieba.setLogLevel(30)  # no "Building prefix dict…" lines in the build output


_import_jieba_quietly()


def site_words(site: Site) -> Iterator[str]:
    """Place, unit and category names that must stay whole in the search index (stated ones)."""
    yield from (word for word in _words(site) if isinstance(word, str))


def _words(site: Site) -> Iterator[object]:
    for township in site.gazetteer.townships:
        yield township.name
        yield township.name[:-1]  # 某某 as in 某某镇 (documents drop the 镇)
        yield from township.aliases
        for village in township.villages:
            yield village.name
            yield village.official_name
            yield from village.aliases
    for unit in site.units:
        yield unit.name
        if unit.full_name:
            yield unit.full_name
        yield from unit.aliases
    for plan in site.plans:
        for category in plan.categories:
            yield category.name


def teach_jieba(site: Site) -> None:
    """Add the site's words to jieba's dictionary (Material's search segments with jieba at build time)."""
    try:
        import jieba
    except ImportError:  # search then splits Chinese text only at punctuation
        return
    jieba.setLogLevel(30)
    for word in dict.fromkeys(site_words(site)):
        if len(word) > 1:
            jieba.add_word(word, freq=1_000_000)


# Material's search worker splits a Chinese query at the longest *proper* prefix that is an index
# token, never trying the whole query: with "县" in the index, "县人社局" becomes "县* 人* …" and the
# page with the token "县人社局" sinks. Single-character tokens are therefore joined to a neighbour.
_ZWSP = "\u200b"


def _is_han(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


def join_single_characters(text: str) -> str:
    """Join each one-character Han token to the token before it (or after it, at the start of a run)."""
    tokens = text.split(_ZWSP)
    out: list[str] = []
    carry = ""
    for token in tokens:
        if len(token) == 1 and _is_han(token):
            if out and out[-1] and _is_han(out[-1][-1]):
                out[-1] += token
            else:
                carry += token
            continue
        if carry and token and _is_han(token[0]):
            token = carry + token
        elif carry:
            out.append(carry)
        carry = ""
        out.append(token)
    if carry:
        out.append(carry)
    return _ZWSP.join(out)


def rewrite_search_index(path: Path) -> None:
    """Apply join_single_characters to Material's search_index.json in place."""
    data = json.loads(path.read_text(encoding="utf-8"))
    for doc in data.get("docs", []):
        for key in ("title", "text"):
            if isinstance(doc.get(key), str):
                doc[key] = join_single_characters(doc[key])
    # UTF-8 rather than \uXXXX escapes: a third smaller gzipped, half the size unzipped.
    path.write_text(json.dumps(data, separators=(",", ":"), default=str, ensure_ascii=False), encoding="utf-8")
