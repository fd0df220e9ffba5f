"""`gongshi init DIR`: start a county's site repository from nothing.

It writes a minimal content folder (site settings, one plan whose figures all read 原文件未列明 until the
document's are filled in, an empty places list and units list), mkdocs.yml, a Makefile with the two commands,
a README, the pull-request and Pages workflows, and requirements.txt: the one pinned line that installs gongshi.
Nothing of any other county is copied; templates and standard pages come with the installed package.
"""

from __future__ import annotations

import json
import re
import shutil
import string
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from gongshi.content.unstated import NOT_STATED
from gongshi.web.theme import PACKAGE_TEMPLATES

INIT = PACKAGE_TEMPLATES / "init"
COPIED = ("Makefile", ".gitignore", ".github/workflows/pr.yml", ".github/workflows/pages.yml")
FILLED = ("mkdocs.yml", "README.md")


@dataclass(frozen=True)
class County:
    """The answers a county's site starts from."""

    county: str
    programme: str
    year: int
    code: str | None = None  # the county's 12-digit 统计用区划代码 (6 digits are padded)
    partner: str | None = None
    short: str | None = None
    office: str | None = None

    @property
    def title(self) -> str:
        return f"{self.county}{self.programme}项目公示"


PLACEHOLDER_REPOSITORY = "https://github.com/所在组织/gongshi"
"""Where the start guide and init's messages say gongshi's public repository is, until `[project.urls] Repository`
in pyproject.toml declares it (then that address is used)."""


class LocalInstall(ValueError):
    """The requirement line cannot be taken from where gongshi was installed: a folder or file on this machine."""


@dataclass(frozen=True)
class Pin:
    """The line of requirements.txt that installs gongshi, and what to tell the user about it (or None)."""

    line: str
    note: str | None = None


def public_repository(dist: metadata.Distribution) -> str | None:
    """The public git repository declared in the package metadata (`[project.urls] Repository`), or None."""
    for entry in dist.metadata.get_all("Project-URL") or []:
        label, _, url = entry.partition(",")
        if label.strip().lower() == "repository" and url.strip().startswith("https://"):
            return url.strip().removesuffix("/").removesuffix(".git")
    return None


def release_requirement(dist: metadata.Distribution | None = None) -> str:
    """The line that installs this version from the public repository at its release tag (v + version)."""
    dist = dist or metadata.distribution("gongshi")
    return f"gongshi @ git+{public_repository(dist) or PLACEHOLDER_REPOSITORY}@v{dist.version}"


def requirement(dist: metadata.Distribution | None = None) -> Pin:
    """The line of requirements.txt that installs this very gongshi on GitHub: from where it was installed (PEP 610
    direct_url.json: a git URL over https at its commit, a wheel or archive URL), else by version from PyPI.
    Installed from a local folder or file (a checkout, an editable install, `git+file://`, a wheel on disk), no
    such line exists: the public repository at the release tag when pyproject.toml declares it, else LocalInstall."""
    dist = dist or metadata.distribution("gongshi")
    direct = dist.read_text("direct_url.json")
    if not direct:
        return Pin(f"gongshi=={dist.version}")
    info = json.loads(direct)
    url, vcs = info.get("url", ""), info.get("vcs_info")
    if not url.startswith("file:"):
        if vcs and vcs.get("vcs") == "git":
            return Pin(f"gongshi @ git+{url}@{vcs['commit_id']}")
        if url and "dir_info" not in info:
            return Pin(f"gongshi @ {url}")
    where = url or "?"
    repository = public_repository(dist)
    if repository:
        line = release_requirement(dist)
        return Pin(
            line,
            f"gongshi 是从本机的 {where} 安装的，GitHub 无法从那里安装；requirements.txt 写的是发布版本：{line}"
            f" / gongshi was installed from {where}, which GitHub cannot install from; requirements.txt names the"
            " release instead (or give --requirement)",
        )
    raise LocalInstall(
        f"gongshi 是从本机的 {where} 安装的，GitHub 无法从那里安装。请用 --requirement 写明安装 gongshi 的一行，"
        f'例如 --requirement "{release_requirement(dist)}"（换成 gongshi 仓库的实际地址）。'
        f" / gongshi was installed from {where}, which GitHub cannot install from: give the line"
        " that installs it with --requirement (the public repository at a release tag, a wheel URL or a PyPI version)."
    )


def local_requirement(line: str) -> str | None:
    """Why a requirement line given by hand would not install on GitHub, or None when it may."""
    text = line.strip()
    target = text.partition("@")[2].strip() if "@" in text.split("==")[0] else ""
    if not re.match(r"gongshi\b", text):
        return "这一行应以 gongshi 开头 / the line must start with gongshi"
    if "file:" in text or target.startswith(("/", ".", "~")) or re.match(r"[A-Za-z]:\\", target):
        return "不能写本机的文件夹或文件：GitHub 无法从那里安装 / not a local path: GitHub cannot install from it"
    if PLACEHOLDER_REPOSITORY in text:
        return "请把“所在组织”换成 gongshi 仓库的实际地址 / replace the placeholder with the real repository"
    return None


def county_code(code: str | None) -> str | None:
    """A county code as 12 digits: 511132 → 511132000000; None when not given."""
    if not code:
        return None
    digits = code.strip()
    if not re.fullmatch(r"\d{6}(\d{6})?", digits):
        raise ValueError("县的统计用区划代码应为6位或12位数字 / the county code must be 6 or 12 digits")
    return digits.ljust(12, "0")


def _q(text: str) -> str:
    """A YAML string (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def site_yml(c: County) -> str:
    code = c.code or NOT_STATED
    return f"""# 网站设置。修改后运行 make site 预览。
title: {_q(c.title)}
description: {_q(f"{c.county}{c.programme}项目的计划、资金、受益村和责任单位，按官方文件逐项公开。")}
county:
  name: {_q(c.county)}
  # 12位统计用区划代码；不知道就保留“{NOT_STATED}”，不要编造。
  code: {_q(code)}
  # province: 某某省
  # city: 某某市
# 公示单位：按文件填写（如 某某县人民政府办公室）；文件没有写明的保留“{NOT_STATED}”，不要编造。
office: {_q(c.office or NOT_STATED)}
contacts:
  # 全国热线，不是文件所列：网站在号码后注明“本站添加”。不需要就删去这三行。
  - name: 全国防止返贫监测和帮扶热线
    phone: "12317"
    note: 本站添加，非原文件所列
  - name: {_q(f"{c.county}监督举报电话")}
    # 县里公布号码后填写；公布前留空，网站显示“号码待公布”。
    phone:
# 网站源代码仓库地址（https://github.com/用户/仓库）；填写后每个项目页显示“在 GitHub 上编辑此页”。
repo_url:
repo_branch: main
map:
  # 县界：运行 gongshi places --outline 生成后，按它的提示填写这三行。
  outline:
  outline_crs:
  outline_source:
  points: []
  tiles:
"""


def plan_yml(c: County) -> str:
    programme = [f"  name: {_q(c.programme)}"]
    if c.short:
        programme.append(f"  short: {_q(c.short)}")
    if c.partner:
        programme += ["  partner:", f"    name: {_q(c.partner)}", f"    full_name: {_q(c.partner)}"]
    body = "\n".join(programme)
    ns = _q(NOT_STATED)
    return f"""# 一个计划（一份正式文件）。按原文逐项填写；原文件没有写的保留 {NOT_STATED}，不要编造。
# 金额单位：万元，只写数字。字段说明见网站“填写指南 → 字段说明”。
id: "{c.year}"
title: {ns}  # 文件标题，如 某某县{c.year}年{c.programme}项目实施方案
issuer: {ns}  # 印发单位
date: {ns}  # 印发日期，写作 YYYY-MM-DD
year: {c.year}
programme:
{body}
total: {ns}  # 计划总额（万元）
funding:
  # 资金来源，一项或多项；项目记录的 funding 用这里的 id。
  - id: main
    name: {_q(f"{c.year}年{c.programme}")}
    amount: {ns}
categories:
  # 项目类别；原文件不分类时保留这一项。项目记录的 category 用这里的 id。
  - id: projects
    name: {ns}
    amount: {ns}
    count: {ns}
"""


def places_yml(c: County) -> str:
    return f"""# 乡镇和村（社区）的名单。运行 gongshi places 从国家统计局的统计用区划代码生成，不要手工编造代码。
county: {_q(c.county)}
county_code: {_q(c.code or NOT_STATED)}
source: 尚未生成：运行 gongshi places
townships: []
"""


def units_yml(c: County) -> str:
    return """# 责任单位和业主单位。项目记录里的单位名称必须在这里出现（name、full_name 或 aliases 之一）。
# id 用于网址，只用小写英文字母、数字和连字符，确定后不要修改。
units: []
#  - id: agriculture
#    name: 县农业农村局
#    full_name: 某某县农业农村局
"""


def write_site(folder: Path, c: County, pinned: str | None = None) -> list[Path]:
    """Write a new county's repository into folder (which must not exist or be empty); the files written."""
    if folder.exists() and any(folder.iterdir()):
        raise FileExistsError(folder)
    values = {"county": c.county, "title": c.title, "year": str(c.year)}
    files: dict[str, str] = {
        "content/site.yml": site_yml(c),
        f"content/plans/{c.year}.yml": plan_yml(c),
        "content/places.yml": places_yml(c),
        "content/units.yml": units_yml(c),
        "content/projects/.gitkeep": "",
        "docs/.gitkeep": "",
        "requirements.txt": "# gongshi 的版本：升级只改这一行。 / The one pinned version of gongshi.\n"
        + (pinned or requirement().line)
        + "\n",
    }
    for name in FILLED:
        files[name] = string.Template((INIT / name).read_text(encoding="utf-8")).safe_substitute(values)
    written = []
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
    for name in COPIED:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(INIT / name, path)
        written.append(path)
    return written
