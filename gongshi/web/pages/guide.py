"""The staff guide's generated page: the field reference, read from the model so it cannot drift."""

from __future__ import annotations

from collections.abc import Iterator

from gongshi.content.fields import field_rows
from gongshi.web.render import GeneratedPage, Renderer, Routes


def guide_pages(renderer: Renderer) -> Iterator[GeneratedPage]:
    """guide/fields.md: every record field, required or optional, with what to write."""
    yield renderer.render("guide_fields.md.j2", Routes.guide_fields, rows=field_rows())
