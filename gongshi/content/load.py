"""Load content/ into one validated Site, or raise every error found at once."""

from __future__ import annotations

import dataclasses
import unicodedata
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from gongshi.content.audit import Counted, audit
from gongshi.content.county import check_county
from gongshi.content.explain import explain
from gongshi.content.figures import check_figures, content_date
from gongshi.content.files import file_error, linked_folders
from gongshi.content.model import Gazetteer, Plan, Project, SiteConfig, Units
from gongshi.content.outline import read_outline
from gongshi.content.photo_privacy import check_photo_privacy
from gongshi.content.photos import check_photos
from gongshi.content.places import PlaceIndex
from gongshi.content.portal import check_portal
from gongshi.content.read import Document, SourceError, read_record_file, read_yaml_file
from gongshi.content.resolve import References, link
from gongshi.content.site import Site
from gongshi.content.unstated import UNSTATED
from gongshi.errors import ContentError, ContentErrors, display_path
from gongshi.text import non_ascii_digit

M = TypeVar("M", bound=BaseModel)

SETUP_HINT = (
    "新的县请运行 gongshi init 生成全部设置文件，地名表用 gongshi places 生成；见填写指南“开始一个县” "
    "(guide/start/). / For a new county run `gongshi init`; see the guide page 开始一个县."
)


class _Loader:
    def __init__(self, content_dir: Path, root: Path):
        self.content_dir = content_dir
        self.root = root
        self.errors: list[ContentError] = []
        self.failed_records: list[Document] = []  # records read but not valid: still counted in the totals

    def shown(self, path: Path) -> str:
        return display_path(path, self.root)

    def read(self, path: Path, model: type[M], record: bool = False) -> tuple[M, Document] | None:
        """Read and validate one file; record its errors and return None if it has any."""
        shown = self.shown(path)
        refused = file_error(path, self.root)  # regular files inside the repository only, never a link
        if refused:
            if refused.message_zh == "文件不存在":
                refused = dataclasses.replace(refused, hint=SETUP_HINT)
            self.errors.append(refused)
            return None
        try:
            doc = read_record_file(path, shown) if record else read_yaml_file(path, shown)
        except SourceError as exc:
            self.errors.extend(exc.errors)
            return None
        if not isinstance(doc.data, dict):
            self.errors.append(
                ContentError(
                    shown,
                    1,
                    "(根)",
                    "文件内容应为“字段: 值”",
                    "expected key: value fields",
                    found=type(doc.data).__name__,
                )
            )
            return None
        data = dict(doc.data)
        if record:
            for reserved in ("body", "source"):
                if reserved in data:
                    self.errors.append(
                        ContentError(
                            shown,
                            doc.line_of((reserved,)),
                            reserved,
                            "未知字段",
                            "unknown field",
                            found=reserved,
                            hint="建设内容写在第二个 --- 之后的正文里。",
                        )
                    )
                    return None
            data["body"] = doc.body
            data["source"] = shown
        try:
            return model.model_validate(data), doc
        except ValidationError as exc:
            self.errors.extend(explain(exc, doc, model))
            if record:
                self.failed_records.append(doc)
            return None


def project_files(content_dir: Path) -> list[Path]:
    """Every project record, in a stable order."""
    return sorted((content_dir / "projects").rglob("*.md"))


def load_site(content_dir: Path, root: Path | None = None, *, audit_totals: bool = True) -> Site:
    """Read, validate, link and audit everything under content_dir.
    `audit_totals=False` skips the totals audit, for tools that change the records it sums (Excel import)."""
    content_dir = Path(content_dir)
    root = Path(root) if root else content_dir.parent
    loader = _Loader(content_dir, root)
    config = loader.read(content_dir / "site.yml", SiteConfig)
    gazetteer = loader.read(content_dir / "places.yml", Gazetteer)
    units = loader.read(content_dir / "units.yml", Units)
    plan_files = sorted((content_dir / "plans").glob("*.yml"))
    plans = [r for r in (loader.read(p, Plan) for p in plan_files) if r]
    record_files = project_files(content_dir)
    records = [r for r in (loader.read(p, Project, record=True) for p in record_files) if r]
    loader.errors.extend(filter(None, (file_error(p, root) for p in linked_folders(content_dir / "projects"))))
    loader.errors.extend(filter(None, (_ascii_number(p, d) for p, d in records)))
    if not plan_files:
        loader.errors.append(
            ContentError(
                loader.shown(content_dir / "plans"),
                None,
                "(文件)",
                "没有计划文件",
                "no plan file",
                expected="content/plans/2025.yml 这样的文件",
                hint=SETUP_HINT,
            )
        )
    plans_by_id = _unique_plans(loader, plans)
    place_index = PlaceIndex(
        gazetteer[0]
        if gazetteer
        else Gazetteer.model_construct(county="", county_code=UNSTATED, source="", townships=())
    )
    unresolvable = frozenset(
        ({"place", "village"} if gazetteer is None else set()) | ({"unit"} if units is None else set())
    )
    references = References(plans_by_id, units[0].units if units else (), place_index, unresolvable)
    linked = link(records, references, plans_complete=len(plans) == len(plan_files))
    loader.errors.extend(linked.errors)
    by_source = {p.source: p for p in linked.projects}
    resolved = [(by_source[p.source], d) for p, d in records if p.source in by_source]
    others = [Counted.of(p) for p, _ in records if p.source not in by_source]
    others += [Counted.leniently(doc) for doc in loader.failed_records]
    counted = {c.file for c in others} | set(by_source)
    others += [Counted(f, None, None, None, None) for f in map(loader.shown, record_files) if f not in counted]
    complete = audit_totals and len(plans) == len(plan_files) and len(plans_by_id) == len(plans)
    checked = audit(plans, resolved, complete=complete, others=others)
    today = content_date([p for p, _ in plans], [p for p, _ in records], root)
    loader.errors.extend(check_figures(records, today))
    loader.errors.extend(check_photos(records, root))
    loader.errors.extend(check_photo_privacy(records, root))
    outline = None
    skipped = list(checked.skipped)
    if config is not None:
        outline, outline_errors = read_outline(config[0].map, content_dir, root, config[1])
        loader.errors.extend(outline_errors)
        loader.errors.extend(check_portal(*config))
        county = check_county(config[0], config[1], *(gazetteer or (None, None)), outline)
        loader.errors.extend(county.errors)
        skipped.extend(county.skipped)
    if audit_totals:
        loader.errors.extend(checked.errors)
    if loader.errors or config is None or gazetteer is None or units is None:
        raise ContentErrors(loader.errors, tuple(checked.held) if audit_totals else ())
    return Site(
        content_dir=content_dir,
        config=config[0],
        gazetteer=gazetteer[0],
        units=units[0].units,
        plans=tuple(sorted((p for p, _ in plans), key=lambda p: (-p.year, p.id))),
        projects=tuple(sorted(linked.projects, key=_project_order)),
        notes=tuple(checked.notes),
        skipped=tuple(skipped),
        spelled=linked.spelled,
        root=root,
        outline=outline,
        place_index=place_index,
    )


def _unique_plans(loader: _Loader, plans: list[tuple[Plan, Document]]) -> dict[str, Plan]:
    out: dict[str, Plan] = {}
    for plan, doc in plans:
        if plan.id in out:
            loader.errors.append(
                ContentError(
                    doc.file,
                    doc.line_of(("id",)),
                    "id",
                    "计划编号重复",
                    "duplicate plan id",
                    found=plan.id,
                    expected="每个计划不同的编号",
                )
            )
        out[plan.id] = plan
    return out


def _project_order(project: Project) -> tuple:
    number = project.order if project.order is not None else _as_int(str(project.number))
    return (project.plan, number, project.id)


def _as_int(text: str) -> int:
    digits = "".join(ch for ch in text if "0" <= ch <= "9")  # str.isdigit() also says yes to ⁰ and ①
    return int(digits) if digits else 10**9


def _ascii_number(project: Project, doc: Document) -> ContentError | None:
    """`number` orders the projects: a digit other than 0–9 (full-width, superscript, circled) is an error."""
    bad = non_ascii_digit(project.number)
    if bad is None:
        return None
    suggestion = "".join(_ascii_digit(ch) for ch in project.number)
    return ContentError(
        doc.file,
        doc.line_of(("number",)),
        "number",
        f"使用了全角或其他非半角数字“{bad}”，请改为半角数字 0–9：{suggestion}",
        f"write ASCII digits 0-9: {suggestion}",
        found=project.number,
        expected=suggestion,
    )


def _ascii_digit(ch: str) -> str:
    if not ch.isdigit() or "0" <= ch <= "9":
        return ch
    value = unicodedata.digit(ch, None)
    return str(value) if value is not None else unicodedata.normalize("NFKC", ch)
