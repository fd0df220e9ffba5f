"""A county's own pages (`docs/`) are published through the same sanitiser as record bodies.

A county may write pages of its own in `docs/` (an "about" page, a report) and add pictures and documents
beside them. They are content, written by staff like a record, so they meet the record body's rule
(gongshi.web.body): Markdown whose HTML keeps only the allowlisted tags, attributes and addresses — no
script, frame, form, style or event handler, no `javascript:` link, no image from another host. Headings
keep their anchors and admonitions (`!!! note`) their look. Files beside the pages may only be of kinds that
cannot run in a browser: a `docs/x.js`, `.html` or `.svg` would run as this site (same origin), so the build
is refused, naming the file.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from gongshi.text import strip_unsafe
from gongshi.web.body import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, sanitize

PAGE_TAGS = ALLOWED_TAGS | {"h1", "h2", "div"}
PAGE_ATTRIBUTES = {
    **ALLOWED_ATTRIBUTES,
    **{f"h{level}": {"id"} for level in range(1, 7)},  # the anchors of the table of contents
}
ADMONITIONS = {"admonition", "note", "abstract", "info", "tip", "success", "question", "warning", "failure"}
ADMONITIONS |= {"danger", "bug", "example", "quote"}
PAGE_CLASSES = {  # nh3 allows `class` by this list only (not also in the attributes)
    "div": ADMONITIONS,
    "p": {"admonition-title"},
}

# What may sit beside the pages: pictures and documents to download. Nothing a browser runs or renders as a
# page of this site (.js, .html, .svg, .xml, .css…).
FILE_KINDS = frozenset(
    {".md", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".pdf", ".txt", ".csv", ".xls", ".xlsx", ".doc", ".docx"}
)
FILE_NAMES = frozenset({"CNAME"})  # a custom domain for GitHub Pages


def is_county_file(file: File, config: MkDocsConfig) -> bool:
    """A file the county wrote in docs/, not one the plugin generated or the theme supplies."""
    return file.generated_by is None and file.abs_src_path is not None and _in(file.abs_src_path, config.docs_dir)


def _in(path: str, folder: str) -> bool:
    return Path(path).resolve().is_relative_to(Path(folder).resolve())


def check_files(files: Files, config: MkDocsConfig) -> None:
    """Refuse the build when docs/ holds a file a browser could run as this site."""
    refused = [
        file.src_uri
        for file in files
        if is_county_file(file, config)
        and not file.inclusion.is_excluded()  # dotfiles (.gitkeep) and exclude_docs are not published
        and PurePosixPath(file.src_uri).suffix.lower() not in FILE_KINDS
        and PurePosixPath(file.src_uri).name not in FILE_NAMES
    ]
    if refused:
        kinds = " ".join(sorted(FILE_KINDS))
        raise PluginError(
            "".join(
                f"docs/{uri}：县里自己的页面文件夹只能放页面（.md）、图片和文档，不能放脚本、网页或 SVG 等会在浏览器中"
                f"运行的文件，请删除 / docs/{uri}: a county's page folder may hold pages, pictures and documents "
                f"only ({kinds}), nothing a browser runs as this site; remove it\n"
                for uri in refused
            ).rstrip()
        )


def clean_page(html: str) -> str:
    """A county page's HTML with only what a record body may hold (and headings with anchors, admonitions)."""
    return strip_unsafe(sanitize(html, PAGE_TAGS, PAGE_ATTRIBUTES, PAGE_CLASSES))
