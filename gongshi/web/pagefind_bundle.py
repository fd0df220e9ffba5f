"""Make Pagefind's bundle byte-identical between builds of the same pages.

Pagefind 1.5 writes its filter indexes from a hash map, so the values of a filter (项目, 村 … or the
townships) come out in a different order on every run, and with them the filter files' names, the
language's metadata file that lists them, and pagefind-entry.json. The pages, words and fragments are
stable. This rewrites the filter files and the metadata in a canonical order, under names derived from
their content, so that two builds of one commit are identical (DESIGN.md, invariant 7).

The files are gzip of b"pagefind_dcd" followed by CBOR (RFC 8949); only what Pagefind writes is read:
unsigned integers, text, byte strings, arrays, maps, simple values and floats, with definite lengths.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import struct
from pathlib import Path
from typing import Any

MAGIC = b"pagefind_dcd"


class FormatChanged(ValueError):
    """The bundle is not laid out as Pagefind 1.5 lays it out (a new Pagefind version?)."""


class _Float(float):
    """A float with the CBOR width it was read with, written back the same."""

    width: int

    def __new__(cls, value: float, width: int) -> _Float:
        self = super().__new__(cls, value)
        self.width = width
        return self


# --- CBOR, the subset Pagefind writes ------------------------------------------------------------


def _decode(data: bytes, at: int = 0) -> tuple[Any, int]:
    head = data[at]
    major, info = head >> 5, head & 0x1F
    at += 1
    if major == 7:
        if info == 20:
            return False, at
        if info == 21:
            return True, at
        if info == 22:
            return None, at
        formats = {25: (">e", 2), 26: (">f", 4), 27: (">d", 8)}
        if info in formats:
            fmt, size = formats[info]
            return _Float(struct.unpack(fmt, data[at : at + size])[0], size), at + size
        raise FormatChanged(f"CBOR simple value {info}")
    if info < 24:
        value = info
    elif info in (24, 25, 26, 27):
        size = 1 << (info - 24)
        value = int.from_bytes(data[at : at + size], "big")
        at += size
    else:
        raise FormatChanged(f"CBOR indefinite length or reserved value (major {major}, info {info})")
    if major == 0:
        return value, at
    if major == 1:
        return -1 - value, at
    if major == 2:
        return bytes(data[at : at + value]), at + value
    if major == 3:
        return data[at : at + value].decode("utf-8"), at + value
    if major == 4:
        items = []
        for _ in range(value):
            item, at = _decode(data, at)
            items.append(item)
        return items, at
    if major == 5:
        pairs = {}
        for _ in range(value):
            key, at = _decode(data, at)
            pairs[key], at = _decode(data, at)
        return pairs, at
    raise FormatChanged(f"CBOR major type {major}")


def _head(major: int, value: int) -> bytes:
    if value < 24:
        return bytes([major << 5 | value])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if value < 1 << (8 * size):
            return bytes([major << 5 | info]) + value.to_bytes(size, "big")
    raise FormatChanged(f"integer too large: {value}")


def _encode(value: Any) -> bytes:
    if value is False or value is True or value is None:
        return bytes([0xF4 if value is False else 0xF5 if value is True else 0xF6])
    if isinstance(value, _Float):
        fmt, info = {2: (">e", 25), 4: (">f", 26), 8: (">d", 27)}[value.width]
        return bytes([0xE0 | info]) + struct.pack(fmt, value)
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _head(3, len(raw)) + raw
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(_encode(v) for v in value)
    if isinstance(value, dict):
        return _head(5, len(value)) + b"".join(_encode(k) + _encode(v) for k, v in value.items())
    raise FormatChanged(f"cannot write {type(value).__name__}")


def read(path: Path) -> Any:
    """A Pagefind data file's content."""
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(MAGIC):
        raise FormatChanged(f"{path.name}: not a Pagefind data file")
    value, end = _decode(data, len(MAGIC))
    if end != len(data):
        raise FormatChanged(f"{path.name}: trailing bytes")
    return value


def pack(value: Any) -> bytes:
    """A Pagefind data file's bytes (gzip without a timestamp, so the same value gives the same bytes)."""
    return gzip.compress(MAGIC + _encode(value), compresslevel=9, mtime=0)


# --- the bundle ----------------------------------------------------------------------------------


def _name(language: str, content: bytes, length: int) -> str:
    return f"{language}_{hashlib.sha256(content).hexdigest()[:length]}"


def canonicalize(bundle: Path) -> None:
    """Rewrite each language's filter files and metadata in canonical order, renamed by their content."""
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language, info in entry["languages"].items():
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = read(meta_path)
        # MetaIndex: [version, pages, index_chunks, filters [[name, hash]], sorts [[name, pages]], meta_fields]
        if not (isinstance(meta, list) and len(meta) == 6 and isinstance(meta[3], list)):
            raise FormatChanged(f"{meta_path.name}: unexpected layout")
        filters = []
        for name, old in meta[3]:
            old_path = bundle / "filter" / f"{old}.pf_filter"
            index = read(old_path)  # [name, [[value, [page numbers]], …]]
            if not (isinstance(index, list) and len(index) == 2 and index[0] == name):
                raise FormatChanged(f"{old_path.name}: unexpected layout")
            index[1] = sorted(([value, sorted(pages)] for value, pages in index[1]), key=lambda v: v[0])
            content = pack(index)
            new = _name(language, content, 7)
            old_path.unlink()
            (bundle / "filter" / f"{new}.pf_filter").write_bytes(content)
            filters.append([name, new])
        meta[3] = sorted(filters)
        meta[4] = sorted(meta[4], key=lambda sort: sort[0])
        content = pack(meta)
        info["hash"] = _name(language, content, 10)
        meta_path.unlink()
        (bundle / f"pagefind.{info['hash']}.pf_meta").write_bytes(content)
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
