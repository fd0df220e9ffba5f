"""The records as validated, immutable models: site, places, units, plans, projects."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    StringConstraints,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    field_serializer,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from gongshi.content import fields as registry
from gongshi.content.fields import STAGES, NoticeStage, Surface, document_fields, field
from gongshi.content.unstated import NOT_STATED, UNSTATED, is_marker, stated
from gongshi.money import Number, Wan, plain
from gongshi.text import find_unsafe, find_unsafe_markup, is_blank


def _refuse_unsafe(value: str, markup: bool = False) -> str:
    """Control, bidi and non-characters (gongshi.text), for text that does not come from YAML (the
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


def _stripped(value: Any) -> Any:
    """Stripped before measured: with a validator before them, pydantic checks min_length on the value as
    written, so `title: " "` (or a U+3000) would pass and publish as an empty name."""
    return value.strip() if isinstance(value, str) else value


Name = Annotated[
    str,
    BeforeValidator(lambda value: _stripped(_to_str(value))),  # `number: 10` is text too
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(_clean_text),
]
"""A short name: a title, a unit, a village."""


def _clean_yi(value: str) -> str:
    _clean_text(value)
    if not any("\ua000" <= c <= "\ua4cf" for c in value):
        raise PydanticCustomError(
            "gs_yi_text",
            "彝文字段里没有彝文字符（Unicode 彝文音节 U+A000–U+A48C）：请填写彝文译文，中文写在原字段里 | a Yi field "
            "holds no Yi syllables (U+A000–U+A48C)",
        )
    return value


YiText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50_000), AfterValidator(_clean_yi)
]
"""A field's Yi version (title_ii): Yi syllables, with any punctuation and digits the translation uses."""

Slug = Annotated[str, BeforeValidator(_to_str), StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,79}$")]
"""A stable identifier used in web addresses: lower-case letters, digits and hyphens."""

Code12 = Annotated[str, BeforeValidator(_to_str), StringConstraints(pattern=r"^\d{12}$")]
"""A 12-digit statistical division code (统计用区划代码)."""

Url = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^https://[^\s\"'<>]+$", max_length=500)]
"""An https address."""


def _photo_extension(value: Any) -> Any:
    # Phones and cameras name photos IMG_0001.JPG; the upper-case extension is the slip, not the name.
    if isinstance(value, str) and "." in value:
        stem, _, ext = value.rpartition(".")
        if ext != ext.lower() and ext.lower() in ("jpg", "jpeg", "png", "webp"):
            fixed = f"{stem}.{ext.lower()}"
            raise PydanticCustomError(
                "gs_photo_extension",
                "照片扩展名要用小写：把照片文件改名为 {fixed}，这里也写 {fixed} | the extension must be lower case: "
                "rename the photo to {fixed} and write {fixed} here",
                {"fixed": fixed},
            )
    return value


PhotoName = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}\.(?:jpg|jpeg|png|webp)$"),
    BeforeValidator(_photo_extension),  # after the constraints: runs before them, and the schema keeps the pattern
]
"""A photo file beside the record: plain letters, digits, dots, hyphens; .jpg, .jpeg, .png or .webp."""

_COMPARATOR_SPELLINGS = {">=": "≥", "≧": "≥", "＞＝": "≥", "<=": "≤", "≦": "≤", "＜＝": "≤", "＝": "=", "==": "="}


def _comparator(value: Any) -> Any:
    # Staff type ">=" or a full-width "＝" for the signs a performance table prints as ≥ and =.
    return _COMPARATOR_SPELLINGS.get(value.strip(), value.strip()) if isinstance(value, str) else value


Comparator = Annotated[Literal["以上", "以下", "约", "余", "≥", "≤", "="], BeforeValidator(_comparator)]
Status = Literal["计划", "实施中", "已完工", "已验收", "运营中", "已终止"]
Stage = Literal["立项", "招标", "开工", "完工", "验收", "运营"]
CheckName = Literal[
    "funding",
    "dividend",
    "number",
    "category_amount",
    "category_count",
    "plan_total",
    "plan_funding",
    "source_total",
    "summary",
    "changes",
    "completion",
    "status",
    "line_items",
    "shares",
    "payments",
]
DisclosureKind = Literal["inconsistent", "untranscribed", "corrected"]
DISCLOSURE_KINDS: dict[str, str] = {
    "inconsistent": "原文件前后不一致",
    "untranscribed": "尚未录入",
    "corrected": "事后更正",
}
"""What a disclosure says of the record: the source contradicts itself, a part is not yet transcribed, or a
figure was corrected after publication."""
NOTICE_STAGES: dict[str, str] = {
    "library": "项目入库公示",
    "plan": "项目计划公示",
    "change": "项目调整公示",
    "completion": "项目完工验收公示",
    "review": "项目绩效自评公示",
}
"""Each notice stage's title, in the order a project goes through them."""
assert tuple(NOTICE_STAGES) == STAGES
MIN_NOTICE_DAYS = 10
"""A notice is posted at least this many days (counting its first and last day)."""


def _official_wording(value: Any) -> Any:
    """An indicator level in the official wording of the 绩效目标表 (产出指标, 数量指标, 服务对象满意度指标) → the
    level as a record writes it (产出, 数量, 服务对象满意度)."""
    if isinstance(value, str) and value.strip().endswith("指标") and len(value.strip()) > 2:
        return value.strip()[:-2]
    return value


TargetGroup = Annotated[Literal["产出", "效益", "满意度"], BeforeValidator(_official_wording)]
TargetKind = Annotated[
    Literal["数量", "质量", "时效", "成本", "经济效益", "社会效益", "生态效益", "可持续影响", "服务对象满意度"],
    BeforeValidator(_official_wording),
]
TARGET_KINDS: dict[str, tuple[str, ...]] = {
    "产出": ("数量", "质量", "时效", "成本"),
    "效益": ("经济效益", "社会效益", "生态效益", "可持续影响"),
    "满意度": ("服务对象满意度",),
}
"""The performance indicator tree counties publish: 一级指标 → 二级指标."""
DONE = ("已完工", "已验收", "运营中")
"""Statuses of a project whose construction is over."""
Crs = Literal["WGS-84", "CGCS2000", "GCJ-02"]


class _WithYi(type(BaseModel)):  # pydantic's model metaclass
    """Gives every public text field of a model its Yi version (title → title_ii) as the class is made, by the
    registry's one rule (gongshi.content.fields.yi_companions); a model opts out with __gongshi_no_yi__."""

    def __new__(mcs, name: str, bases: tuple[type, ...], namespace: dict[str, Any], **kwargs: Any):
        if not namespace.get("__gongshi_no_yi__"):
            annotations = namespace.setdefault("__annotations__", {})
            for yi_name, (annotation, info) in registry.yi_companions(namespace).items():
                annotations[yi_name] = annotation
                namespace[yi_name] = info
        return super().__new__(mcs, name, bases, namespace, **kwargs)


def first_yi(record: BaseModel, prefix: str = "") -> str | None:
    """The path of the first Yi version a record states (title_ii, targets[0].indicator_ii), or None."""
    for name in type(record).model_fields:
        value = getattr(record, name)
        if name.endswith(registry.YI_SUFFIX) and value:
            return f"{prefix}{name}"
        items = value if isinstance(value, tuple) else (value,)
        for i, item in enumerate(items):
            if isinstance(item, BaseModel):
                where = f"{prefix}{name}[{i}]." if isinstance(value, tuple) else f"{prefix}{name}."
                found = first_yi(item, where)
                if found:
                    return found
    return None


class Record(BaseModel, metaclass=_WithYi):
    """Base of every model: immutable, and unknown fields are errors, not silently dropped.
    A field declared with `field(..., document=True)` takes 原文件未列明 as UNSTATED (gongshi.content.unstated).
    Every public text field may carry a Yi version (`title_ii`); a file that does names who translated it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    @model_validator(mode="after")
    def _yi_is_credited(self) -> Record:
        if "translation" in type(self).model_fields and self.translation is None:  # type: ignore[attr-defined]
            path = first_yi(self)
            if path:
                raise PydanticCustomError(
                    "gs_yi_translation",
                    "写了彝文（{path}）就要写明译者和审校：translation: {translator: 译者, reviewer: 审校} | Yi text "
                    "({path}) needs translation: {translator, reviewer}",
                    {"path": path},
                )
        return self

    @field_validator("*", mode="wrap")
    @classmethod
    def _not_stated(cls, value: Any, handler: ValidatorFunctionWrapHandler, info: ValidationInfo) -> Any:
        if is_marker(value) and info.field_name in document_fields(cls):
            return UNSTATED
        return handler(value)

    @field_serializer("*", mode="wrap")
    def _not_stated_text(self, value: Any, handler: SerializerFunctionWrapHandler) -> Any:
        return NOT_STATED if value is UNSTATED else handler(value)


# --- places -----------------------------------------------------------------------------


class Translation(Record):
    """Who translated a file's Yi text (title_ii …) and who reviewed it; required where Yi text is given."""

    __gongshi_no_yi__ = True
    translator: Name = field("译者", "彝文译者的姓名或单位，按实际", example="某某（县民族宗教事务局）")
    reviewer: Name = field("审校", "审校彝文译文的人或单位，按实际", example="某某")
    date: dt.date | None = field("审校日期", "写作 YYYY-MM-DD", example="2025-06-01", default=None)


def _translation() -> Any:
    return field(
        "彝文翻译", "写了任何彝文字段（如 title_ii）时必填：translator 译者、reviewer 审校", default=None, yi_of="*"
    )


class Coordinates(Record):
    """A point with the coordinate system it is in and where it came from."""

    lon: Number = Field(ge=-180, le=180, description="经度")
    lat: Number = Field(ge=-90, le=90, description="纬度")
    crs: Crs = Field(description="坐标系：WGS-84、CGCS2000 或 GCJ-02")
    source: Text = Field(description="坐标来源（必填，不得估算）")
    date: dt.date | None = Field(default=None, description="坐标文件或采集的日期（gongshi places coordinates 写入）")


class _Place(Record):
    """What townships and villages share: a key for addresses and lookups, the official code or its id."""

    @model_validator(mode="after")
    def _needs_a_key(self) -> _Place:
        if not stated(self.code) and self.id is None:  # type: ignore[attr-defined]
            raise PydanticCustomError(
                "gs_place_key",
                "没有统计用区划代码的地方要写 id（小写英文、数字、连字符），用作网址，以后不要改 | a place without "
                "an official code needs an id (lower-case letters, digits, hyphens) for its address",
            )
        return self

    @property
    def key(self) -> str:
        """The place's key on this site: its 12-digit code, or its id where the code is not stated."""
        return self.code if stated(self.code) else self.id  # type: ignore[attr-defined,return-value]


class Village(_Place):
    """A village-level unit (村民委员会 or 居民委员会)."""

    code: Code12 = field("统计用区划代码", "12位数字；名单中没有的写“原文件未列明”并写 id", document=True)
    id: Slug | None = field("网址编号", "只在没有统计用区划代码时写：小写英文、数字、连字符", default=None)
    name: Name = field("简称", "如 某某村")
    official_name: Name = field("正式名称", "如 某某村村民委员会", document=True)
    kind: Literal["村民委员会", "居民委员会"] = field("类别", "村民委员会 或 居民委员会")
    aliases: tuple[Name, ...] = field("其他写法", "如文件中的异体字、旧名", default=())
    coordinates: Coordinates | None = field("坐标", "必须注明来源，不得估算", default=None)


class Township(_Place):
    """A township (乡 or 镇) and its village-level units."""

    code: Code12 = field("统计用区划代码", "12位数字；名单中没有的写“原文件未列明”并写 id", document=True)
    id: Slug | None = field("网址编号", "只在没有统计用区划代码时写：小写英文、数字、连字符", default=None)
    name: Name = field("名称", "如 某某镇")
    kind: Literal["镇", "乡", "街道"] = field("类别", "镇、乡 或 街道")
    aliases: tuple[Name, ...] = field("其他写法", "如文件中的异体字、旧名", default=())
    coordinates: Coordinates | None = field("坐标", "必须注明来源，不得估算", default=None)
    villages: tuple[Village, ...] = field("村和社区", "村民委员会和居民委员会", default=())


class Gazetteer(Record):
    """places.yml: the county's townships and villages with their official codes, and where the list came from."""

    county: Name = field("县名", "与 site.yml 中的县名相同")
    county_code: Code12 = field("县的统计用区划代码", "12位数字", document=True)
    source: Text = field("名单来源", "名单从哪里来（gongshi places 自动写）")
    year: int | None = field("代码年份", "统计用区划代码的年份，如 2023", default=None, ge=1980, le=2100)
    townships: tuple[Township, ...] = field("乡镇", "乡镇、街道和它们的村；运行 gongshi places 生成", default=())
    translation: Translation | None = _translation()


# --- site and units ---------------------------------------------------------------------


class Contact(Record):
    """A supervision hotline; `phone` stays empty until the county publishes it."""

    name: Name
    phone: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9０-９\-() ]{3,30}$")] | None = None
    note: Text | None = None


class County(Record):
    name: Name = field("县名", "全称，如 某某县")
    code: Code12 = field("统计用区划代码", "12位数字，如 110101000000", document=True)
    province: Name | None = field("省", "如 四川省", default=None)
    city: Name | None = field("市（州）", "如 乐山市", default=None)


class Partner(Record):
    name: Name = field("协作地区", "简称，如 某某区")
    full_name: Name = field("协作地区全称", "如 某某省某某市某某区")


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


IcpNumber = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\S{1,4}ICP备\d{6,12}号(?:-\d{1,3})?$")]
"""An ICP filing number as MIIT issues it: 某ICP备00000000号 or 某ICP备00000000号-1."""
PoliceNumber = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\S{1,4}公网安备\s?\d{14}号$")]
"""A public-security filing number: 某公网安备 00000000000000号 (14 digits)."""
SiteCode = Annotated[str, BeforeValidator(_to_str), StringConstraints(pattern=r"^[0-9A-Za-z]{10}$")]
"""A government website identifier (政府网站标识码): 10 characters, e.g. 0000000000."""


class PortalFooter(Record):
    """The identifiers a government portal shows in every page's footer (国办发〔2017〕47号), as the portal
    publishes them; with `portal: true` every one is required."""

    __gongshi_no_yi__ = True  # identifiers as the portal prints them

    sponsor: Name | None = field(
        "主办单位", "门户网站的主办单位，按门户页脚照抄", example="某某县人民政府办公室", default=None
    )
    site_code: SiteCode | None = field("网站标识码", "政府网站标识码，10位", example="0000000000", default=None)
    icp: IcpNumber | None = field(
        "ICP备案号", "按门户页脚照抄；网站链接到工业和信息化部备案查询页", example="某ICP备00000000号-1", default=None
    )
    police: PoliceNumber | None = field(
        "公安机关备案号", "按门户页脚照抄（14位数字）", example="某公网安备 00000000000000号", default=None
    )
    correction_url: Url | None = field(
        "纠错",
        "门户的“我为政府网站找错”或纠错页面地址（https）",
        example="https://example.gov.cn/jiucuo/",
        default=None,
    )
    contact: Text | None = field("联系我们", "电话或电子邮箱，按门户页脚照抄", example="0833-0000000", default=None)


ICP_RECORD_PAGE = "https://beian.miit.gov.cn/"
"""Where MIIT's ICP filing record can be looked up (the portal rules link the number there)."""


class SiteConfig(Record):
    """content/site.yml."""

    title: Name
    description: Text | None = None
    county: County
    office: Name
    contacts: tuple[Contact, ...] = Field(min_length=1)
    repo_url: Url | None = None
    repo_branch: Slug | None = "main"
    notice_days: int | None = Field(default=None, ge=1, le=365, description="公示期（天）")
    map: MapConfig = MapConfig()
    portal: bool = Field(
        default=False,
        description="网站作为政府门户网站的专题栏目发布时写 true：footer 中的标识缺一项即报错",
    )
    footer: PortalFooter = Field(
        default=PortalFooter(),
        description="门户网站页脚的标识：主办单位、网站标识码、ICP备案号、公安机关备案号、纠错、联系我们",
    )
    translation: Translation | None = _translation()


class Unit(Record):
    """A responsible or owner unit (责任单位, 业主单位)."""

    id: Slug
    name: Name = Field(description="文件中的写法，如 县林业局")
    full_name: Name | None = Field(default=None, description="全称，如 某某县林业局")
    aliases: tuple[Name, ...] = ()


class Units(Record):
    """content/units.yml."""

    units: tuple[Unit, ...] = Field(default=(), description="责任单位和业主单位")
    translation: Translation | None = _translation()


# --- plans ------------------------------------------------------------------------------


_FIELD_PATH = r"^[a-z_]+(?:\[\d+\])?(?:\.[a-z_]+(?:\[\d+\])?)*$"
FieldPath = Annotated[str, StringConstraints(strip_whitespace=True, pattern=_FIELD_PATH, max_length=100)]
"""A field of a record as written in a record: investment, funding[0].amount, completion.surplus."""


class Discrepancy(Record):
    """A disclosure: a failed check the content explains instead of fixing, or a free-form note on a field.
    Either kind appears on the record's page, its plan's page and every notice that shows what it concerns."""

    check: CheckName | None = field(
        "核对项",
        "说明的是哪一项核对不一致：funding、dividend、number、completion、line_items、changes 等；自由说明省略",
        example="completion",
        default=None,
    )
    field: FieldPath | None = registry.field(
        "所涉字段",
        "自由说明所涉及的字段，如 completion.surplus、targets[0]；省略则说明整条记录",
        example="completion.surplus",
        default=None,
    )
    kind: DisclosureKind = registry.field(
        "说明类别",
        "inconsistent＝原文件前后不一致；untranscribed＝尚未录入；corrected＝事后更正",
        example="inconsistent",
        default="inconsistent",
    )
    note: Text = registry.field("原因", "向公众说明的原因", example="原文资金来源合计与投资不一致，按原文公示")


def _as_written(value: Any) -> Any:
    # `before: 300` reads as a number and `before: 2025-07-01` as a date; a change keeps them as written.
    if isinstance(value, bool):
        return value
    if isinstance(value, int | Decimal):
        return plain(Decimal(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


ChangeValue = Annotated[
    str,
    BeforeValidator(lambda value: _stripped(_as_written(value))),
    StringConstraints(strip_whitespace=True, min_length=1, max_length=2_000),
    AfterValidator(_clean_text),
]
"""A value before or after a change, as the approval writes it (an amount in 万元 is a plain number)."""


class Approval(Record):
    """The document approving a project (批复), as published."""

    number: Name = field("批复文号", "按原文", example="样府发〔2025〕1号")
    date: dt.date | None = field("批复日期", "写作 YYYY-MM-DD", example="2025-02-25", default=None)


class Change(Record):
    """An approved adjustment (调整变更): when, by which document, why, and which field went from what to what.
    The record itself holds the value after its latest change; the audit follows the chain."""

    date: dt.date = field("变更日期", "写作 YYYY-MM-DD；按日期先后排列", example="2025-07-01")
    approval: Name | None = field("变更批复文号", "批准这次调整的文件文号", example="样府函〔2025〕9号", default=None)
    reason: Text | None = field("变更原因", "按原文", example="部分路段由其他项目实施", default=None)
    field: FieldPath = registry.field(
        "变更字段",
        "改动的字段，如 investment、funding[0].amount、location；记录中写调整后的值",
        example="investment",
    )
    before: ChangeValue | None = registry.field("变更前", "调整前的值；金额只写数字", example="300", default=None)
    after: ChangeValue | None = registry.field(
        "变更后", "调整后的值，须与记录中现在的值一致", example="280", default=None
    )


def _in_date_order(entries: tuple[Change, ...]) -> tuple[Change, ...]:
    for before, after in itertools.pairwise(entries):
        if after.date < before.date:
            raise PydanticCustomError(
                "gs_change_order",
                "调整变更应按日期从早到晚排列：{after} 写在了 {before} 之后 | changes must be in date order: "
                "{after} comes after {before}",
                {"before": before.date.isoformat(), "after": after.date.isoformat()},
            )
    return entries


class Review(Record):
    """A year-end performance self-review (绩效自评): what was achieved overall and why it fell short."""

    year: int = field("自评年度", "四位数年份", example="2025", ge=2000, le=2100)
    date: dt.date | None = field("自评日期", "写作 YYYY-MM-DD", example="2026-01-15", default=None)
    disbursed: Wan | None = field(
        "全年执行数", "自评表中的资金执行数（万元）；不写则按进展报告的累计拨付计算", example="180", default=None
    )
    summary: Text | None = field("总体完成情况", "按自评表原文", example="道路建成通车，群众出行改善", default=None)
    reason: Text | None = field(
        "偏差原因及改进措施", "执行率或目标未达到的原因，按原文", example="部分路段调整，资金结余退回", default=None
    )


class FundSource(Record):
    """One source of the plan's money, with the amount the plan declares for it."""

    id: Slug = field("来源编号", "项目记录 funding 中引用的编号", example="main-2025")
    name: Name = field("资金来源", "按原文", example="2025年衔接推进乡村振兴补助资金", document=True)
    amount: Wan = field("金额", "只写数字", example="3900", document=True)


class Category(Record):
    """A category of projects with the amount and count the plan declares for it."""

    id: Slug = field("类别编号", "项目记录 category 中引用的编号", example="industrial-cluster")
    name: Name = field("类别名称", "按原文", example="产业集群打造", document=True)
    amount: Wan = field("规划资金", "文件中该类别的规划资金", example="1650", document=True)
    count: int = field("项目个数", "文件中该类别的项目个数", example="2", ge=0, document=True)
    description: Text | None = field("类别说明", "按原文", default=None, document=True)
    discrepancies: tuple[Discrepancy, ...] = field("差异说明", "原文数字核对不一致时，公开说明原因", default=())


class Programme(Record):
    """The fund programme a plan belongs to, and the words the site uses for it; the partner only if it has one."""

    name: Name = field("资金名称", "按原文，如 衔接推进乡村振兴补助资金", example="衔接推进乡村振兴补助资金")
    short: Name | None = field(
        "简称", "用在“2025年××项目”这样的句子里；不写就用资金名称", example="衔接资金", default=None
    )
    partner: Partner | None = field(
        "协作地区", "结对帮扶（协作、对口支援）的对方地区；没有就不写", default=None, document=True
    )


class Plan(Record):
    """content/plans/*.yml: one published plan document and its declared totals."""

    id: Slug = field("计划编号", "项目记录 plan 中引用的编号", example='"2025"')
    title: Name = field("计划名称", "按原文", example="某某县2025年项目实施方案", document=True)
    document: Name | None = field("印发文件标题", "按原文", default=None, document=True)
    document_number: Name | None = field("文号", "按原文", default=None, document=True)
    issuer: Name = field("印发单位", "按原文", document=True)
    date: dt.date = field("印发日期", "写作 YYYY-MM-DD", example="2025-02-25", document=True)
    year: int = field(
        "年度", "四位数年份；网站按它分年度（原文件没有写年度时，写资金所属的年度）", example="2025", ge=2000, le=2100
    )
    programme: Programme | None = field(
        "资金类别", "这个计划属于哪类资金：name 资金名称、short 简称、partner 协作地区", default=None
    )
    total: Wan = field("计划总额", "只写数字", example="1520.5", document=True)
    funding: tuple[FundSource, ...] = field("资金来源", "一项或多项，合计须等于计划总额", min_length=1, document=True)
    categories: tuple[Category, ...] = field("项目类别", "一项或多项，金额合计须等于计划总额", min_length=1)
    summary: Text | None = field("计划概述", "按原文", default=None, document=True)
    changes: tuple[Change, ...] = field(
        "调整变更", "计划调整（类别金额、总额等）每次一项，按日期先后；计划文件中写调整后的值", default=()
    )
    review: Review | None = field("绩效自评", "年度绩效自评的总体情况和偏差原因", default=None, provenance="county")
    discrepancies: tuple[Discrepancy, ...] = field("差异说明", "原文数字核对不一致时，公开说明原因", default=())
    translation: Translation | None = _translation()

    @field_validator("changes")
    @classmethod
    def _changes_in_order(cls, entries: tuple[Change, ...]) -> tuple[Change, ...]:
        return _in_date_order(entries)

    @property
    def funds_name(self) -> str:
        """The programme's money as a phrase: 东西部协作资金, or 资金 when the plan names no programme."""
        return self.programme.name if self.programme else "资金"

    @property
    def projects_name(self) -> str:
        """Its projects as a phrase: 东西部协作项目, or 项目."""
        if self.programme is None:
            return "项目"
        return f"{self.programme.short or self.programme.name}项目"

    @property
    def label(self) -> str:
        """The plan's title, or, where the document states none, a label that says so."""
        if stated(self.title):
            return self.title
        return f"{self.year}年{self.funds_name}计划（原文件标题未列明）"


# --- projects ---------------------------------------------------------------------------

_COMPARATOR_HELP = "以上或≥＝不少于（含本数）；以下或≤＝不超过；=＝等于；约＝大约；余＝多于；没有就省略"


class Funding(Record):
    """One source of a project's money, with the batch and date it was allocated when the document says."""

    source: Slug = field("来源编号", "计划文件 funding 中的来源 id", example="main-2025", ref="source")
    amount: Wan = field("来源金额", "这一来源的金额，只写数字", example="1150", document=True)
    batch: Name | None = field("资金批次", "原文写了才填写，如 第一批、往年结余", example="第一批", default=None)
    date: dt.date | None = field("下达日期", "这批资金下达的日期，写作 YYYY-MM-DD", example="2025-03-20", default=None)


class Quantity(Record):
    """A number of households or people, as the document words it."""

    value: Number = field("数值", "只写数字", example="120", ge=0, document=True)
    unit: Name = field("单位", "如 户、人、人次", example="户", document=True)
    comparator: Comparator | None = field("比较词", _COMPARATOR_HELP, example="以上", default=None)


class Target(Record):
    """A performance target (绩效目标) as counties publish them: group and kind (一级、二级指标), the indicator,
    the planned value (a number, or words for a qualitative one) and, once reported, the actual."""

    group: TargetGroup | None = field(
        "一级指标", "产出、效益 或 满意度；原文没有分类就省略", example="产出", default=None
    )
    kind: TargetKind | None = field(
        "二级指标",
        "产出：数量、质量、时效、成本；效益：经济效益、社会效益、生态效益、可持续影响；满意度：服务对象满意度",
        example="数量",
        default=None,
    )
    indicator: Name = field("指标", "按原文填写指标内容（三级指标）", example="培训农村劳动力", document=True)
    value: Number | None = field("目标值", "只写数字；定性目标省略", example="200", default=None, ge=0, document=True)
    unit: Name | None = field("单位", "如 人、个、㎡、场次", example="人", default=None)
    comparator: Comparator | None = field("比较词", _COMPARATOR_HELP, example="以上", default=None)
    planned: Text | None = field("定性目标", "没有数字的目标，按原文，如 明显改善", example="明显改善", default=None)
    note: Text | None = field("说明", "对指标的补充说明", example="其中电商、文旅培训", default=None)
    actual: Number | None = field(
        "实际完成值", "有完成情况报告时填写，只写数字", example="215", default=None, ge=0, provenance="county"
    )
    result: Text | None = field(
        "完成情况",
        "定性目标的实际完成情况，或对实际值的说明，按原文",
        example="群众出行条件明显改善",
        default=None,
        provenance="county",
    )
    reason: Text | None = field(
        "偏差原因", "未达到目标的原因，按自评表原文", example="受汛期影响延期", default=None, provenance="county"
    )

    @model_validator(mode="after")
    def _kind_in_group(self) -> Target:
        if self.kind is not None and (self.group is None or self.kind not in TARGET_KINDS[self.group]):
            allowed = "、".join(TARGET_KINDS[self.group]) if self.group else "先写 group（一级指标）"
            raise PydanticCustomError(
                "gs_target_kind",
                "二级指标“{kind}”不属于一级指标“{group}”，可写：{allowed} | kind {kind} is not under group {group}",
                {"kind": self.kind, "group": self.group or "（未写）", "allowed": allowed},
            )
        if self.value is not None and self.planned is not None:
            raise PydanticCustomError(
                "gs_target_planned",
                "有数字目标值（value）时不写定性目标（planned） | a target has a number (value) or words (planned), "
                "not both",
            )
        return self


class VillageAmount(Record):
    """One village's amount of a shared benefit (its yearly share, or what it was paid)."""

    village: Name = field("村", "写作“乡镇名+村名”，须在 places.yml 中", example="甲镇乙村", ref="village")
    amount: Wan = field("金额", "该村的金额（万元），只写数字", example="1.2")


class Dividend(Record):
    """A guaranteed dividend to village collectives (保底分红)."""

    rate_percent: Number = field("分红比例（%）", "只写数字，不写 %", example="3", gt=0, le=100, document=True)
    annual: Wan = field("每年分红", "只写数字", example="34.5", document=True)
    kind: Name = field("分红方式", "默认“保底分红”", example="保底分红", default="保底分红")
    condition: Text | None = field("分红条件", "何时开始分红", example="运营后每年", default=None, document=True)
    shares: tuple[VillageAmount, ...] = field(
        "各村每年分红", "原文写明各村分配时才填写，合计须等于每年分红；不得推算", default=()
    )


class IncomeCommitment(Record):
    """A promised minimum yearly income to village collectives (村集体年收益不低于 X 万元), without a rate."""

    minimum_per_year: Wan = field("每年不低于", "承诺的每年最低收益（万元），只写数字", example="3")
    per: Literal["village", "shared"] = field(
        "计算方式", "village＝每个确权村各不低于该数；shared＝各村合计不低于该数", example="village"
    )
    condition: Text | None = field("收益条件", "从何时起、持续几年，按原文", example="建成后连续5年", default=None)
    shares: tuple[VillageAmount, ...] = field("各村每年收益", "原文写明各村分配时才填写；不得推算", default=())


class LineItem(Record):
    """One priced part of a project's cost (建设内容明细)."""

    name: Name = field("明细名称", "按原文", example="路面硬化")
    amount: Wan = field("明细金额", "只写数字；各项合计须等于规划投资", example="80")
    quantity: Number | None = field("数量", "只写数字", example="3", default=None, ge=0)
    unit: Name | None = field("计量单位", "如 公里、平方米、台", example="公里", default=None)


class Completion(Record):
    """Completion accounts (完工结算) and acceptance (验收), as the completion report states them."""

    completed: dt.date | None = field("完工日期", "写作 YYYY-MM-DD", example="2025-11-30", default=None)
    settled: Wan | None = field("结算金额", "工程结算或决算金额（万元），只写数字", example="188.5", default=None)
    management_fee: Wan | None = field("管理费", "项目管理费等（万元），原文写了才填写", example="2", default=None)
    surplus: Wan | None = field(
        "结余资金", "原文写的结余（万元）；网站核对 投资 − 结算 − 管理费 = 结余", example="9.5", default=None
    )
    surplus_to: Name | None = field("结余资金去向", "如 收回县财政统筹使用", example="收回县财政", default=None)
    accepted: dt.date | None = field("验收日期", "写作 YYYY-MM-DD", example="2025-12-20", default=None)
    accepted_by: Name | None = field("验收单位", "组织验收的单位，按原文", example="县农业农村局", default=None)
    note: Text | None = field("验收结论", "按原文", example="验收合格", default=None)

    @field_validator("accepted")
    @classmethod
    def _after_completion(cls, accepted: dt.date | None, info: ValidationInfo) -> dt.date | None:
        completed = info.data.get("completed")
        if accepted is not None and isinstance(completed, dt.date) and accepted < completed:
            raise PydanticCustomError(
                "gs_accepted_before_completed",
                "验收日期 {accepted} 早于完工日期 {completed}：先完工，后验收；核对两个日期是否写反或年份、月份写错"
                " | the acceptance date {accepted} is before the completion date {completed}",
                {"accepted": accepted.isoformat(), "completed": completed.isoformat()},
            )
        return accepted


class NoticePeriod(Record):
    """One stage's public notice and its period (公示期), first and last day included."""

    stage: NoticeStage = field(
        "公示阶段",
        "library＝入库公示；plan＝计划公示；change＝调整公示；completion＝完工验收公示；review＝绩效自评公示",
        example="plan",
    )
    start: dt.date = field("公示开始日期", "写作 YYYY-MM-DD", example="2025-03-01")
    end: dt.date = field("公示结束日期", f"写作 YYYY-MM-DD；公示期不少于 {MIN_NOTICE_DAYS} 天", example="2025-03-10")
    where: Name | None = field("公示地点", "张贴的地方，如 村务公开栏", example="乙村村务公开栏", default=None)

    @field_validator("end")
    @classmethod
    def _long_enough(cls, end: dt.date, info: ValidationInfo) -> dt.date:
        start = info.data.get("start")
        if start is None:
            return end
        days = (end - start).days + 1
        if days < MIN_NOTICE_DAYS:
            raise PydanticCustomError(
                "gs_notice_days",
                "公示期只有 {days} 天（{start} 至 {end}），应不少于 {minimum} 天 | the notice runs {days} days; "
                "at least {minimum} are required",
                {"days": days, "start": start.isoformat(), "end": end.isoformat(), "minimum": MIN_NOTICE_DAYS},
            )
        return end


class Beneficiaries(Record):
    """Who benefits: villages that receive title to the assets, other villages, households and people."""

    asset_villages: tuple[Name, ...] = field(
        "固定资产确权村",
        "投资形成的固定资产确权到的村，按原文顺序；写作“乡镇名+村名”",
        example="[某某镇甲村, 某某乡乙村]",
        default=(),
        ref="village",
        aliases=("受益村(资产确权)", "受益村", "确权村"),
        document=True,
    )
    villages: tuple[Name, ...] = field(
        "其他受益村", "不确权但受益的村", example="[某某镇丙村]", default=(), ref="village", document=True
    )
    households: Quantity | None = field(
        "受益户数",
        "value 数字、unit 单位、comparator 比较词",
        example="{value: 120, unit: 户}",
        default=None,
        document=True,
    )
    people: Quantity | None = field(
        "受益人数",
        "value 数字、unit 单位、comparator 比较词",
        example="{value: 500, unit: 人}",
        default=None,
        document=True,
    )
    description: Text | None = field(
        "受益说明", "原文对受益对象的其他说明", example="脱贫户和监测户优先", default=None, document=True
    )


class Progress(Record):
    """A dated progress report."""

    date: dt.date = field("日期", "写作 YYYY-MM-DD", example="2025-06-30")
    stage: Stage = field("阶段", "立项、招标、开工、完工、验收 或 运营", example="开工")
    disbursed: Wan | None = field("累计拨付", "截至该日累计拨付的资金，只写数字", example="300", default=None)
    percent: Number | None = field("完成比例（%）", "0 到 100 的数字", example="40", default=None, ge=0, le=100)
    note: Text | None = field("进展说明", "简要说明", example="主体工程已开工", default=None)
    photos: tuple[PhotoName, ...] = field(
        "照片",
        "照片文件放在记录 .md 文件旁边，这里写文件名列表；网站会自动缩小",
        example="[2025-06-30-site.jpg]",
        default=(),
    )


class DividendPayment(Record):
    """A dividend actually paid for one year, as reported."""

    year: int = field("分红年度", "四位数年份", example="2026", ge=2000, le=2100)
    amount: Wan = field("实际分红", "该年度实际支付的合计，只写数字", example="34.5")
    date: dt.date | None = field("支付日期", "写作 YYYY-MM-DD，可省略", example="2026-12-20", default=None)
    note: Text | None = field("说明", "可省略", example="由运营公司支付给12个村集体", default=None)
    villages: tuple[VillageAmount, ...] = field(
        "各村实收", "报告写明各村实收金额时填写，合计须等于实际分红", default=()
    )


class Person(Record):
    """The person who answers for a project (责任人), as the document names them."""

    name: Name = field("姓名", "按原文", example="王某某", document=True)
    post: Name | None = field("职务", "按原文", example="县林业局局长", default=None, document=True)
    phone: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9\-() ]{3,30}$")] | None = field(
        "联系电话", "原文写了才填写", example="0833-0000000", default=None, document=True
    )


_NOT_IN_FUND_TABLE = "资金计划表只有计划时的字段；进展和分红在记录中填写"
ALL_STAGES = STAGES
BEFORE_WORK: tuple[NoticeStage, ...] = ("library", "plan", "change")
"""The notices published before construction: what is planned, and how a change alters it."""
WHAT_IS_BUILT: tuple[NoticeStage, ...] = ("library", "plan", "completion")
"""The notices that describe what is built and for whom: planned, then as completed."""
THE_MONEY: tuple[NoticeStage, ...] = (*BEFORE_WORK, "completion")
"""The notices that show the money and the period: planned, changed, then as completed."""


class Project(Record):
    """content/projects/*.md: one project's 公示 fields; the Markdown body is its description."""

    id: Slug = field(
        "项目编号",
        "稳定的英文编号，用于网址；只用小写字母、数字和连字符，发布后不要修改",
        example="mouxiang-road",
        skip={Surface.PAGE: "编号是项目网址的一部分"},
        aliases=("项目编号(网址)", "id"),
    )
    plan: Slug = field(
        "所属计划",
        '计划文件 content/plans/ 中的 id，如 2025 年的计划写 "2025"',
        example='"2025"',
        ref="plan",
        skip={Surface.EXCEL: "资金计划表每个计划一个工作表，导入时用 --plan 指定"},
    )
    number: Name = field(
        "原文序号",
        "项目在正式文件中的序号，按原文照抄",
        example='"1"',
        notice="always",
        aliases=("序号", "项目序号", "编号序号"),
        document=True,
    )
    order: int | None = field(
        "实际顺序",
        "只有原文序号重复或缺失时才填写，表示列表中的排列顺序",
        example="11",
        default=None,
        ge=1,
        public=False,
        aliases=("排序", "顺序"),
    )
    category: Slug = field(
        "项目类别",
        "计划文件 categories 中的类别 id",
        example="industrial-cluster",
        ref="category",
        aliases=("类别", "类型", "项目类型"),
    )
    title: Name = field(
        "项目名称",
        "按原文填写完整的项目名称",
        example="某某村产业路建设项目",
        notice="always",
        aliases=("项目", "名称"),
        document=True,
    )
    construction_kind: Name | None = field(
        "建设性质", "按原文，如 新建、续建、改扩建", example="新建", default=None, notice="stated", document=True
    )
    location: Name = field(
        "实施地点",
        "按原文填写的实施地点",
        example="某某镇某某村",
        notice="always",
        stages=THE_MONEY,
        aliases=("建设地点", "地点", "项目地点"),
        document=True,
    )
    places: tuple[Name, ...] = field(
        "涉及乡镇和村",
        "places.yml 中的乡镇或村，村写作“乡镇名+村名”",
        example="[某某镇某某村]",
        default=(),
        ref="place",
        aliases=("涉及乡镇村", "实施地点涉及村", "涉及村"),
    )
    body: Annotated[str, AfterValidator(_clean_body)] = field(
        "建设内容",
        "第二个 --- 之后的正文，按正式文件照抄",
        default="",
        exclude=True,
        notice="always",
        stages=WHAT_IS_BUILT,
        aliases=("建设内容及规模", "建设任务", "主要建设内容", "建设规模及内容"),
    )
    investment: Wan = field(
        "规划投资",
        "只写数字，单位是万元，按原文照抄小数位，不写“万元”",
        example="1150",
        notice="always",
        aliases=("投资(万元)", "投资", "规划投资", "资金规模", "投资金额", "金额", "资金", "计划投资"),
        document=True,
    )
    total_investment: Wan | None = field(
        "项目总投资",
        "多年实施的项目的总投资（万元），原文写了才填写；本计划安排的资金写在规划投资（investment）",
        example="3000",
        default=None,
        notice="stated",
        aliases=("总投资",),
        document=True,
    )
    funding: tuple[Funding, ...] = field(
        "资金来源及规模",
        "一项或多项来源，合计必须等于规划投资；分批下达时每批一项，写 batch 和 date",
        min_length=1,
        notice="always",
        stages=THE_MONEY,
        aliases=("资金来源",),
        document=True,
    )
    line_items: tuple[LineItem, ...] = field(
        "投资明细",
        "原文把投资分成有价格的明细时填写，每项 name、amount、quantity、unit；合计须等于规划投资",
        default=(),
        notice="stated",
        stages=BEFORE_WORK,
        aliases=("建设内容明细", "资金明细"),
    )
    period: Name | None = field(
        "实施期限",
        "按原文填写",
        example="2025年完成建设任务",
        default=None,
        notice="always",
        stages=THE_MONEY,
        aliases=("建设期限", "完成时限"),
        document=True,
    )
    deadline: dt.date | None = field(
        "完成日期",
        "写作 YYYY-MM-DD",
        example="2025-12-31",
        default=None,
        notice="stated",
        stages=BEFORE_WORK,
        aliases=("截止日期",),
        document=True,
    )
    responsible_units: tuple[Name, ...] = field(
        "责任单位",
        "一个或多个单位，须在 units.yml 中",
        example="[县林业局]",
        min_length=1,
        notice="always",
        ref="unit",
        aliases=("主管单位", "责任部门"),
        document=True,
    )
    owner_unit: Name | None = field(
        "业主单位",
        "原文写了才填写，须在 units.yml 中",
        example="某某镇人民政府",
        default=None,
        notice="always",
        stages=THE_MONEY,
        ref="unit",
        aliases=("实施单位", "项目业主"),
        document=True,
    )
    responsible_person: Person | None = field(
        "责任人",
        "实施单位的项目责任人：name 姓名、post 职务、phone 电话（原文写了才填写）",
        example="{name: 王某某, post: 县林业局局长}",
        default=None,
        notice="always",
        aliases=("项目责任人",),
        document=True,
    )
    approval: Approval | None = field(
        "项目批复",
        "批复文号 number 和日期 date，原文写了才填写",
        example="{number: 样府发〔2025〕1号, date: 2025-02-25}",
        default=None,
        notice="stated",
        stages=("plan", "change", "completion"),
        aliases=("批复",),
    )
    subsidy_standard: Text | None = field(
        "补助标准",
        "按原文，如 每公里补助30万元",
        example="每公里补助30万元",
        default=None,
        notice="stated",
        stages=BEFORE_WORK,
        aliases=("补助标准及依据",),
    )
    targets: tuple[Target, ...] = field(
        "绩效目标",
        "一项或多项指标；可按 group（产出、效益、满意度）和 kind 分类；定性目标写 planned 不写 value",
        default=(),
        notice="always",
        stages=WHAT_IS_BUILT,
        aliases=("绩效指标", "预期目标"),
        document=True,
    )
    benefit_mechanism: Text | None = field(
        "联农带农机制",
        "分红、就业、培训等带动农户增收的方式，按原文",
        example="运营后每年按照投资3%保底分红",
        default=None,
        notice="always",
        stages=WHAT_IS_BUILT,
        aliases=("联农带农", "带农机制", "利益联结机制"),
        document=True,
    )
    beneficiaries: Beneficiaries = field(
        "受益对象", "受益村、受益户数和人数", default=Beneficiaries(), notice="stated", stages=WHAT_IS_BUILT
    )
    operation: Text | None = field(
        "运营方式",
        "项目建成后由谁、怎样运营",
        example="委托国有企业运营",
        default=None,
        notice="stated",
        stages=WHAT_IS_BUILT,
        document=True,
    )
    dividend: Dividend | None = field(
        "保底分红",
        "有保底分红时填写；网站会核对 比例 × 投资 = 每年金额",
        default=None,
        notice="stated",
        stages=WHAT_IS_BUILT,
        aliases=("分红",),
    )
    income_commitment: IncomeCommitment | None = field(
        "保底收益",
        "承诺村集体每年收益不低于多少万元（没有分红比例时）：minimum_per_year、per（village 每村／shared 合计）",
        example="{minimum_per_year: 3, per: village}",
        default=None,
        notice="stated",
        stages=WHAT_IS_BUILT,
        aliases=("村集体收益", "保底收益承诺"),
    )
    status: Status = field(
        "项目状态",
        "计划、实施中、已完工、已验收、运营中 或 已终止",
        example="计划",
        default="计划",
        aliases=("状态",),
        document=True,
    )
    notices: tuple[NoticePeriod, ...] = field(
        "公示",
        f"每个阶段的公示期一项：stage、start、end；每个阶段只写一次，公示期不少于 {MIN_NOTICE_DAYS} 天",
        default=(),
        aliases=("公示期",),
    )
    progress: tuple[Progress, ...] = field(
        "进展报告",
        "每次进展报告一项，按日期先后",
        default=(),
        skip={Surface.EXCEL: _NOT_IN_FUND_TABLE},
        provenance="county",
    )
    changes: tuple[Change, ...] = field(
        "调整变更",
        "经批准的调整每次一项：date、approval、reason、field、before、after；记录中写调整后的值",
        default=(),
        notice="stated",
        stages=("change",),
        aliases=("项目调整", "变更"),
    )
    completion: Completion | None = field(
        "完工验收",
        "完工后填写：结算 settled、管理费 management_fee、结余 surplus、去向 surplus_to、验收 accepted、accepted_by",
        default=None,
        notice="always",
        stages=("completion",),
        aliases=("竣工验收",),
        provenance="county",
    )
    review: Review | None = field(
        "绩效自评",
        "年度绩效自评：year、summary 总体完成情况、reason 偏差原因；各指标的实际值写在 targets 中",
        default=None,
        notice="always",
        stages=("review",),
        aliases=("绩效自评情况",),
        provenance="county",
    )
    dividends_paid: tuple[DividendPayment, ...] = field(
        "已支付分红",
        "每年实际支付分红后加一项；网站会与承诺的每年金额对照",
        default=(),
        skip={Surface.EXCEL: _NOT_IN_FUND_TABLE},
        provenance="county",
    )
    discrepancies: tuple[Discrepancy, ...] = field(
        "差异说明",
        "公开说明：核对不一致（check）或对某个字段的说明（field），写明类别 kind 和原因 note；网站在项目页、计划页和公示单上显示",
        default=(),
        notice="stated",
    )
    translation: Translation | None = _translation()
    source: str = field(
        "记录文件", "记录文件的路径", default="", exclude=True, public=False, skip={Surface.EXCEL: "文件路径由工具确定"}
    )

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

    @field_validator("notices")
    @classmethod
    def _one_notice_a_stage(cls, notices: tuple[NoticePeriod, ...]) -> tuple[NoticePeriod, ...]:
        stages = [n.stage for n in notices]
        for stage in stages:
            if stages.count(stage) > 1:
                raise PydanticCustomError(
                    "gs_notice_stage",
                    "“{name}”（{stage}）写了两次，每个阶段只写一次公示期 | the {stage} notice is listed twice",
                    {"stage": stage, "name": NOTICE_STAGES[stage]},
                )
        return notices

    @field_validator("changes")
    @classmethod
    def _changes_in_order(cls, entries: tuple[Change, ...]) -> tuple[Change, ...]:
        return _in_date_order(entries)

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
"""The fields of a record's front matter (Yi versions and the translation among them), in the model's order."""
"""The fields of a record's front matter, in the model's order."""
