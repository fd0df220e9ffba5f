"""Load content/ into one validated Site, or raise every error found at once."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from gongshi.content.audit import audit
from gongshi.content.county import check_county
from gongshi.content.explain import explain
from gongshi.content.model import Gazetteer, Plan, Project, SiteConfig, Units
from gongshi.content.outline import read_outline
from gongshi.content.photos import check_photos
from gongshi.content.places import PlaceIndex
from gongshi.content.read import Document, SourceError, read_record_file, read_yaml_file
from gongshi.content.resolve import References, link
from gongshi.content.site import Site
from gongshi.content.unstated import UNSTATED
from gongshi.errors import ContentError, ContentErrors, display_path

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

    def shown(self, path: Path) -> str:
        return display_path(path, self.root)

    def read(self, path: Path, model: type[M], record: bool = False) -> tuple[M, Document] | None:
        """Read and validate one file; record its errors and return None if it has any."""
        shown = self.shown(path)
        if not path.is_file():
            self.errors.append(
                ContentError(shown, None, "(文件)", "文件不存在", "file is missing", expected=shown, hint=SETUP_HINT)
            )
            return None
        try:
            doc = read_record_file(path, shown) if record else read_yaml_file(path, shown)
        except SourceError as exc:
            self.errors.append(exc.error)
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
    records = [r for r in (loader.read(p, Project, record=True) for p in project_files(content_dir)) if r]
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
    by_id = {p.id: p for p in linked.projects}
    resolved = [(by_id[p.id], d) for p, d in records if p.id in by_id]
    checked = audit(plans, resolved, complete=not loader.errors and audit_totals)
    loader.errors.extend(check_photos(records, root))
    outline = None
    skipped = list(checked.skipped)
    if config is not None:
        outline, outline_errors = read_outline(config[0].map, content_dir, root, config[1])
        loader.errors.extend(outline_errors)
        county = check_county(config[0], config[1], *(gazetteer or (None, None)), outline)
        loader.errors.extend(county.errors)
        skipped.extend(county.skipped)
    if audit_totals:
        loader.errors.extend(checked.errors)
    if loader.errors or config is None or gazetteer is None or units is None:
        raise ContentErrors(loader.errors)
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
    digits = "".join(ch for ch in text if ch.isdigit())
    return int(digits) if digits else 10**9
