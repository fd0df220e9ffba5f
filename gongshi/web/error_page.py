"""The page `mkdocs serve` shows while the content has errors: every error with its file and line, and the
page reloads by itself once the files are fixed (mkdocs serve watches content/ and injects its reload script)."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from markupsafe import escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from gongshi.errors import ContentErrors


def error_markdown(exc: ContentErrors) -> str:
    """The errors as a page: the errors first, in Material's failure box, one block each as `gongshi check`
    prints them; then what to do."""
    blocks = "".join(f'<pre class="gs-error">{escape(error.format())}</pre>' for error in exc.errors)
    count = len(exc.errors)
    return (
        "---\nhide: [navigation, toc]\n---\n\n"  # the errors first on the screen, at the full width of a phone
        "# 内容检查未通过\n\n"
        f'<div class="admonition failure gs-errors"><p class="admonition-title">{count} 处错误 / {count} error(s)'
        f"</p>{blocks}</div>\n\n"
        "网站没有生成。按上面的说明改正并保存文件，这一页会自动刷新。"
        "（终端里的 `make serve` 也列出同样的错误；`make check` 只检查不生成。）\n\n"
        "Fix them and save: this page reloads by itself.\n"
    )


def serve_errors(config: MkDocsConfig) -> None:
    """Let the one-page error site build under --strict: no nav, missing pages and links are not warnings."""
    config.nav = ["index.md"]  # one entry: every address holds the same page (a full nav would grow as pages²)
    for group in ("nav", "links"):
        section = config.validation[group]
        for key in list(section):
            section[key] = logging.DEBUG


def error_files(config: MkDocsConfig, exc: ContentErrors, files: Files, pages: Iterable[str] = ()) -> Files:
    """The error page at every address the clerk may be looking at (the home page, the site's own docs/ pages
    and `pages`, those of the last good build), so the reload shows the errors on the page being edited. The
    theme's stylesheets and scripts stay."""
    text = error_markdown(exc)
    kept = [f for f in files if not f.is_documentation_page()]
    addresses = {"index.md", *(f.src_uri for f in files.documentation_pages()), *pages}
    return Files([*kept, *(File.generated(config, uri, content=text) for uri in sorted(addresses))])
