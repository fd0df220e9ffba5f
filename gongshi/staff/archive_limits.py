"""Limits for the archives staff import (KMZ, XLSX): checked before a reader opens them.

A KMZ or an XLSX is a zip file. A small one can declare entries that decompress to gigabytes (a "zip bomb": a
612 KB KMZ once took 1.9 GB of memory and 31 s, a 726 KB XLSX 780 MB), or hold millions of entries. Python's
zipfile never decompresses an entry beyond the size its central directory declares, so adding up the declared
sizes before opening bounds the memory and time of every reader that uses it (openpyxl, our KMZ reader). A
county's fund table or village points are a few megabytes at most; the limits are far above that.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

MAX_ENTRIES = 1_000
MAX_UNPACKED = 200 * 1024 * 1024  # bytes, all entries together


class ArchiveError(zipfile.BadZipFile):
    """An archive refused before it is opened; its message names the file (a BadZipFile for callers that
    already report unreadable archives)."""


def check_archive(path: Path, shown: str | None = None) -> None:
    """Refuse an archive with too many entries or too much data once decompressed, naming the file."""
    name = shown or path.name
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:  # ValueError: e.g. a negative offset
        raise ArchiveError(f"{name}：不是有效的压缩文件（{exc}） / {name}: not a valid zip archive ({exc})") from None
    if len(entries) > MAX_ENTRIES:
        raise ArchiveError(
            f"{name}：压缩文件中的文件过多（{len(entries):,} 个，最多 {MAX_ENTRIES:,} 个） / {name}: too many entries "
            f"in the archive ({len(entries):,}, at most {MAX_ENTRIES:,})"
        )
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > MAX_UNPACKED:
        raise ArchiveError(
            f"{name}：解压后过大（{unpacked:,} 字节，最多 {MAX_UNPACKED:,} 字节），可能是“压缩炸弹” / {name}: too "
            f"large once decompressed ({unpacked:,} bytes, at most {MAX_UNPACKED:,}); a zip bomb?"
        )


DAMAGED = (OSError, zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, KeyError, SyntaxError)
"""What reading a damaged archive raises in zipfile and the readers on it (openpyxl): a bad or cut-short
stream (zlib.error, EOFError), an unknown compression (NotImplementedError), a missing part (KeyError), XML in
it that does not parse (ElementTree's and lxml's errors are SyntaxErrors). Reported as an unreadable file."""
