"""Text a build holds compressed until it is read: at 10,000 projects MkDocs keeps ~45,000 generated pages'
Markdown, and then their HTML, in memory until it has written them all (~700 MB as Python strings, which store
Chinese text in 2 bytes a character); zlib at its fastest level keeps them in a fifth of that or less, and
unpacking a page when MkDocs reads it costs well under a millisecond."""

from __future__ import annotations

import zlib

from mkdocs.structure.files import File


def pack(text: str | None) -> bytes | None:
    return None if text is None else zlib.compress(text.encode("utf-8"), 1)


def unpack(data: bytes | None) -> str | None:
    return None if data is None else zlib.decompress(data).decode("utf-8")


class PackedText:
    """An attribute that holds its text packed: set a str (or None), read the str back. The packed bytes are kept
    in the instance under the attribute's name with a leading underscore, where they may also be set directly."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.slot = "_" + name

    def __get__(self, instance: object, owner: type | None = None):
        if instance is None:
            return self
        return unpack(instance.__dict__.get(self.slot))

    def __set__(self, instance: object, value: str | None) -> None:
        instance.__dict__[self.slot] = pack(value)


class PackedFile(File):
    """A generated file (`File.generated`) whose content is kept packed: MkDocs reads and writes it through
    `_content`, which packs what is set and unpacks what is read."""

    _packed: tuple[bool, bytes] | None = None  # (is text, the packed bytes or the bytes as given)

    @property  # type: ignore[override]
    def _content(self) -> str | bytes | None:
        if self._packed is None:
            return None
        text, data = self._packed
        return zlib.decompress(data).decode("utf-8") if text else data

    @_content.setter
    def _content(self, value: str | bytes | None) -> None:
        if value is None:
            self._packed = None
        elif isinstance(value, str):
            self._packed = (True, zlib.compress(value.encode("utf-8"), 1))
        else:
            self._packed = (False, value)  # bytes: images, workbooks, feeds made elsewhere; kept as they are
