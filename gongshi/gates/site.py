"""`gongshi gates site`: the site gates on a built site, without the code tests: links, the Nu Html Checker, axe-core
and "no request to another host" in Chromium. This repository's `make gates` and every county's pull-request
workflow run it after `make site`.

    gongshi gates site [site/] [--format github] [--only links,html,browser] [--root .]
    gongshi gates requirements      # the pinned tools the gates need (the `gates` extra of gongshi)

Each failure is told in Chinese with English alongside, on the content line to change when the page is a
project's (a link written in the record's text: its line; otherwise the record's first line) or else on the
page; with --format github each is a GitHub annotation. Exit status 1 when any gate fails.
The test suite uses the same checkers (gongshi.gates.links, .nu, .browser, .pages).
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
GATES = ("links", "html", "browser")


@dataclass(frozen=True)
class Failure:
    """One gate failure: the file and line to change, and what is wrong there."""

    gate: str
    file: str
    line: int | None
    zh: str
    en: str

    def format(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: [{self.gate}] {self.zh} / {self.en}"

    def format_github(self) -> str:
        message = self.format().replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        line = f",line={self.line}" if self.line else ""
        return f"::error file={self.file}{line},title=网站检查 {self.gate}::{message}"


class Pages:
    """Which record a built page comes from, so a failure points at the record to change."""

    def __init__(self, site: Path, root: Path):
        self.site, self.root = site, root
        self.records: dict[str, str] = {}
        try:
            from gongshi.content.load import load_site

            model = load_site(root / "content", root)
        except Exception:  # the content check reports content errors; here pages are named by their path
            return
        for project in model.projects:
            self.records[f"projects/{project.id}/"] = project.source

    def where(self, page: str, needle: str | None = None) -> tuple[str, int | None]:
        """The record behind a page (and the line holding `needle` in it), or the built page itself."""
        source = self.records.get(page)
        if source is None:
            return f"site/{page}index.html" if page.endswith("/") or page == "" else f"site/{page}", None
        lines = (self.root / source).read_text(encoding="utf-8").split("\n")
        if needle:
            for number, line in enumerate(lines, start=1):
                if needle in line:
                    return source, number
        return source, 1


def check_links(site: Path, pages: Pages) -> list[Failure]:
    from gongshi.gates.links import broken_links

    out = []
    for problem in broken_links(site):
        page_file, _, rest = problem.partition(": ")
        page = page_file[: -len("index.html")] if page_file.endswith("index.html") else page_file
        ref = rest.split("'")[1] if "'" in rest else None
        file, line = pages.where(page, ref)
        out.append(Failure("links", file, line, f"链接或图片找不到：{rest}", f"broken link or asset: {rest}"))
    return out


def check_html(site: Path, pages: Pages) -> list[Failure]:
    from gongshi.gates.nu import is_material_toggle, validate

    out = []
    for message in validate(sorted(site.rglob("*.html"))):
        if is_material_toggle(message):
            continue
        page = message["url"].split(str(site.resolve()) + "/")[-1].split(str(site) + "/")[-1]
        page = page.removeprefix("file:").removesuffix("index.html")
        file, line = pages.where(page)
        out.append(
            Failure(
                "html", file, line, f"网页的 HTML 不合规范：{message['message']}", f"invalid HTML: {message['message']}"
            )
        )
    return out


def check_browser(site: Path, pages: Pages) -> list[Failure]:
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    from gongshi.gates.browser import CHROMIUM_ARGS, chromium_path, open_page, serve
    from gongshi.gates.pages import representative_pages

    out = []
    axe = Axe()
    with serve(site) as base, sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
        context = chromium.new_context(locale="zh-CN")
        for path in representative_pages(site):
            visit = open_page(context, base, path)
            visit.page.wait_for_load_state("networkidle")
            file, line = pages.where(path)
            for url in visit.other_hosts:
                out.append(Failure("browser", *pages.where(path, url), f"网页向其他网站发出请求：{url}", f"asks {url}"))
            for text in visit.console_errors:
                out.append(Failure("browser", file, line, f"网页脚本出错：{text}", f"console error: {text}"))
            results = axe.run(
                visit.page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
            )
            for violation in results.response["violations"]:
                target = " ".join(map(str, violation["nodes"][0]["target"])) if violation["nodes"] else ""
                out.append(
                    Failure(
                        "axe",
                        file,
                        line,
                        f"无障碍检查未通过（{violation['id']}）：{violation['help']} {target}",
                        f"accessibility: {violation['id']} {target}",
                    )
                )
            visit.page.close()
        context.close()
        chromium.close()
    return out


CHECKS = {"links": check_links, "html": check_html, "browser": check_browser}


def run(site: Path, root: Path, only: tuple[str, ...] = GATES) -> list[Failure]:
    """Every failure of the chosen gates on the built site."""
    pages = Pages(site, root)
    failures: list[Failure] = []
    for gate in only:
        failures += CHECKS[gate](site, pages)
    return failures


def requirements() -> list[str]:
    """The pinned requirements of the gates' tools, as gongshi's metadata declares them (the `gates` extra)."""
    found = []
    for requirement in metadata.requires("gongshi") or []:
        spec, _, marker = requirement.partition(";")
        if re.search(r"""extra\s*==\s*["']gates["']""", marker):
            found.append(spec.strip())
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="gongshi gates", description="网站检查 / the site gates")
    commands = parser.add_subparsers(dest="command", required=True)
    site_parser = commands.add_parser("site", help="检查生成的网站（链接、HTML、无障碍、外部请求）/ check a built site")
    site_parser.add_argument("site", nargs="?", default="site", help="生成的网站目录 (default: site)")
    site_parser.add_argument("--root", default=".", help="项目目录（含 content/）")
    site_parser.add_argument("--format", choices=["text", "github"], default="text")
    site_parser.add_argument("--only", default=",".join(GATES), help="links,html,browser")
    commands.add_parser("requirements", help="网站检查需要安装的软件包 / the packages the gates need")
    args = parser.parse_args(argv)
    if args.command == "requirements":
        print("\n".join(requirements()))
        return 0
    site = Path(args.site)
    if not (site / "index.html").is_file():
        print(f"没有找到生成的网站 / no built site at {site}: 先运行 make site", file=sys.stderr)
        return 2
    only = tuple(g for g in args.only.split(",") if g)
    unknown = [g for g in only if g not in CHECKS]
    if unknown:
        print(f"--only：没有这项检查 / no such gate: {', '.join(unknown)}（{', '.join(GATES)}）", file=sys.stderr)
        return 2
    try:
        failures = run(site, Path(args.root), only)
    except (ImportError, RuntimeError) as exc:  # a tool of the gates is not installed
        print(f"网站检查无法运行 / the gates cannot run: {exc}（make gates 会安装所需的软件包）", file=sys.stderr)
        return 2
    for failure in failures:
        print(failure.format_github() if args.format == "github" else failure.format())
    if failures:
        print(f"网站检查未通过：{len(failures)} 处问题 / {len(failures)} gate failure(s)", file=sys.stderr)
        return 1
    print("网站检查通过 / site gates passed: " + ", ".join(only))
    return 0


if __name__ == "__main__":
    sys.exit(main())
