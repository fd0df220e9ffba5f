"""The staff guide's generated page: the field reference, read from the field registry so it cannot drift."""

from __future__ import annotations

from collections.abc import Iterator

from gongshi.content.fields import field_rows
from gongshi.content.model import Project
from gongshi.web.family import GeneratedPage, PageFamily
from gongshi.web.render import Renderer


def guide_pages(renderer: Renderer) -> Iterator[GeneratedPage]:
    """guide/fields.md: every record field, required or optional, with what to write."""
    yield renderer.render("guide_fields.md.j2", renderer.urls.guide_fields, rows=field_rows(Project))


FAMILY = PageFamily("guide", guide_pages)
