"""The site's one extension point: a page family turns the Site model into pages and files, and names the
functions its templates call.

Every built-in family (the modules in gongshi/web/pages/, listed in FAMILIES there) is declared this way;
a new kind of page is a new module with a `FAMILY` and one line in that list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from gongshi.content.site import Site
from gongshi.web.urls import Urls


@dataclass(frozen=True)
class GeneratedPage:
    """One file to add to the build: a Markdown page (src_uri ends in .md) or any other file: its text or bytes,
    or a Path to a file already written (in the build cache, `Renderer.cache_dir`), copied into the site as it is
    and never read into memory."""

    src_uri: str
    content: str | bytes | Path
    overridable: bool = False  # a standard page: a county's own docs/ page of the same path replaces it


class Renderer(Protocol):
    """What a family gets to build its pages: the site model, the address book and the templates."""

    site: Site
    urls: Urls
    templates_dir: Path  # the county's templates folder (its overrides come first)
    cache_dir: Path  # files kept between builds (e.g. share images by the hash of what they show)
    # False under `gongshi check`: every page is rendered in memory and discarded, so a family writes no file
    # (nothing into cache_dir) and may skip work whose only product is a file, saying why in a comment.
    writes: bool

    def render(self, template: str, src_uri: str, **context: Any) -> GeneratedPage: ...


def _no_helpers(renderer: Renderer) -> Mapping[str, Any]:
    return {}


@dataclass(frozen=True)
class PageFamily:
    """A family of pages: `pages` yields them; `helpers` names what its templates call (globals of every
    template, so a partial of one family may be included by another)."""

    name: str
    pages: Callable[[Renderer], Iterable[GeneratedPage]]
    helpers: Callable[[Renderer], Mapping[str, Any]] = _no_helpers
