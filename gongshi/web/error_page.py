"""The page `mkdocs serve` shows while the content has errors: every error with its file and line, and the
page reloads by itself once the files are fixed (mkdocs serve watches content/ and injects its reload script).
A fault of a page family (gongshi.web.fault) is shown the same way."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from markupsafe import escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from gongshi.errors import ContentErrors
from gongshi.web.fault import GeneratorFault, debugging


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


def fault_markdown(fault: GeneratorFault) -> str:
    """A fault of a page family as the preview's page: what happened first, then whom to tell."""
    return (
        "---\nhide: [navigation, toc]\n---\n\n"
        "# 生成器的错误\n\n"
        '<div class="admonition failure gs-errors"><p class="admonition-title">生成器的错误 / a fault of the tool</p>'
        f'<pre class="gs-error">{escape(fault.report(debugging()))}</pre></div>\n\n'
        "内容检查已通过，但本工具在生成页面时出错：这是工具的错误，不是内容的错误。"
        "请把上面的信息连同其中的记录文件发给维护者；维护者修好之前，改动记录或模板后这一页会自动刷新。\n\n"
        "The content is valid, but the tool failed while generating pages: report this to the maintainers.\n"
    )


def error_files(config: MkDocsConfig, text: str, files: Files, pages: Iterable[str] = ()) -> Files:
    """The error page (`error_markdown` or `fault_markdown`) at every address the clerk may be looking at (the
    home page, the site's own docs/ pages and `pages`, those of the last good build), so the reload shows the
    errors on the page being edited. The theme's stylesheets and scripts stay."""
    kept = [f for f in files if not f.is_documentation_page()]
    addresses = {"index.md", *(f.src_uri for f in files.documentation_pages()), *pages}
    return Files([*kept, *(File.generated(config, uri, content=text) for uri in sorted(addresses))])
