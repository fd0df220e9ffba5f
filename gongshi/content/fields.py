"""The field registry: what each record field means and where it appears, declared once, beside the model.

A model declares a field with `field(label, help, …)` instead of pydantic's `Field(…)`: the result is a
pydantic field whose description and examples come from the same words. Everything that shows or asks for a
field reads them from here: the guide's field table, the JSON Schemas, `gongshi new`, the Excel fund plan
table, the open-data downloads, the change history and the printed notice. A test walks the model and fails
when a public field is missing from any surface it has not declared it is left off, with the reason.
"""

from __future__ import annotations

import functools
import re
import types
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from enum import StrEnum
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, Field
from pydantic_core import PydanticUndefined

from gongshi.content.unstated import NOT_STATED


class Surface(StrEnum):
    """Where a record field is shown or asked for."""

    PAGE = "page"  # the project page
    NOTICE = "notice"  # the printed notice (公示单)
    DOWNLOAD = "download"  # the open data: CSV, XLSX, JSON
    EXCEL = "excel"  # the staff's fund plan table (资金计划表), out and back in
    HISTORY = "history"  # the change history and its feed


PUBLIC_SURFACES = (Surface.PAGE, Surface.DOWNLOAD, Surface.EXCEL, Surface.HISTORY)
"""Every public field appears on these unless it declares, with a reason, that it does not."""

Ref = Literal["plan", "category", "source", "unit", "place", "village"]
Provenance = Literal["document", "county", "site"]
"""Where a figure comes from: stated in the published document, reported by the county (progress, dividends
paid, completion accounts, the self-review), or computed by the site (sums, rates, what is left)."""
PROVENANCE_LABELS: dict[Provenance, str] = {"document": "原文件", "county": "县里报告", "site": "本站计算"}
"""How a page names each provenance: a computed figure is labelled “（本站计算）”."""
NoticeRule = Literal["always", "stated"]
"""always: a notice row even when the record does not state it (then 原文件未列明); stated: only when stated."""
NoticeStage = Literal["library", "plan", "change", "completion", "review"]
"""The stages a project is published at (入库, 计划, 调整, 完工验收, 绩效自评): each has its own printed notice."""
STAGES: tuple[NoticeStage, ...] = get_args(NoticeStage)


@dataclass(frozen=True)
class Spec:
    """One field's words and places: its Chinese label, what to write, an example as written in a record."""

    label: str
    help: str = ""
    example: str = ""
    public: bool = True  # False: a working field for staff (sorting, file paths), never published
    notice: NoticeRule | None = None  # on the printed notice (opt-in: it holds what the 公示 rules require)
    skip: Mapping[Surface, str] = dataclass_field(default_factory=dict)  # surface → why the field is not there
    aliases: tuple[str, ...] = ()  # other Excel column headers that mean this field
    ref: Ref | None = None  # the field names something declared elsewhere (a unit, a village…)
    provenance: Provenance | None = None  # where the value comes from; None: a working field of the record
    stages: frozenset[NoticeStage] = frozenset(STAGES)  # the stages whose notice shows the field
    yi_of: str = ""  # a Yi version (title_ii) of the field named here, or "*" for who translated; see YI_SUFFIX

    @property
    def document(self) -> bool:
        """Taken from the published document: 原文件未列明 is accepted (gongshi.content.unstated)."""
        return self.provenance == "document"

    def on(self, surface: Surface) -> bool:
        """Whether the field appears on a surface."""
        if surface is Surface.NOTICE:
            return self.public and self.notice is not None
        if surface in self.skip:
            return False
        return self.public or surface is Surface.EXCEL

    @property
    def description(self) -> str:
        """The text editors show (JSON Schema `description`)."""
        text = f"{self.label}：{self.help}" if self.help else self.label
        if self.document:
            text += f"；原文件没有写的，写“{NOT_STATED}”"
        return f"{text}。例：{self.example}" if self.example else text

    def __call__(self, schema: dict[str, Any]) -> None:
        """pydantic's json_schema_extra hook: add the example, and 原文件未列明 where the document may not state it."""
        if self.document:
            kept = {k: schema.pop(k) for k in ("title", "description", "default") if k in schema}
            value = dict(schema)
            schema.clear()
            schema.update(kept)
            schema["anyOf"] = [*value.get("anyOf", [value]), {"const": NOT_STATED}]
        if self.example:
            schema["examples"] = [self.example]


def field(
    label: str,
    help: str = "",
    *,
    example: str = "",
    default: Any = PydanticUndefined,
    public: bool = True,
    notice: NoticeRule | None = None,
    skip: Mapping[Surface, str] | None = None,
    aliases: tuple[str, ...] = (),
    ref: Ref | None = None,
    document: bool = False,
    provenance: Provenance | None = None,
    stages: tuple[NoticeStage, ...] = STAGES,
    yi_of: str = "",
    **constraints: Any,
) -> Any:
    """A pydantic field carrying its Spec; `constraints` are pydantic's (ge, min_length, exclude…).
    `document=True`: the value is taken from the published document, which may not state it; staff may then
    write 原文件未列明 (the model holds UNSTATED, see gongshi.content.unstated); it is the provenance "document".
    `provenance`: where else the value comes from ("county": reported by the county after the document, such as
    progress reports); a field inside a group or list without one takes its parent's (see `provenance`).
    `stages`: the notices (by stage) a field with `notice=` appears on; every stage unless narrowed."""
    if document and provenance not in (None, "document"):
        raise ValueError(f"{label}: document=True is the provenance 'document', not {provenance!r}")
    source = "document" if document else provenance
    spec = Spec(label, help, example, public, notice, dict(skip or {}), aliases, ref, source, frozenset(stages), yi_of)
    return Field(default, description=spec.description, json_schema_extra=spec, **constraints)


# --- Yi beside Chinese ------------------------------------------------------------------------------------

YI_SUFFIX = "_ii"
"""A field's Yi version is the field's name with this suffix (`title_ii`): ii is the language tag of Yi."""
TEXT_ANNOTATIONS = frozenset({"Name", "Text", "Name | None", "Text | None"})
"""The annotations of free text in the models: every field declared with one of them may carry a Yi version."""
BODY = "body"


def yi_companions(namespace: dict[str, Any]) -> dict[str, tuple[str, Any]]:
    """For a model class being defined: the Yi version of each public text field it declares (and of the body),
    as {name_ii: (annotation, field)}. Called by the models' metaclass, so that a text field is declared once
    and its Yi version follows from it; the rule is here, in one place."""
    out: dict[str, tuple[str, Any]] = {}
    annotations = namespace.get("__annotations__", {})
    for name, annotation in annotations.items():
        info = namespace.get(name)
        spec = info.json_schema_extra if hasattr(info, "json_schema_extra") else None
        if not isinstance(spec, Spec) or not spec.public or spec.ref or spec.yi_of:
            continue
        if str(annotation) not in TEXT_ANNOTATIONS and name != BODY:
            continue
        label = spec.label
        out[name + YI_SUFFIX] = (
            "YiText | None",
            field(
                f"{label}（彝文）",
                f"{label}的彝文译文，按审校后的译文照抄，与中文并列显示；写了彝文就要写 translation（译者、审校）",
                default=None,
                yi_of=name,
            ),
        )
    return out


def is_yi_field(model: type[BaseModel], name: str) -> bool:
    """A Yi version of a field, or the record of who translated (listed with the field it belongs to)."""
    return bool(spec_of(model, name).yi_of)


@functools.cache
def document_fields(model: type[BaseModel]) -> frozenset[str]:
    """The fields of a model that may be 原文件未列明."""
    return frozenset(name for name in model.model_fields if spec_of(model, name).document)


def spec_of(model: type[BaseModel], name: str) -> Spec:
    """The Spec of a model's field; a field declared without one gets a bare label (a test forbids that)."""
    extra = model.model_fields[name].json_schema_extra
    return extra if isinstance(extra, Spec) else Spec(name, public=False)


@dataclass(frozen=True)
class FieldRow:
    """One field of a record, nested fields after their parent: `funding[].amount` is each item's amount."""

    path: str
    name: str
    required: bool
    kind: str
    spec: Spec
    annotation: Any
    inner: type[BaseModel] | None  # the model of a group of fields, or of each item of a list
    is_list: bool
    surfaces: frozenset[Surface]  # where it appears: a sub-field appears where its parent does
    notice: NoticeRule | None = None  # the notice rule, a sub-field's from its parent
    default: Any = None
    stages: frozenset[NoticeStage] = frozenset(STAGES)  # the notices it is on, a sub-field's from its parent

    def on(self, surface: Surface) -> bool:
        return surface in self.surfaces

    def on_notice(self, stage: NoticeStage) -> bool:
        """Whether the field is a row of the notice of a stage."""
        return Surface.NOTICE in self.surfaces and stage in self.stages

    @property
    def is_money(self) -> bool:
        return self.kind.startswith("金额")

    @property
    def heading(self) -> str:
        """The label with its unit, for a column heading: 规划投资（万元）."""
        return f"{self.spec.label}（万元）" if self.is_money else self.spec.label

    @property
    def parent(self) -> str:
        return self.path.rpartition(".")[0].removesuffix("[]")

    @property
    def is_entries(self) -> bool:
        """A list whose items are groups of fields (funding, targets, progress…)."""
        return self.inner is not None and self.is_list


def inner_model(annotation: Any) -> tuple[type[BaseModel] | None, bool]:
    """The model inside `X | None` or `tuple[X, ...]`, and whether it is a list of them."""
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        for arg in get_args(annotation):
            if arg is not type(None):
                return inner_model(arg)
    if origin is tuple:
        model, _ = inner_model(get_args(annotation)[0])
        return model, True
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, False
    return None, False


def _is_list(annotation: Any) -> bool:
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        return any(_is_list(a) for a in get_args(annotation) if a is not type(None))
    return origin is tuple


def literal_values(annotation: Any) -> tuple[Any, ...]:
    """The allowed values of a Literal field (inside `| None` or Annotated)."""
    if get_origin(annotation) is Literal:
        return get_args(annotation)
    for arg in get_args(annotation):
        if arg is not type(None) and (values := literal_values(arg)):
            return values
    return ()


def _kind(annotation: Any, metadata: list[Any]) -> str:
    """A short Chinese name for the kind of value a field takes."""
    text = repr(annotation) + repr(metadata)
    is_list = _is_list(annotation)
    model, _ = inner_model(annotation)
    if model is not None:
        return "列表，每项一组字段" if is_list else "一组字段"
    if "Literal[" in text:
        return "取值之一：" + "、".join(str(v) for v in literal_values(annotation))
    if "_non_negative" in text:
        base = "金额（万元，数字）"
    elif "parse_decimal" in text:
        base = "数字"
    elif "datetime.date" in text:
        base = "日期 YYYY-MM-DD"
    elif "^[a-z0-9][a-z0-9-]" in text:
        base = "编号（小写字母、数字、连字符）"
    elif annotation is int or int in get_args(annotation):
        base = "整数"
    else:
        base = "文字"
    return f"列表，每项为{base}" if is_list else base


def kind_text(row: FieldRow) -> str:
    """The kind of value a field takes, as the guide says it."""
    return f"{row.kind}；或“{NOT_STATED}”" if row.spec.document else row.kind


@functools.cache
def field_rows(
    model: type[BaseModel],
    prefix: str = "",
    *,
    front_matter: bool = True,
    within: frozenset[Surface] | None = None,
    notice: NoticeRule | None = None,
    stages: frozenset[NoticeStage] | None = None,
) -> tuple[FieldRow, ...]:
    """Every field of a record model in the model's order, nested fields after their parent.
    `front_matter=False` also lists the public fields that come from the file (a project's body).
    Computed once per model and arguments (the result is shared: do not change it)."""
    rows: list[FieldRow] = []
    for name, info in model.model_fields.items():
        if is_yi_field(model, name):
            continue  # a Yi version is shown with its field (gongshi.web.present.yi), not as a field of its own
        if info.exclude and (front_matter or not spec_of(model, name).public):
            continue  # the body comes from the file, not from front matter; source is never shown
        path = f"{prefix}{name}"
        spec = spec_of(model, name)
        own = frozenset(s for s in Surface if spec.on(s))
        rule, on_stages = spec.notice, spec.stages
        if within is not None:  # a sub-field: where its parent is, unless it says otherwise
            own = within - {s for s in Surface if s in spec.skip or not spec.public}
            rule = notice if Surface.NOTICE in own else None
            on_stages = stages if stages is not None else on_stages
        default = None if info.is_required() else info.get_default(call_default_factory=True)
        inner, is_list = inner_model(info.annotation)
        rows.append(
            FieldRow(
                path,
                name,
                info.is_required(),
                _kind(info.annotation, info.metadata),
                spec,
                info.annotation,
                inner,
                is_list or _is_list(info.annotation),
                own,
                rule,
                default,
                on_stages,
            )
        )
        if inner is not None:
            prefix_ = f"{path}[]." if is_list else f"{path}."
            rows.extend(
                field_rows(inner, prefix_, front_matter=front_matter, within=own, notice=rule, stages=on_stages)
            )
    return tuple(rows)


@functools.cache
def rows_by_path(model: type[BaseModel]) -> dict[str, FieldRow]:
    """The rows of field_rows (body included) by path."""
    return {row.path: row for row in field_rows(model, front_matter=False)}


def top_rows(model: type[BaseModel], surface: Surface) -> Iterator[FieldRow]:
    """The record's own fields (not their sub-fields) that appear on a surface, in the model's order."""
    for row in field_rows(model, front_matter=False):
        if "." not in row.path and row.on(surface):
            yield row


def label(model: type[BaseModel], path: str) -> str:
    """The Chinese label of a field path such as `beneficiaries.households` or `funding[].amount`."""
    row = rows_by_path(model).get(path)
    return row.spec.label if row else path


@functools.cache
def children(model: type[BaseModel], prefix: str = "") -> tuple[FieldRow, ...]:
    """The fields directly under a path prefix ('' for the record's own fields, 'funding[].' for an entry's)."""
    return tuple(
        row
        for row in field_rows(model, front_matter=False)
        if row.path.startswith(prefix) and "." not in row.path.removeprefix(prefix)
    )


def path_label(model: type[BaseModel], path: str) -> str:
    """A field path written in a record (funding[1].amount) as readers know it: 资金来源及规模第2项·来源金额;
    a path the model does not have stays as written."""
    rows = rows_by_path(model)
    words, key = [], ""
    for part in path.split("."):
        name, _, index = part.partition("[")
        key = f"{key}.{name}" if key else name
        if key not in rows:
            return path
        word = rows[key].spec.label
        if index:
            word += f"第{int(index.rstrip(']')) + 1}项"
            key += "[]"
        words.append(word)
    return "·".join(words)


def path_row(model: type[BaseModel], path: str) -> FieldRow | None:
    """The registry row a field path written in a record names (funding[1].amount → funding[].amount)."""
    return rows_by_path(model).get(re.sub(r"\[\d+\]", "[]", path))


def provenance(model: type[BaseModel], path: str) -> Provenance | None:
    """Where the value of a field path comes from (`progress[].disbursed` → "county"): the field's own
    declaration, else the nearest enclosing field's; None for a working field that declares none."""
    rows = rows_by_path(model)
    key = re.sub(r"\[\d+\]", "[]", path)
    while key:
        row = rows.get(key)
        if row is not None and row.spec.provenance is not None:
            return row.spec.provenance
        key = key.rpartition(".")[0].removesuffix("[]")
    return None
