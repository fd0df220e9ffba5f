"""The JSON Schemas of the content files, published on the site for editors and for data users."""

from __future__ import annotations

from collections.abc import Iterator

from gongshi.content.schema import SCHEMAS, schema_text
from gongshi.web.family import GeneratedPage, PageFamily
from gongshi.web.render import Renderer


def schema_files(renderer: Renderer) -> Iterator[GeneratedPage]:
    """The schemas at schema/<name>, e.g. schema/project.schema.json."""
    for name in SCHEMAS:
        yield GeneratedPage(renderer.urls.schema(name), schema_text(name))


FAMILY = PageFamily("schema", schema_files)
