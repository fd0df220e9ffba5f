"""CSV: one file per table, UTF-8 with a byte-order mark so that Excel opens Chinese text correctly."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from gongshi.content.site import Site
from gongshi.content.values import scalar_text
from gongshi.web.downloads import Download, DownloadFormat
from gongshi.web.downloads.cells import csv_text
from gongshi.web.downloads.tables import Table
from gongshi.web.family import GeneratedPage
from gongshi.web.urls import Urls


def to_csv(table: Table) -> bytes:
    """A header of column names, then one line per row; amounts with every published digit."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.name for c in table.columns])
    for row in table.rows:
        writer.writerow([csv_text(v) if isinstance(v, str) else scalar_text(v) for v in row])  # no formulas
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def files(site: Site, urls: Urls, tables: list[Table]) -> Iterator[GeneratedPage]:
    for table in tables:
        yield GeneratedPage(urls.table_csv(table.name), to_csv(table))


def listing(urls: Urls, tables: list[Table]) -> Iterator[Download]:
    yield Download(urls.table_csv("projects"), "projects.csv", "每个项目一行（CSV，UTF-8 编码，Excel 可直接打开）")


FORMAT = DownloadFormat("csv", files, listing, table_file=lambda urls, table: urls.table_csv(table.name))
