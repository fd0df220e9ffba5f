"""The `gongshi` command: check content without building the site."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gongshi.errors import ContentErrors
from gongshi.load import load_site
from gongshi.village_map import read_outline


def _check(args: argparse.Namespace) -> int:
    content = Path(args.content)
    try:
        site = load_site(content, Path(args.root) if args.root else None)
        read_outline(site, site.config.map)  # the map's outline file is content too
    except ContentErrors as exc:
        if args.format == "github":
            for error in exc.errors:
                print(error.format_github())
        print(exc.report(), file=sys.stderr)
        return 1
    notes = f"，{len(site.notes)} 条公开的差异说明" if site.notes else ""
    print(f"内容检查通过 / content OK: {len(site.plans)} 个计划，{len(site.projects)} 个项目{notes}。")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gongshi", description="公示网站生成工具 / transparency site generator")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="检查 content/ 中的记录 / validate content without building")
    check.add_argument("--content", default="content", help="内容目录 (default: content)")
    check.add_argument("--root", default=None, help="错误信息中路径的起点 (default: parent of --content)")
    check.add_argument("--format", choices=["text", "github"], default="text",
                       help="github: 输出 GitHub Actions 注释 / print ::error annotations")
    check.set_defaults(run=_check)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
