"""The generator's templates: generated pages (pages/), standard pages (pages/standard/), Material theme
overrides and stylesheets (overrides/) and the files `gongshi init` writes (init/).

They live at the top of the repository and ship inside the package as `gongshi.templates` (setuptools
package-dir in pyproject.toml), so a county's site repository needs no copy; a county overrides any of them
from its own templates/ folder (see gongshi.web.theme).
"""
