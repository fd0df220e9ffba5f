"""Render generated pages (Markdown with HTML blocks) from the Jinja2 templates in templates/pages/."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from gongshi.content.fields import label
from gongshi.content.model import Project
from gongshi.content.site import Site
from gongshi.content.unstated import Total, Unstated, stated
from gongshi.content.values import category_name, project_name
from gongshi.web.body import render_body
from gongshi.web.compiled import keep_compiled
from gongshi.web.family import GeneratedPage, PageFamily
from gongshi.web.present import FILTERS, GLOBALS
from gongshi.web.theme import page_folders
from gongshi.web.urls import Urls

RAW = {
    Unstated: "原文件未列明 (UNSTATED)",
    Total: "a Total",
    Decimal: "a Decimal",
    float: "a float",
    dt.date: "a date",
}
"""Values a template must not print as they are: it shows them through a filter (`wan`, `number`, `cn_date`,
`total_wan` …) or tests them (`is stated`), so an unstated value is never spliced and a number is never shown
unformatted."""


class RawValueError(TypeError):
    """A template printed a value that only a filter may show (see RAW)."""


@pass_context
def refuse_raw(context: Context, value: Any) -> Any:
    """The one print path of every template (Jinja's `finalize`): refuses the values of RAW, naming the
    template and what it printed."""
    for kind, name in RAW.items():
        if isinstance(value, kind):
            raise RawValueError(
                f"{context.name}: printed {name} as it is ({value!r}); show it through a filter "
                "(wan, number, cn_date, total_wan …) or a test (is stated)"
            )
    return value


class Renderer:
    """Renders templates with the site model, the address book, the filters and every family's helpers."""

    def __init__(
        self,
        site: Site,
        templates_dir: Path,
        urls: Urls,
        families: Iterable[PageFamily] = (),
        cache_dir: Path | None = None,
        writes: bool = True,
    ):
        self.site = site
        self.urls = urls
        self.templates_dir = templates_dir
        # Beside the content, ignored by git (.gitignore): `.cache/gongshi/` of the site's folder.
        self.cache_dir = cache_dir or (site.root or templates_dir.parent) / ".cache" / "gongshi"
        self.writes = writes  # False: `gongshi check`, pages rendered and discarded, no file written (family.py)
        self.env = Environment(
            loader=FileSystemLoader([str(folder) for folder in page_folders(templates_dir)]),
            auto_reload=False,  # a new Renderer is made for every (re)build; no stat() per page
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            finalize=refuse_raw,
        )
        keep_compiled(self.env)
        self.env.filters.update(FILTERS)
        self.env.globals.update(GLOBALS)
        self.env.globals.update(
            site=site,
            urls=urls,
            body_html=lambda p: Markup(render_body(p.body)),
            label=lambda path: label(Project, path),
            project_name=lambda project: project_name(site, project),
            category_name=category_name,
        )
        self.env.tests.update(
            contains=lambda seq, item: item in seq, longer_than=lambda seq, n: len(seq) > n, stated=stated
        )
        for family in families:
            self.env.globals.update(family.helpers(self))

    def render(self, template: str, src_uri: str, **context: Any) -> GeneratedPage:
        """The page at src_uri from a template; `link(target)` in the template is relative to that page."""
        text = self.env.get_template(template).render(link=self.urls.link_from(src_uri), src_uri=src_uri, **context)
        return GeneratedPage(src_uri, text)
