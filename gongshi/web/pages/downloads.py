"""The 数据下载 page and every download format's files (see gongshi.web.downloads)."""

from __future__ import annotations

from collections.abc import Iterator

from gongshi.web.downloads import formats
from gongshi.web.downloads.tables import tables
from gongshi.web.family import GeneratedPage, PageFamily
from gongshi.web.render import Renderer


def download_pages(renderer: Renderer) -> Iterator[GeneratedPage]:
    """Every format's files, and the page that lists them with each table's columns."""
    site, urls = renderer.site, renderer.urls
    all_tables = tables(site, urls)
    listed = []
    for fmt in formats():
        yield from fmt.files(site, urls, all_tables)
        listed.extend(fmt.listing(urls, all_tables))
    table_files = {t.name: [f for f in (fmt.table_file(urls, t) for fmt in formats()) if f] for t in all_tables}
    yield renderer.render("data.md.j2", urls.data, tables=all_tables, downloads=listed, table_files=table_files)


FAMILY = PageFamily("downloads", download_pages)
