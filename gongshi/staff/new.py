"""`gongshi new`: write a blank project record with every field present and explained in Chinese."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from pydantic_core import PydanticCustomError

from gongshi.content.fields import FieldRow, field_rows
from gongshi.content.model import Project
from gongshi.content.read import read_yaml_file
from gongshi.money import parse_decimal, plain


@dataclass
class Essentials:
    """The few answers a new record starts from; None means not given (the field is left blank)."""

    plan: str | None = None
    category: str | None = None
    title: str | None = None
    investment: Decimal | None = None
    id: str | None = None


@dataclass(frozen=True)
class PlanFacts:
    """What a new record needs to know about its plan: categories, fund sources, how many projects it has."""

    id: str
    categories: list[tuple[str, str]]
    sources: list[tuple[str, str]]
    projects: int


def read_plans(content: Path) -> dict[str, PlanFacts]:
    """The plans in content/plans, read leniently: a new record must be possible even while content has errors."""
    plans: dict[str, PlanFacts] = {}
    for path in sorted((content / "plans").glob("*.yml")):
        try:
            data = read_yaml_file(path, path.name).data or {}
        except Exception:  # a broken plan file is reported by `gongshi check`, not here
            continue
        if not isinstance(data, dict) or "id" not in data:
            continue
        plan_id = str(data["id"])
        cats = [(str(c.get("id")), str(c.get("name", ""))) for c in data.get("categories") or [] if isinstance(c, dict)]
        sources = [(str(s.get("id")), str(s.get("name", ""))) for s in data.get("funding") or [] if isinstance(s, dict)]
        count = sum(1 for p in (content / "projects").rglob("*.md") if _plan_of(p) == plan_id)
        plans[plan_id] = PlanFacts(plan_id, cats, sources, count)
    return plans


def _plan_of(path: Path) -> str | None:
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines()[:40]:
        if line.startswith("plan:"):
            return line.split(":", 1)[1].strip().strip("\"'")
    return None


def parse_amount(text: str) -> Decimal:
    """An amount typed by staff, with the loader's own explanation when it is not a plain number."""
    try:
        return parse_decimal(text)
    except PydanticCustomError as exc:
        raise ValueError(exc.message()) from None


_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


def plan_id(text: str, plans: dict[str, PlanFacts]) -> str:
    """A plan named by its id; ValueError naming the plans there are."""
    if text in plans:
        return text
    raise ValueError(
        f"没有计划“{text}”；可选：{'、'.join(plans) or '（content/plans 中还没有计划文件）'} | no plan {text!r}"
    )


def category_id(text: str, plan: PlanFacts | None) -> str:
    """A category named by its id or its name → its id; ValueError naming the plan's categories."""
    if plan is None:
        return text  # no plan to look in: `gongshi check` reports the category with the plan
    for cid, name in plan.categories:
        if text in (cid, name):
            return cid
    choices = "、".join(f"{cid}（{name}）" for cid, name in plan.categories)
    raise ValueError(
        f"计划 {plan.id} 没有类别“{text}”；写类别的 id 或名称，可选：{choices or '（计划中还没有类别）'} | "
        f"plan {plan.id} has no category {text!r}"
    )


def project_id(text: str) -> str:
    """A new project's id: lowercase letters, digits and hyphens (it is the page's address); ValueError else."""
    if _SLUG.match(text) and not text.endswith("-"):
        return text
    raise ValueError(
        f"项目编号“{text}”不能用：只用小写英文字母、数字和连字符，如 mouxiang-road（网址的一部分，发布后不再修改）；"
        f"中文名称写在项目名称 title 中 | the id {text!r} must be lowercase letters, digits and hyphens"
    )


def check_given(answers: Essentials, plans: dict[str, PlanFacts]) -> Essentials:
    """The essentials given as options, checked before anything is written; ValueError names the first wrong one."""
    if answers.plan is not None:
        answers.plan = plan_id(answers.plan, plans)
    if answers.category is not None:
        answers.category = category_id(answers.category, plans.get(answers.plan or ""))
    if answers.id is not None:
        answers.id = project_id(answers.id)
    return answers


def _ask_until(ask: Callable[[str], str], prompt: str, read: Callable[[str], Any]) -> Any:
    """Ask until the reply reads (an empty reply leaves the field blank); each refusal says why."""
    while True:
        reply = ask(prompt).strip()
        if not reply:
            return None
        try:
            return read(reply)
        except ValueError as exc:
            print(exc)


def ask_missing(answers: Essentials, plans: dict[str, PlanFacts], ask: Callable[[str], str]) -> Essentials:
    """Ask for each essential not given as an option; an empty answer leaves it blank, a wrong one is asked again."""
    if answers.plan is None:
        default = next(iter(plans)) if len(plans) == 1 else ""
        prompt = f"所属计划 plan（{'、'.join(plans) or '无'}）[{default}]: "
        answers.plan = _ask_until(ask, prompt, lambda text: plan_id(text, plans)) or default or None
    plan = plans.get(answers.plan or "")
    if answers.category is None:
        choices = "、".join(f"{cid}={name}" for cid, name in plan.categories) if plan else ""
        answers.category = _ask_until(ask, f"类别 category（{choices}）: ", lambda text: category_id(text, plan))
    if answers.title is None:
        answers.title = ask("项目名称 title: ").strip() or None
    if answers.investment is None:
        answers.investment = _ask_until(ask, "规划投资（万元）investment: ", parse_amount)
    if answers.id is None:
        answers.id = _ask_until(ask, "项目编号 id（小写英文、数字、连字符，如 mouxiang-road）: ", project_id)
    return answers


def _q(value: str | None) -> str:
    """A YAML scalar for text: double-quoted (a JSON string is valid YAML), or empty for blank."""
    return "" if value is None else json.dumps(value, ensure_ascii=False)


def _comment(row: FieldRow, indent: str = "") -> str:
    need = "必填" if row.required else "选填"
    example = f" 例：{row.spec.example}" if row.spec.example else ""
    return f"{indent}# {row.spec.label}（{need}）：{row.spec.help}。{example}".rstrip()


def render_record(answers: Essentials, plan: PlanFacts | None) -> str:
    """The text of the new record: front matter with a comment above every field, then the body."""
    rows = {r.path: r for r in field_rows(Project)}
    amount = plain(answers.investment) if answers.investment is not None else ""
    number = str(plan.projects + 1) if plan else None
    source = plan.sources[0][0] if plan and plan.sources else None
    values: dict[str, str] = {
        "id": answers.id or "",
        "plan": _q(answers.plan),
        "number": _q(number),
        "category": answers.category or "",
        "title": _q(answers.title),
        "investment": amount,
        "location": "",
        "places": "[]",
        "responsible_units": "[]",
        "owner_unit": "",
        "benefit_mechanism": "",
        "operation": "",
        "period": "",
        "deadline": "",
        "status": "计划",
        "targets": "[]",
        "line_items": "[]",
        "notices": "[]",
        "changes": "[]",
        "progress": "[]",
        "dividends_paid": "[]",
        "discrepancies": "[]",
    }
    lines = [
        "---",
        "# 新项目记录：按正式文件逐项填写。以 # 开头的是说明，可以保留。选填字段不知道就留空，不要编造。",
        "# 字段说明见网站“填写指南 → 字段说明”；填好后运行 make check 检查。",
    ]
    for path, row in rows.items():
        if "." in path:
            continue  # sub-fields are shown inside their parent's block below
        lines.append(_comment(row))
        if path == "funding":
            if plan and len(plan.sources) > 1:
                names = "、".join(f"{sid}={name}" for sid, name in plan.sources)
                lines.append(f"# 本计划的资金来源：{names}")
            lines += ["funding:", f"  - source: {source or ''}", f"    amount: {amount}"]
        elif path == "beneficiaries":
            lines += [
                "beneficiaries:",
                _comment(rows["beneficiaries.asset_villages"], "  "),
                "  asset_villages: []",
                _comment(rows["beneficiaries.villages"], "  "),
                "  villages: []",
                _comment(rows["beneficiaries.households"], "  "),
                "  households:",
                _comment(rows["beneficiaries.people"], "  "),
                "  people:",
                _comment(rows["beneficiaries.description"], "  "),
                "  description:",
            ]
        elif path == "dividend":
            lines += ["dividend:", "# 有保底分红时，去掉下面三行开头的 # 并填写："]
            for key in ("rate_percent", "annual", "condition"):
                row = rows[f"dividend.{key}"]
                lines.append(f"#  {key}: {row.spec.example}    {_comment(row)}")
        elif path == "targets":
            lines += [
                "targets: []",
                "# targets:   # 有绩效目标时删去上一行，按下面的格式每项写一组：",
                "#   - indicator: 培训农村劳动力",
                "#     value: 200",
                "#     unit: 人",
                "#     comparator: 以上",
            ]
        elif path == "progress":
            lines += [
                "progress: []",
                "# progress:   # 有进展时删去上一行，按下面的格式每次写一组：",
                "#   - date: 2025-06-30",
                "#     stage: 开工",
                "#     disbursed: 300",
                "#     percent: 40",
            ]
        elif path == "discrepancies":
            lines += ["discrepancies: []"]
        elif path == "order":
            lines.append("order:")
        else:
            lines.append(f"{path}: {values.get(path, '')}".rstrip())
    lines += ["---", "<!-- 建设内容：按正式文件照抄，写在这一行的下面（这一行不会显示在网站上）。 -->", ""]
    text = "\n".join(lines)
    yaml.safe_load(text.split("---\n", 2)[1])  # the template itself must always be valid YAML
    return text


def default_path(content: Path, answers: Essentials, plan: PlanFacts | None) -> Path:
    """content/projects/NN-id.md, numbered after the plan's existing projects."""
    number = f"{plan.projects + 1:02d}-" if plan else ""
    return content / "projects" / f"{number}{answers.id or 'new-project'}.md"


def write_new(path: Path, text: str) -> None:
    """Create the file; never overwrite an existing record."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
