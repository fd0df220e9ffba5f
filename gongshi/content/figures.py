"""Checks that catch wrong figures a clerk can type: money paid beyond the investment, progress dates years
ahead of the content, a completion percentage that disagrees with the money paid, and a plan summary whose
counts ("实施6类11个项目") or amount ("规划资金3952.31万元") no longer match the records.

Dates are compared with the content's own date (its plans, deadlines and latest commit), never with the clock,
so that a build of the same commit gives the same answer on any day.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from decimal import Decimal
from pathlib import Path

from gongshi.content.model import Plan, Project
from gongshi.content.read import Document, dotted
from gongshi.content.unstated import stated
from gongshi.errors import ContentError
from gongshi.money import plain

AHEAD = dt.timedelta(days=366)
# Advance payments (预付款) in public works are at most 30 % of the contract; paid beyond the work done by
# more than that, one of the two figures is mistyped.
ADVANCE_POINTS = Decimal(30)


def _error(doc: Document, path: tuple, zh: str, en: str, found: str, expected: str, hint: str) -> ContentError:
    return ContentError(doc.file, doc.line_of(path), dotted(path), zh, en, found, expected, hint)


def content_date(plans: list[Plan], projects: list[Project], root: Path | None) -> dt.date:
    """The content's own date: its plans' dates (the end of the plan's year where the document does not state
    its date), its deadlines and its latest git commit (when there is git)."""
    # A plan whose date the document does not state is anchored at the end of its year.
    dates = [plan.date if stated(plan.date) else dt.date(plan.year, 12, 31) for plan in plans if stated(plan.year)]
    dates += [p.deadline for p in projects if stated(p.deadline)]
    committed = _last_commit(root) if root else None
    if committed:
        dates.append(committed)
    return max(dates, default=dt.date(2000, 1, 1))


def _last_commit(root: Path) -> dt.date | None:
    try:
        result = subprocess.run(
            ["git", "log", "-1", "--format=%cs"], cwd=root, capture_output=True, text=True, timeout=60
        )
    except (OSError, subprocess.SubprocessError):
        return None
    try:
        return dt.date.fromisoformat(result.stdout.strip()) if result.returncode == 0 else None
    except ValueError:
        return None


def check_figures(records: list[tuple[Project, Document]], today: dt.date) -> list[ContentError]:
    """Every wrong figure of every record: file, line, field, what was found and what is possible."""
    errors: list[ContentError] = []
    latest = today + AHEAD
    for project, doc in records:
        investment = project.investment if stated(project.investment) else None  # 原文件未列明: nothing to exceed
        for i, entry in enumerate(project.progress):
            if entry.date > latest:
                errors.append(
                    _error(
                        doc,
                        ("progress", i, "date"),
                        f"进展日期 {entry.date.isoformat()} 比内容的日期 {today.isoformat()} 晚一年以上",
                        "the progress date is more than a year after the content's own date",
                        entry.date.isoformat(),
                        f"不晚于 {latest.isoformat()} 的实际报告日期",
                        f"进展报告写已经发生的事；核对年份是否写错（{entry.date.year} 是否应为 {today.year}？）。",
                    )
                )
            if entry.disbursed is not None and investment is not None and entry.disbursed > investment:
                errors.append(
                    _error(
                        doc,
                        ("progress", i, "disbursed"),
                        f"累计拨付 {plain(entry.disbursed)} 万元超过了规划投资 {plain(project.investment)} 万元",
                        "disbursed exceeds the project's investment",
                        f"{plain(entry.disbursed)} 万元",
                        f"不超过 {plain(project.investment)} 万元",
                        "金额单位是万元：核对是否多写了 0、是否写成了元。投资确实增加时，先按调整文件改 investment。",
                    )
                )
            elif entry.disbursed is not None and entry.percent is not None and investment:
                share = entry.disbursed * 100 / project.investment
                if share - entry.percent > ADVANCE_POINTS:
                    errors.append(
                        _error(
                            doc,
                            ("progress", i, "percent"),
                            f"完成比例 {plain(entry.percent)}% 与拨付不符：已拨付投资的 {_pct(share)}%，"
                            f"比完成进度多 {_pct(share - entry.percent)} 个百分点（预付款一般不超过 30%）",
                            "the percentage done and the money disbursed disagree",
                            f"percent: {plain(entry.percent)}，disbursed: {plain(entry.disbursed)}",
                            f"percent 不低于 {_pct(share - ADVANCE_POINTS)}，或 disbursed 不超过 "
                            f"{plain(project.investment * (entry.percent + ADVANCE_POINTS) / 100)}",
                            "percent 写完成的百分数（如 40），disbursed 写截至该日累计拨付的万元数；核对哪一个写错了。",
                        )
                    )
        for i, payment in enumerate(project.dividends_paid):
            if payment.date is not None and payment.date > latest:
                errors.append(
                    _error(
                        doc,
                        ("dividends_paid", i, "date"),
                        f"分红支付日期 {payment.date.isoformat()} 比内容的日期 {today.isoformat()} 晚一年以上",
                        "the payment date is more than a year after the content's own date",
                        payment.date.isoformat(),
                        f"不晚于 {latest.isoformat()} 的实际支付日期",
                        "核对年份是否写错。",
                    )
                )
    return errors


def _pct(value: Decimal) -> str:
    return plain(value.quantize(Decimal("0.1")))


_NUMERALS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_COUNTS = re.compile(
    r"(?P<categories>[0-9零一二两三四五六七八九十]+)\s*类\s*(?P<projects>[0-9零一二两三四五六七八九十百]+)\s*个项目"
)


def chinese_number(text: str) -> int | None:
    """'11' or '十一' → 11 (up to 999); None for anything else."""
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for char in text:
        if char in _NUMERALS:
            current = _NUMERALS[char]
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        elif char == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


_AMOUNT = re.compile(r"(?<![0-9.])(?P<amount>[0-9]+(?:\.[0-9]+)?)\s*万元")


def summary_amount(summary: str) -> re.Match | None:
    """The amount the plan's summary gives for the whole plan: its first amount in 万元 when it is the only one,
    or when a breakdown follows it ("3952.31万元（其中……）"); None when the summary gives no such total (a
    summary that only lists sources, "中央资金800万元、省级资金400万元", states no total to check)."""
    amounts = list(_AMOUNT.finditer(summary))
    if not amounts:
        return None
    first = amounts[0]
    if len(amounts) == 1 or re.match(r"\s*[（(,，]?\s*其中", summary[first.end() :]):
        return first
    return None


def check_summary(plan: Plan, doc: Document, projects: int, amount: Decimal | None = None) -> list[ContentError]:
    """The plan's summary text against its categories and project records: where it states "N类M个项目", the
    counts; where it states the plan's total in 万元, that amount against `amount` (what the plan total must be:
    the records' sum, or the document's disclosed total; None when it cannot be known, and nothing is checked).
    Each problem's found/expected are the summary's words as written and as they should be."""
    if not plan.summary:
        return []
    problems = []
    match = _COUNTS.search(plan.summary)
    if match:
        problems += _check_counts(plan, doc, projects, match)
    written = summary_amount(plan.summary)
    if written is not None and amount is not None and Decimal(written["amount"]) != amount:
        found, fixed = written.group(0), f"{plain(amount)}万元"
        problems.append(
            _error(
                doc,
                ("summary",),
                f"计划概述中的“{found}”与各项目记录的规划投资合计 {plain(amount)} 万元（本站计算）不符",
                "the plan summary's amount no longer matches the total of the project records",
                found,
                fixed,
                f"如果是录入错了（新增、删除了项目记录或改了投资额）：原文件概述写的是“{fixed}”的，把 summary 中的"
                f"“{found}”改为“{fixed}”（概述中“其中”各项的金额也一并核对）；否则按原文件改正项目记录。",
            )
        )
    return problems


def _check_counts(plan: Plan, doc: Document, projects: int, match: re.Match) -> list[ContentError]:
    categories, written = chinese_number(match["categories"]), chinese_number(match["projects"])
    if categories == len(plan.categories) and written == projects:
        return []
    arabic = match["categories"].isdigit()
    fixed = (
        f"{len(plan.categories)}类{projects}个项目"
        if arabic
        else f"{_chinese(len(plan.categories))}类{_chinese(projects)}个项目"
    )
    return [
        _error(
            doc,
            ("summary",),
            f"计划概述中的“{match.group(0)}”与 {len(plan.categories)} 个类别、{projects} 个项目记录不符",
            "the plan summary's counts no longer match the categories and project records",
            match.group(0),
            fixed,
            f"如果是录入错了（新增或删除了项目记录）：原文件概述写的是“{fixed}”的，把 summary 中的“{match.group(0)}”"
            f"改为“{fixed}”（概述中的金额也一并核对）；否则按原文件补录或删除项目记录。",
        )
    ]


def _chinese(number: int) -> str:
    digits = "零一二三四五六七八九"
    if number < 10:
        return digits[number]
    if number < 100:
        tens, ones = divmod(number, 10)
        return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")
    return str(number)
