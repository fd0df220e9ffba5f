"""JSON Schemas of the content files, generated from the pydantic models, for editors and for the site."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from gongshi.content.model import Gazetteer, Plan, Project, SiteConfig, Units

SCHEMA_DIR = "schema"
# Draft-07: the newest dialect the YAML language server (VS Code YAML extension) documents support for.
DIALECT = "http://json-schema.org/draft-07/schema#"

# File name → (model, title, which content files it describes).
SCHEMAS: dict[str, tuple[type[BaseModel], str, str]] = {
    "project.schema.json": (Project, "项目记录（content/projects/*.md 的前置字段）", "content/projects/*.md"),
    "plan.schema.json": (Plan, "计划文件", "content/plans/*.yml"),
    "places.schema.json": (Gazetteer, "地名表", "content/places.yml"),
    "units.schema.json": (Units, "单位表", "content/units.yml"),
    "site.schema.json": (SiteConfig, "网站设置", "content/site.yml"),
}


def schema_of(model: type[BaseModel], title: str) -> dict[str, Any]:
    """The model's validation schema, without the fields that come from the file rather than its YAML."""
    schema = model.model_json_schema(mode="validation")
    for name, info in model.model_fields.items():
        if info.exclude:
            schema["properties"].pop(name, None)
            if name in schema.get("required", []):
                schema["required"].remove(name)
    schema = {"$schema": DIALECT, **schema, "title": title}
    return schema


def project_schema() -> dict[str, Any]:
    return schema_of(Project, SCHEMAS["project.schema.json"][1])


def schema_text(name: str) -> str:
    """One schema file's text: stable key order, UTF-8, ending in a newline."""
    model, title, _ = SCHEMAS[name]
    return json.dumps(schema_of(model, title), ensure_ascii=False, indent=2) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    """Write every schema into folder (the repository keeps a copy for editors; tests keep it current)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in SCHEMAS:
        path = folder / name
        path.write_text(schema_text(name), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_schemas(Path(sys.argv[1] if len(sys.argv) > 1 else SCHEMA_DIR)):
        print(path)
