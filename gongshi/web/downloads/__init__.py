"""Open data: the site's tables (built from the field registry) in every download format.

Each module of this package that defines `FORMAT` is a download format; they are found here, in module-name
order, so a new format is one module (and its test). The data page lists what every format publishes.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

from gongshi.content.site import Site
from gongshi.web.downloads.tables import Table
from gongshi.web.family import GeneratedPage
from gongshi.web.urls import Urls


@dataclass(frozen=True)
class Download:
    """One published file as the data page lists it."""

    target: str  # the file's address (see gongshi.web.urls)
    name: str
    description: str


@dataclass(frozen=True)
class DownloadFormat:
    """A format: the files it writes from the tables, what the data page says of them, and which file holds
    one table (for formats with a file per table)."""

    name: str
    files: Callable[[Site, Urls, list[Table]], Iterable[GeneratedPage]]
    listing: Callable[[Urls, list[Table]], Iterable[Download]]
    table_file: Callable[[Urls, Table], str | None] = lambda urls, table: None


@cache
def formats() -> tuple[DownloadFormat, ...]:
    """Every format module's FORMAT, in module-name order."""
    found = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if isinstance(getattr(module, "FORMAT", None), DownloadFormat):
            found.append(module.FORMAT)
    return tuple(found)
