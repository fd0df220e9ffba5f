"""The page `mkdocs serve` shows while the content has errors: every error with its file and line, and the
page reloads by itself once the files are fixed (mkdocs serve watches content/ and injects its reload script).
A fault of a page family (gongshi.web.fault) is shown the same way."""

from __future__ import annotations

import logging

from markupsafe import escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from gongshi.errors import ContentErrors
from gongshi.web.fault import GeneratorFault, debugging


def error_markdown(exc: ContentErrors) -> str:
    """The errors as a page: what to do, then one block per error, as `gongshi check` prints them."""
    blocks = "\n\n".join(f'<pre class="gs-error">{escape(error.format())}</pre>' for error in exc.errors)
    return (
        "# 内容检查未通过\n\n"
        f"记录中有 {len(exc.errors)} 处错误，网站没有生成。按下面的说明改正并保存文件，这一页会自动刷新。"
        "（终端里的 `make serve` 也列出同样的错误；`make check` 只检查不生成。）\n\n"
        f"{len(exc.errors)} content error(s); fix them and save: this page reloads by itself.\n\n{blocks}\n"
    )


def serve_errors(config: MkDocsConfig) -> None:
    """Let the one-page error site build under --strict: no nav, missing pages and links are not warnings."""
    config.nav = None
    for group in ("nav", "links"):
        section = config.validation[group]
        for key in list(section):
            section[key] = logging.DEBUG


def error_files(config: MkDocsConfig, exc: ContentErrors) -> Files:
    return Files([File.generated(config, "index.md", content=error_markdown(exc))])


def fault_markdown(fault: GeneratorFault) -> str:
    """A fault of a page family as the preview's page: what happened, and whom to tell."""
    return (
        "# 生成器的错误\n\n"
        "内容检查已通过，但本工具在生成页面时出错：这是工具的错误，不是内容的错误。"
        "请把下面的信息连同其中的记录文件发给维护者；维护者修好之前，改动记录或模板后这一页会自动刷新。\n\n"
        "The content is valid, but the tool failed while generating pages: report this to the maintainers.\n\n"
        f'<pre class="gs-error">{escape(fault.report(debugging()))}</pre>\n'
    )


def fault_files(config: MkDocsConfig, fault: GeneratorFault) -> Files:
    return Files([File.generated(config, "index.md", content=fault_markdown(fault))])
