"""The staff guide and the record's JSON Schema follow the model; the edit link follows content/site.yml."""

from __future__ import annotations

import json
import re
import types
import typing
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import FIXTURE_CONTENT, ROOT, build_ok
from pydantic import BaseModel

from gongshi.content.model import Project
from gongshi.content.schema import SCHEMAS, schema_text


def expected_fields(model: type[BaseModel], prefix: str = "") -> dict[str, bool]:
    """Every front-matter field path of the model and whether it is required, walked here independently."""
    out: dict[str, bool] = {}
    for name, info in model.model_fields.items():
        if not prefix and name in ("body", "source"):
            continue  # the Markdown body and the file's path: not front-matter fields
        path = prefix + name
        out[path] = info.is_required()
        annotation, is_list = info.annotation, False
        while typing.get_origin(annotation) in (typing.Union, types.UnionType, tuple):
            is_list = is_list or typing.get_origin(annotation) is tuple
            annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            out.update(expected_fields(annotation, path + ("[]." if is_list else ".")))
    return out


class _Table(HTMLParser):
    """Rows of the first table in the page's content, as lists of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None
        self._in_body = False

    def handle_starttag(self, tag, attrs):
        if tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self.rows.append([])
        elif tag == "td" and self._in_body:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tbody":
            self._in_body = False

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def test_field_table_lists_exactly_the_model_fields(built_site: Path) -> None:
    table = _Table()
    table.feed((built_site / "guide" / "fields" / "index.html").read_text(encoding="utf-8"))
    shown = {row[0]: row[2] for row in table.rows}
    assert len(shown) == len(table.rows)  # no field twice
    # A text field's Yi version (…_ii) and who translated it are one sentence of the page, not a row each.
    expected = {
        path: required
        for path, required in expected_fields(Project).items()
        if not path.split(".")[-1].endswith("_ii") and path != "translation" and not path.startswith("translation.")
    }
    assert set(shown) == set(expected)
    assert {path: flag == "必填" for path, flag in shown.items()} == expected
    assert all(row[1] and row[4] for row in table.rows), "every field has a Chinese name and what to write"
    page = (built_site / "guide" / "fields" / "index.html").read_text(encoding="utf-8")
    assert "<code>_ii</code>" in page and "<code>translation</code>" in page  # the Yi fields, told once


def test_guide_is_in_the_navigation(built_site: Path) -> None:
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert "填写指南" in home
    for page in ("edit", "fields", "errors", "preview", "excel", "editor"):
        assert (built_site / "guide" / page / "index.html").is_file()


def test_schemas_in_the_repository_are_current() -> None:
    for name in SCHEMAS:
        assert (ROOT / "schema" / name).read_text(encoding="utf-8") == schema_text(name), (
            f"schema/{name} is out of date: run `python -m gongshi.content.schema schema`"
        )


def _front_matter(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
    # The YAML language server reads an unquoted date as text; so does this check.
    return json.loads(json.dumps(data, default=lambda v: v.isoformat() if isinstance(v, date) else str(v)))


def test_project_schema_is_published_and_matches_the_records(built_site: Path) -> None:
    published = built_site / "schema" / "project.schema.json"
    schema = json.loads(published.read_text(encoding="utf-8"))
    assert published.read_text(encoding="utf-8") == schema_text("project.schema.json")
    expected = expected_fields(Project)
    assert set(schema["properties"]) == {p for p in expected if "." not in p}
    assert set(schema["required"]) == {p for p, required in expected.items() if required and "." not in p}
    assert "规划投资" in schema["properties"]["investment"]["description"]
    validator = jsonschema.Draft7Validator(schema)
    records = sorted((FIXTURE_CONTENT / "projects").glob("*.md"))
    assert records
    for record in records:
        assert not list(validator.iter_errors(_front_matter(record))), record.name
    bad = _front_matter(records[0])
    bad["titel"] = bad.pop("title")
    assert {e.validator for e in validator.iter_errors(bad)} == {"required", "additionalProperties"}


def test_vscode_settings_point_at_existing_schemas() -> None:
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    for schema_path, globs in settings["yaml.schemas"].items():
        assert (ROOT / schema_path).is_file(), schema_path
        for pattern in globs:
            if pattern.startswith("content/"):
                assert list(ROOT.glob(pattern)), pattern


@pytest.mark.parametrize("name", ["site", "places", "units", "plan"])
def test_the_other_schemas_match_the_test_county(name: str) -> None:
    schema = json.loads((ROOT / "schema" / f"{name}.schema.json").read_text(encoding="utf-8"))
    files = sorted((FIXTURE_CONTENT / "plans").glob("*.yml")) if name == "plan" else [FIXTURE_CONTENT / f"{name}.yml"]
    validator = jsonschema.Draft7Validator(schema)
    for path in files:
        data = json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))
        assert not list(validator.iter_errors(data)), path.name
        broken = {**data, "unknown_field": 1}
        assert {e.validator for e in validator.iter_errors(broken)} == {"additionalProperties"}


EDIT = re.compile(r'<a href="([^"]+)">在 GitHub 上编辑此页</a>')


def test_edit_link_only_when_repo_url_is_set(built_site: Path, project: Path) -> None:
    page = (built_site / "projects" / "tea-processing" / "index.html").read_text(encoding="utf-8")
    assert "在 GitHub 上编辑此页" not in page  # the repository's site.yml leaves repo_url empty

    site_yml = project / "content" / "site.yml"
    text = site_yml.read_text(encoding="utf-8")
    assert "\nrepo_url:\n" in text and "\nrepo_branch: main\n" in text
    text = text.replace("\nrepo_url:\n", "\nrepo_url: https://github.com/example-county/gongshi-site\n")
    site_yml.write_text(text.replace("\nrepo_branch: main\n", "\nrepo_branch: publish\n"), encoding="utf-8")
    site = build_ok(project)
    for record in sorted((project / "content" / "projects").glob("*.md")):
        record_id = yaml.safe_load(record.read_text(encoding="utf-8").split("---\n")[1])["id"]
        html = (site / "projects" / record_id / "index.html").read_text(encoding="utf-8")
        links = EDIT.findall(html)
        assert links == ["https://github.com/example-county/gongshi-site/edit/publish/content/projects/" + record.name]
    # Material's repository widget (which would ask api.github.com for stars) stays off: no mkdocs repo_url.
    assert "md-source" not in (site / "index.html").read_text(encoding="utf-8")
    assert "api.github.com" not in "".join(p.read_text(encoding="utf-8") for p in site.rglob("*.html"))


@pytest.mark.parametrize("value", ["http://github.com/x/y", "github.com/x/y"])
def test_repo_url_must_be_https(project: Path, value: str) -> None:
    from gongshi.content.load import load_site
    from gongshi.errors import ContentErrors

    site_yml = project / "content" / "site.yml"
    site_yml.write_text(
        site_yml.read_text(encoding="utf-8").replace("\nrepo_url:\n", f"\nrepo_url: {value}\n"), encoding="utf-8"
    )
    with pytest.raises(ContentErrors) as caught:
        load_site(project / "content")
    assert any(e.field == "repo_url" and e.file == "content/site.yml" for e in caught.value.errors)
