"""XLSX: one workbook with a sheet per table; numbers as numbers, dated by the content so builds repeat."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

from gongshi.content.site import Site
from gongshi.money import plain
from gongshi.web.downloads import Download, DownloadFormat
from gongshi.web.downloads.cells import append_row, keep_as_text
from gongshi.web.downloads.tables import Table
from gongshi.web.family import GeneratedPage
from gongshi.web.urls import Urls

EXCEL_DIGITS = 15  # Excel keeps 15 significant digits; longer numbers are written as text


def _excel(value: Any) -> Any:
    if isinstance(value, Decimal):
        exact = value.normalize()
        return Decimal(plain(exact)) if len(exact.as_tuple().digits) <= EXCEL_DIGITS else plain(exact)
    return value


def to_xlsx(tables: list[Table], stamp: dt.date) -> bytes:
    """One sheet per table: a header of titles, a row of field names, then numbers as numbers.
    Dated by the content and zipped with fixed timestamps, so that two builds give the same bytes."""
    book = Workbook()
    book.remove(book.active)
    for table in tables:
        sheet = book.create_sheet(table.name)
        sheet.append([c.title for c in table.columns])
        sheet.append([c.name for c in table.columns])
        for row in table.rows:
            keep_as_text(append_row(sheet, [_excel(v) for v in row]))  # text stays text: no formula from content
        sheet.freeze_panes = "A3"
    moment = dt.datetime.combine(stamp, dt.time())
    book.properties.created = book.properties.modified = moment
    book.properties.creator = "gongshi"
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()
    return _fixed_zip(raw.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


def files(site: Site, urls: Urls, tables: list[Table]) -> Iterator[GeneratedPage]:
    yield GeneratedPage(urls.xlsx, to_xlsx(tables, site.stamp))


def listing(urls: Urls, tables: list[Table]) -> Iterator[Download]:
    yield Download(urls.xlsx, "gongshi.xlsx", "Excel 工作簿，下列每张表一个工作表，金额为数字")


FORMAT = DownloadFormat("xlsx", files, listing)
