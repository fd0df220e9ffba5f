"""The records as validated, immutable models: site, places, units, plans, projects."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, field_validator
from pydantic_core import PydanticCustomError

from gongshi.content.text import find_unsafe, find_unsafe_markup, is_blank
from gongshi.money import Number, Wan


def _refuse_unsafe(value: str, markup: bool = False) -> str:
    """Control, bidi and non-characters (gongshi.content.text), for text that does not come from YAML (the
    body, Excel cells); YAML values meet the same rule when they are read. In Markdown (`markup`), a character
    reference to one of them counts as the character."""
    bad = find_unsafe_markup(value) if markup else find_unsafe(value)
    if bad:
        zh, en = bad.message
        raise PydanticCustomError("gs_control_char", f"{zh} | {en}", {"position": bad.position})
    return value


def _clean_text(value: str) -> str:
    _refuse_unsafe(value)
    if is_blank(value):
        raise PydanticCustomError(
            "gs_blank_text",
            "只有看不见的字符（如零宽空格），请写出文字 | only invisible characters (e.g. zero-width spaces)",
        )
    return value


# Python-Markdown slows down sharply on some shapes (a run of 3,000 backticks takes minutes, 5,000 "[" take
# seconds each, 2,000 nested list levels exhaust the stack). No description needs them; refuse them early.
MAX_BODY = 50_000
_BODY_LIMITS = (
    (re.compile(r"`{17,}"), "连续的反引号 ` 过多（最多 16 个）", "too many backticks in a row (at most 16)"),
    (
        re.compile(r"^[ \t>]{41,}", re.M),
        "缩进或引用层次过深（行首空格和 > 最多 40 个）",
        "indented or quoted too deeply (at most 40 leading spaces and >)",
    ),
)
_MAX_BRACKETS = 1_000


def _clean_body(value: str) -> str:
    value = _refuse_unsafe(value, markup=True)
    problem = None
    if len(value) > MAX_BODY:
        problem = (
            MAX_BODY,
            f"正文过长（最多 {MAX_BODY} 个字）",
            f"the text is too long (at most {MAX_BODY} characters)",
        )
    for pattern, zh, en in _BODY_LIMITS:
        match = pattern.search(value)
        if problem is None and match:
            problem = (match.start(), zh, en)
    if problem is None and value.count("[") > _MAX_BRACKETS:
        position = [i for i, c in enumerate(value) if c == "["][_MAX_BRACKETS]
        problem = (
            position,
            f"方括号 [ 过多（最多 {_MAX_BRACKETS} 个）",
            f"too many [ brackets (at most {_MAX_BRACKETS})",
        )
    if problem:
        position, zh, en = problem
        raise PydanticCustomError("gs_body_shape", f"{zh} | {en}", {"position": position})
    return value


def _to_str(value: Any) -> Any:
    # Staff write `id: 2025` or `number: 10`; both mean the text as written.
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


Text = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20_000), AfterValidator(_clean_text)
]
"""Free text as published (a description, a note)."""

Name = Annotated[
    str,
    BeforeValidator(_to_str),
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(_clean_text),
]
"""A short name: a title, a unit, a village."""

Slug = Annotated[str, BeforeValidator(_to_str), StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,79}$")]
"""A stable identifier used in web addresses: lower-case letters, digits and hyphens."""

Code12 = Annotated[str, BeforeValidator(_to_str), StringConstraints(pattern=r"^\d{12}$")]
"""A 12-digit statistical division code (统计用区划代码)."""

Url = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^https://[^\s\"'<>]+$", max_length=500)]
"""An https address."""

PhotoName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}\.(?:jpg|jpeg|png|webp)$")]
"""A photo file beside the record: plain letters, digits, dots, hyphens; .jpg, .jpeg, .png or .webp."""

Comparator = Literal["以上", "以下", "约", "余"]
Status = Literal["计划", "实施中", "已完工", "已验收", "运营中", "已终止"]
Stage = Literal["立项", "招标", "开工", "完工", "验收", "运营"]
CheckName = Literal[
    "funding", "dividend", "number", "category_amount", "category_count", "plan_total", "plan_funding", "source_total"
]
Crs = Literal["WGS-84", "CGCS2000", "GCJ-02"]


class Record(BaseModel):
    """Base of every model: immutable, and unknown fields are errors, not silently dropped."""

    model_config = ConfigDict(frozen=True, extra="forbid")


# --- places -----------------------------------------------------------------------------


class Coordinates(Record):
    """A point with the coordinate system it is in and where it came from."""

    lon: Number = Field(ge=-180, le=180, description="经度")
    lat: Number = Field(ge=-90, le=90, description="纬度")
    crs: Crs = Field(description="坐标系：WGS-84、CGCS2000 或 GCJ-02")
    source: Text = Field(description="坐标来源（必填，不得估算）")


class Village(Record):
    """A village-level unit (村民委员会 or 居民委员会)."""

    code: Code12 = Field(description="12位统计用区划代码")
    name: Name = Field(description="简称，如 新华村")
    official_name: Name = Field(description="正式名称，如 新华村村民委员会")
    kind: Literal["村民委员会", "居民委员会"]
    aliases: tuple[Name, ...] = Field(default=(), description="其他写法，如文件中的异体字")
    coordinates: Coordinates | None = None


class Township(Record):
    """A township (乡 or 镇) and its village-level units."""

    code: Code12
    name: Name
    kind: Literal["镇", "乡", "街道"]
    aliases: tuple[Name, ...] = ()
    coordinates: Coordinates | None = None
    villages: tuple[Village, ...] = ()


class Gazetteer(Record):
    """places.yml: the county's townships and villages with their official codes."""

    county: Name
    county_code: Code12
    source: Text = Field(description="名单来源")
    townships: tuple[Township, ...] = Field(min_length=1)


# --- site and units ---------------------------------------------------------------------


class Contact(Record):
    """A supervision hotline; `phone` stays empty until the county publishes it."""

    name: Name
    phone: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9０-９\-() ]{3,30}$")] | None = None
    note: Text | None = None


class County(Record):
    name: Name
    code: Code12
    province: Name
    city: Name


class Partner(Record):
    name: Name
    full_name: Name


class MapPoint(Record):
    """A named point on the map (the county seat), with its source."""

    name: Name
    coordinates: Coordinates


class MapConfig(Record):
    """Map settings: the outline file, reference points, and optional tiles."""

    outline: str | None = Field(default=None, description="县界 GeoJSON 文件（相对 content/）")
    outline_crs: Crs | None = None
    outline_source: Text | None = None
    points: tuple[MapPoint, ...] = ()
    tiles: Url | None = Field(default=None, description="瓦片地址；留空则不请求任何外部地图服务")
    tiles_attribution: Text | None = None


class SiteConfig(Record):
    """content/site.yml."""

    title: Name
    description: Text | None = None
    county: County
    partner: Partner
    office: Name
    contacts: tuple[Contact, ...] = Field(min_length=1)
    repo_url: Url | None = None
    repo_branch: Slug | None = "main"
    notice_days: int | None = Field(default=None, ge=1, le=365, description="公示期（天）")
    map: MapConfig = MapConfig()


class Unit(Record):
    """A responsible or owner unit (责任单位, 业主单位)."""

    id: Slug
    name: Name = Field(description="文件中的写法，如 县林业局")
    full_name: Name | None = Field(default=None, description="全称，如 峨边彝族自治县林业局")
    aliases: tuple[Name, ...] = ()


class Units(Record):
    """content/units.yml."""

    units: tuple[Unit, ...] = Field(min_length=1)


# --- plans ------------------------------------------------------------------------------


class Discrepancy(Record):
    """A disclosed difference between the document's figures and the check they fail."""

    check: CheckName = Field(description="哪一项核对不一致")
    note: Text = Field(description="向公众说明的原因")


class FundSource(Record):
    id: Slug
    name: Name
    amount: Wan


class Category(Record):
    """A category of projects with the amount and count the plan declares for it."""

    id: Slug
    name: Name = Field(description="类别名称，如 产业集群打造")
    amount: Wan = Field(description="文件中该类别的规划资金（万元）")
    count: int = Field(ge=0, description="文件中该类别的项目个数")
    description: Text | None = None
    discrepancies: tuple[Discrepancy, ...] = ()


class Plan(Record):
    """content/plans/*.yml: one published plan document and its declared totals."""

    id: Slug
    title: Name
    document: Name | None = Field(default=None, description="印发文件标题")
    document_number: Name | None = None
    issuer: Name
    date: dt.date
    year: int = Field(ge=2000, le=2100)
    total: Wan
    funding: tuple[FundSource, ...] = Field(min_length=1)
    categories: tuple[Category, ...] = Field(min_length=1)
    summary: Text | None = None
    discrepancies: tuple[Discrepancy, ...] = ()


# --- projects ---------------------------------------------------------------------------


class Funding(Record):
    source: Slug = Field(description="资金来源编号，见计划文件 funding")
    amount: Wan


class Quantity(Record):
    value: Number = Field(ge=0)
    unit: Name
    comparator: Comparator | None = None


class Target(Record):
    """A performance target (绩效目标); `value` is absent for a qualitative one."""

    indicator: Name
    value: Number | None = Field(default=None, ge=0)
    unit: Name | None = None
    comparator: Comparator | None = Field(default=None, description="以上=不少于；以下=不超过；约=大约；余=多于")
    note: Text | None = None
    actual: Number | None = Field(default=None, ge=0, description="实际完成值（有报告时填写）")


class Dividend(Record):
    """A guaranteed dividend to village collectives (保底分红)."""

    rate_percent: Number = Field(gt=0, le=100, description="分红比例（%），如 3")
    annual: Wan = Field(description="每年分红金额（万元）")
    kind: Name = "保底分红"
    condition: Text | None = Field(default=None, description="如 运营后每年")


class Beneficiaries(Record):
    asset_villages: tuple[Name, ...] = Field(default=(), description="固定资产确权村")
    villages: tuple[Name, ...] = Field(default=(), description="其他受益村")
    households: Quantity | None = None
    people: Quantity | None = None
    description: Text | None = None


class Progress(Record):
    """A dated progress report."""

    date: dt.date
    stage: Stage
    disbursed: Wan | None = Field(default=None, description="截至该日累计拨付（万元）")
    percent: Number | None = Field(default=None, ge=0, le=100)
    note: Text | None = None
    photos: tuple[PhotoName, ...] = Field(default=(), description="照片文件名（与记录文件放在同一文件夹）")


class DividendPayment(Record):
    """A dividend actually paid for one year, as reported."""

    year: int = Field(ge=2000, le=2100, description="分红所属年度，如 2026")
    amount: Wan = Field(description="该年度实际分红（万元）")
    date: dt.date | None = Field(default=None, description="支付日期")
    note: Text | None = None


class Project(Record):
    """content/projects/*.md: one project's 公示 fields; the Markdown body is its description."""

    id: Slug = Field(description="稳定的编号，用于网址，不要修改")
    plan: Slug = Field(description="所属计划，如 2025")
    number: Name = Field(description="文件中的序号，按原文")
    order: int | None = Field(default=None, ge=1, description="实际顺序（原文序号重复时填写）")
    category: Slug = Field(description="类别编号，见计划文件")
    title: Name
    investment: Wan = Field(description="规划投资（万元）")
    funding: tuple[Funding, ...] = Field(min_length=1, description="资金来源，合计须等于投资")
    location: Name = Field(description="实施地点（按原文）")
    places: tuple[Name, ...] = Field(default=(), description="实施地点涉及的乡镇或村（须在 places.yml 中）")
    responsible_units: tuple[Name, ...] = Field(min_length=1, description="责任单位（须在 units.yml 中）")
    owner_unit: Name | None = Field(default=None, description="业主单位；文件未写则省略")
    beneficiaries: Beneficiaries = Beneficiaries()
    benefit_mechanism: Text | None = Field(default=None, description="联农带农机制")
    operation: Text | None = Field(default=None, description="运营方式")
    dividend: Dividend | None = None
    targets: tuple[Target, ...] = ()
    period: Name | None = Field(default=None, description="实施期限（按原文）")
    deadline: dt.date | None = None
    status: Status = "计划"
    progress: tuple[Progress, ...] = Field(default=(), description="进展报告，按日期先后排列")
    dividends_paid: tuple[DividendPayment, ...] = Field(default=(), description="已支付的分红，每年一条")
    discrepancies: tuple[Discrepancy, ...] = ()
    body: Annotated[str, AfterValidator(_clean_body)] = Field(
        default="", exclude=True, description="建设内容（正文 Markdown）"
    )
    source: str = Field(default="", exclude=True, description="记录文件路径")

    @field_validator("progress")
    @classmethod
    def _progress_in_order(cls, entries: tuple[Progress, ...]) -> tuple[Progress, ...]:
        for before, after in itertools.pairwise(entries):
            if after.date < before.date:
                raise PydanticCustomError(
                    "gs_progress_order",
                    "进展报告应按日期从早到晚排列：{after} 写在了 {before} 之后 | progress entries must be in date "
                    "order: {after} comes after {before}",
                    {"before": before.date.isoformat(), "after": after.date.isoformat()},
                )
            if before.disbursed is not None and after.disbursed is not None and after.disbursed < before.disbursed:
                raise PydanticCustomError(
                    "gs_progress_disbursed",
                    "累计拨付不能减少：{after_date} 的 {after} 万元少于 {before_date} 的 {before} 万元 | cumulative "
                    "disbursement cannot decrease ({after} < {before})",
                    {
                        "before": str(before.disbursed),
                        "after": str(after.disbursed),
                        "before_date": before.date.isoformat(),
                        "after_date": after.date.isoformat(),
                    },
                )
        return entries

    @field_validator("dividends_paid")
    @classmethod
    def _one_payment_a_year(cls, payments: tuple[DividendPayment, ...]) -> tuple[DividendPayment, ...]:
        years = [p.year for p in payments]
        for year in years:
            if years.count(year) > 1:
                raise PydanticCustomError(
                    "gs_dividend_year",
                    "{year} 年的分红写了两次，每年只写一条（合计金额） | dividend for {year} is listed twice; "
                    "write one entry per year",
                    {"year": year},
                )
        return payments


RECORD_FIELDS = tuple(name for name in Project.model_fields if name not in ("body", "source"))
