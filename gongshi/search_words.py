"""Teach jieba the site's own words so that search finds 柑子口村 or 县人社局 as one word."""

from __future__ import annotations

from collections.abc import Iterator

from gongshi.site import Site


def site_words(site: Site) -> Iterator[str]:
    """Place, unit and category names that must stay whole in the search index."""
    for township in site.gazetteer.townships:
        yield township.name
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
