"""The JSON Schemas of the content files, published on the site for editors and for data users."""

from __future__ import annotations

from collections.abc import Iterator

from gongshi.content.schema import SCHEMA_DIR, SCHEMAS, schema_text
from gongshi.web.render import GeneratedPage, Renderer


def schema_assets(renderer: Renderer) -> Iterator[GeneratedPage]:
    """The schemas as site assets at schema/<name>, e.g. schema/project.schema.json."""
    for name in SCHEMAS:
        yield GeneratedPage(f"{SCHEMA_DIR}/{name}", schema_text(name))
