"""Where the generator's templates live, and how a county's own folders override them.

The templates ship inside the package (`gongshi.templates`, the repository's top-level templates/ folder).
A county's site repository holds none of them; any file in its own `templates/pages/` or `templates/overrides/`
replaces the package's file of the same name, and any page in its `docs/` replaces the standard page of the same
path (about, report, the guide). The plugin also supplies what every site needs and a county's small mkdocs.yml
leaves out (the navigation, Markdown extensions, stylesheets, theme features), so an upgrade of gongshi brings
them along.
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig

PACKAGE_TEMPLATES = Path(str(importlib.resources.files("gongshi.templates")))
"""The package's templates folder (in a source checkout, the repository's templates/)."""

STYLESHEETS = (
    "stylesheets/gongshi.css",
    "stylesheets/villages.css",
    "stylesheets/search.css",
    "stylesheets/reach.css",
)  # served from templates/overrides/
EXTENSIONS: dict[str, dict[str, Any]] = {"tables": {}, "attr_list": {}, "admonition": {}, "toc": {"permalink": False}}
FEATURES = ("navigation.tabs", "navigation.top")
NAV: list[dict[str, str]] = [
    {"首页": "index.md"},
    {"全部项目": "projects/index.md"},
    {"资金构成": "funds/index.md"},
    {"项目进展": "progress/index.md"},
    {"受益村": "places/index.md"},
    {"受益村地图": "places/map.md"},
    {"责任单位": "units/index.md"},
    {"数据下载": "data/index.md"},
    {"关于本站": "about.md"},
    {"填写指南": "guide/index.md"},
]
"""Index pages only: one entry per generated page would make every build quadratic."""


def _folders(county: Path, name: str) -> list[Path]:
    """The county's folder of that name (when it has one), then the package's."""
    own, ours = county / name, PACKAGE_TEMPLATES / name
    folders = [own] if own.is_dir() and own.resolve() != ours.resolve() else []
    return [*folders, ours]


def page_folders(county_templates: Path) -> list[Path]:
    """Where page templates are looked up, first match wins: the county's templates/pages, then the package's."""
    return _folders(county_templates, "pages")


def standard_pages(county_templates: Path) -> list[str]:
    """The standard pages' templates (about, report, the guide) relative to pages/, in a stable order."""
    names: set[str] = set()
    for folder in page_folders(county_templates):
        names.update(p.relative_to(folder).as_posix() for p in (folder / "standard").rglob("*.md.j2"))
    return sorted(names)


def apply(config: MkDocsConfig, county_templates: Path) -> None:
    """Add the package's theme overrides after the county's and fill in what a county's mkdocs.yml left out."""
    theme_dirs = config.theme.dirs
    for folder in reversed(_folders(county_templates, "overrides")):
        if all(Path(d).resolve() != folder.resolve() for d in theme_dirs):
            theme_dirs.insert(0, str(folder))
    for sheet in STYLESHEETS:
        if sheet not in [str(css) for css in config.extra_css]:
            config.extra_css.append(sheet)
    for name, options in EXTENSIONS.items():
        if name not in config.markdown_extensions:
            config.markdown_extensions.append(name)
            config.mdx_configs.setdefault(name, options)
    features = config.theme.get("features") or []
    if not features:
        config.theme["features"] = list(FEATURES)
    if config.nav is None:
        config.nav = NAV
    if "generator" not in config.extra:  # no "Made with Material for MkDocs" under a county's public pages
        config.extra["generator"] = False
