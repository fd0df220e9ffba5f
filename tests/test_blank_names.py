"""One rule for names: a value is stripped before it is measured, in every text field of every record.

`title: " "` or a location of U+3000 once passed `check` and was published as an empty name (issue 26): the
minimum length of `Name` was checked before the whitespace was stripped. This walks every field of every
content model (the registry's models) with whitespace-only values, as one value and as a list item."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest
from pydantic import BaseModel, TypeAdapter, ValidationError

from gongshi.content import model as content_model
from gongshi.content.fields import inner_model

BLANKS = (" ", "\u3000", "\t\n", "\u00a0 \u3000")
# Not names: the body (an empty body is a record without a description), a file path (refused when the file is
# not found) and the record's own file path (a working field the reader sets).
NOT_NAMES = {("Project", "body"), ("MapConfig", "outline"), ("Project", "source")}

MODELS = [
    value
    for value in vars(content_model).values()
    if inspect.isclass(value) and issubclass(value, BaseModel) and value.__module__ == content_model.__name__
]
FIELDS = [
    (model, name)
    for model in MODELS
    for name, info in model.model_fields.items()
    if (model.__name__, name) not in NOT_NAMES and inner_model(info.annotation)[0] is None
]


def test_the_walk_covers_the_name_fields():
    names = {f"{model.__name__}.{name}" for model, name in FIELDS}
    assert {"Project.title", "Project.location", "Village.name", "Unit.name", "SiteConfig.title"} <= names
    assert len(FIELDS) > 100


@pytest.mark.parametrize("model, name", FIELDS, ids=[f"{m.__name__}.{n}" for m, n in FIELDS])
def test_no_field_accepts_a_whitespace_only_value(model: type[BaseModel], name: str):
    info = model.model_fields[name]
    adapter = TypeAdapter(info.rebuild_annotation())
    listed = inner_model(info.annotation)[1] or "tuple[" in repr(info.annotation)
    for blank in BLANKS:
        value = [blank] if listed else blank
        try:
            kept = adapter.validate_python(value)
        except ValidationError:
            continue
        raise AssertionError(f"{model.__name__}.{name} accepts {value!r} as {kept!r}")


def test_a_blank_title_is_refused_by_check_on_its_line(tmp_path: Path):
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from tiny_county import data, make_project

    from gongshi.content.load import load_site
    from gongshi.errors import ContentErrors

    county = data()
    county["content/projects/01-park.md"]["title"] = " "
    county["content/projects/02-school.md"]["location"] = "\u3000"
    project = make_project(tmp_path / "county", county)
    with pytest.raises(ContentErrors) as caught:
        load_site(project / "content", project)
    report = caught.value.report()
    assert "01-park.md" in report and "title" in report, report
    assert "02-school.md" in report and "location" in report, report
