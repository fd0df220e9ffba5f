"""What each field of a project record means, in Chinese, beside what the model says about it.

The model decides which fields exist and which are required; this module only adds the words staff read
(in `gongshi new`, in the JSON Schema and in the guide's field table). `field_rows()` walks the model, so a
field added to the model without help here is caught by the tests, never silently left out.
"""

from __future__ import annotations

import types
from dataclasses import dataclass
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel

from gongshi.content.model import Project


@dataclass(frozen=True)
class Help:
    """What to write in a field, and an example as it would appear in a record."""

    label: str
    what: str
    example: str = ""


# Keyed by the field's path in the record; list items are written `field[]`.
HELP: dict[str, Help] = {
    "id": Help(
        "项目编号", "稳定的英文编号，用于网址；只用小写字母、数字和连字符，发布后不要修改", "maoping-bamboo-park"
    ),
    "plan": Help("所属计划", '计划文件 content/plans/ 中的 id，如 2025 年的计划写 "2025"', '"2025"'),
    "number": Help("原文序号", "项目在正式文件中的序号，按原文照抄", '"1"'),
    "order": Help("实际顺序", "只有原文序号重复或缺失时才填写，表示列表中的排列顺序", "11"),
    "category": Help("项目类别", "计划文件 categories 中的类别 id", "industrial-cluster"),
    "title": Help("项目名称", "按原文填写完整的项目名称", "毛坪林竹产业加工园区建设项目"),
    "investment": Help("规划投资（万元）", "只写数字，单位是万元，按原文照抄小数位，不写“万元”", "1150"),
    "funding": Help("资金来源", "一项或多项来源，合计必须等于规划投资", ""),
    "funding[].source": Help("来源编号", "计划文件 funding 中的来源 id", "east-west-2025"),
    "funding[].amount": Help("来源金额（万元）", "这一来源的金额，只写数字", "1150"),
    "location": Help("实施地点", "按原文填写的实施地点", "毛坪镇新华村"),
    "places": Help("实施地点涉及的乡镇或村", "places.yml 中的乡镇或村，村写作“乡镇名+村名”", "[毛坪镇新华村]"),
    "responsible_units": Help("责任单位", "一个或多个单位，须在 units.yml 中", "[县林业局]"),
    "owner_unit": Help("业主单位", "原文写了才填写，须在 units.yml 中", "毛坪镇人民政府"),
    "beneficiaries": Help("受益对象", "受益村、受益户数和人数", ""),
    "beneficiaries.asset_villages": Help(
        "资产确权村", "投资形成的固定资产确权到的村，按原文顺序", "[毛坪镇长梯村, 杨河乡仲子村]"
    ),
    "beneficiaries.villages": Help("其他受益村", "不确权但受益的村", "[五渡镇先锋村]"),
    "beneficiaries.households": Help("受益户数", "value 数字、unit 单位、comparator 比较词", "{value: 120, unit: 户}"),
    "beneficiaries.households.value": Help("数值", "只写数字", "120"),
    "beneficiaries.households.unit": Help("单位", "如 户", "户"),
    "beneficiaries.households.comparator": Help("比较词", "以上、以下、约 或 余；没有就省略", "以上"),
    "beneficiaries.people": Help("受益人数", "value 数字、unit 单位、comparator 比较词", "{value: 500, unit: 人}"),
    "beneficiaries.people.value": Help("数值", "只写数字", "500"),
    "beneficiaries.people.unit": Help("单位", "如 人、人次", "人"),
    "beneficiaries.people.comparator": Help("比较词", "以上、以下、约 或 余；没有就省略", "以上"),
    "beneficiaries.description": Help("受益说明", "原文对受益对象的其他说明", "脱贫户和监测户优先"),
    "benefit_mechanism": Help(
        "联农带农机制", "分红、就业、培训等带动农户增收的方式，按原文", "运营后每年按照投资3%保底分红"
    ),
    "operation": Help("运营方式", "项目建成后由谁、怎样运营", "委托国有企业运营"),
    "dividend": Help("保底分红", "有保底分红时填写；网站会核对 比例 × 投资 = 每年金额", ""),
    "dividend.rate_percent": Help("分红比例（%）", "只写数字，不写 %", "3"),
    "dividend.annual": Help("每年分红（万元）", "只写数字", "34.5"),
    "dividend.kind": Help("分红方式", "默认“保底分红”", "保底分红"),
    "dividend.condition": Help("分红条件", "何时开始分红", "运营后每年"),
    "targets": Help("绩效目标", "一项或多项指标；定性目标只写 indicator", ""),
    "targets[].indicator": Help("指标", "按原文填写指标内容", "培训农村劳动力"),
    "targets[].value": Help("目标值", "只写数字；定性目标省略", "200"),
    "targets[].unit": Help("单位", "如 人、个、㎡、场次", "人"),
    "targets[].comparator": Help("比较词", "以上=不少于；以下=不超过；约=大约；余=多于", "以上"),
    "targets[].note": Help("说明", "对指标的补充说明", "其中电商、文旅培训"),
    "targets[].actual": Help("实际完成值", "有完成情况报告时填写，只写数字", "215"),
    "period": Help("实施期限", "按原文填写", "2025年完成建设任务"),
    "deadline": Help("完成日期", "写作 YYYY-MM-DD", "2025-12-31"),
    "status": Help("项目状态", "计划、实施中、已完工、已验收、运营中 或 已终止", "计划"),
    "progress": Help("进展", "每次进展报告一项，按日期先后", ""),
    "progress[].date": Help("日期", "写作 YYYY-MM-DD", "2025-06-30"),
    "progress[].stage": Help("阶段", "立项、招标、开工、完工、验收 或 运营", "开工"),
    "progress[].disbursed": Help("累计拨付（万元）", "截至该日累计拨付的资金，只写数字", "300"),
    "progress[].percent": Help("完成比例（%）", "0 到 100 的数字", "40"),
    "progress[].note": Help("进展说明", "简要说明", "主体工程已开工"),
    "progress[].photos": Help(
        "照片", "照片文件放在记录 .md 文件旁边，这里写文件名列表；网站会自动缩小", "[2025-06-30-site.jpg]"
    ),
    "dividends_paid": Help("已支付分红", "每年实际支付分红后加一项；网站会与承诺的每年金额对照", ""),
    "dividends_paid[].year": Help("分红年度", "四位数年份", "2026"),
    "dividends_paid[].amount": Help("实际分红（万元）", "该年度实际支付的合计，只写数字", "34.5"),
    "dividends_paid[].date": Help("支付日期", "写作 YYYY-MM-DD，可省略", "2026-12-20"),
    "dividends_paid[].note": Help("说明", "可省略", "由运营公司支付给12个村集体"),
    "discrepancies": Help("差异说明", "原文数字核对不一致时，公开说明原因（网站会显示）", ""),
    "discrepancies[].check": Help("核对项", "funding、dividend、number 等核对项的名称", "funding"),
    "discrepancies[].note": Help("原因", "向公众说明的原因", "原文资金来源合计与投资不一致，按原文公示"),
}


@dataclass(frozen=True)
class FieldRow:
    """One field of the record as the model defines it."""

    path: str
    required: bool
    kind: str
    help: Help
    default: Any = None


def _inner_model(annotation: Any) -> tuple[type[BaseModel] | None, bool]:
    """The model inside `X | None` or `tuple[X, ...]`, and whether it is a list of them."""
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        for arg in get_args(annotation):
            if arg is not type(None):
                return _inner_model(arg)
    if origin is tuple:
        model, _ = _inner_model(get_args(annotation)[0])
        return model, True
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, False
    return None, False


def _kind(annotation: Any, metadata: list[Any]) -> str:
    """A short Chinese name for the kind of value a field takes."""
    text = repr(annotation) + repr(metadata)
    origin = get_origin(annotation)
    is_list = origin is tuple or "tuple[" in text
    model, _ = _inner_model(annotation)
    if model is not None:
        return "列表，每项一组字段" if is_list else "一组字段"
    if "Literal[" in text:
        values = [a for a in get_args(annotation) if a is not type(None)]
        inner = get_args(values[0]) if values and get_origin(values[0]) is not None else values
        return "取值之一：" + "、".join(str(v) for v in inner)
    if "_non_negative" in text:
        base = "金额（万元，数字）"
    elif "parse_decimal" in text:
        base = "数字"
    elif "datetime.date" in text:
        base = "日期 YYYY-MM-DD"
    elif "a-z0-9" in text:
        base = "编号（小写字母、数字、连字符）"
    elif annotation is int or int in get_args(annotation):
        base = "整数"
    else:
        base = "文字"
    return f"列表，每项为{base}" if is_list else base


def field_rows(model: type[BaseModel] = Project, prefix: str = "") -> list[FieldRow]:
    """Every field of the record, nested fields after their parent, in the model's order."""
    rows: list[FieldRow] = []
    for name, info in model.model_fields.items():
        if info.exclude:
            continue  # body and source come from the file, not from front matter
        path = f"{prefix}{name}"
        help_ = HELP.get(path, Help(name, ""))
        default = None if info.is_required() else info.get_default(call_default_factory=True)
        rows.append(FieldRow(path, info.is_required(), _kind(info.annotation, info.metadata), help_, default))
        inner, is_list = _inner_model(info.annotation)
        if inner is not None:
            rows.extend(field_rows(inner, f"{path}[]." if is_list else f"{path}."))
    return rows
