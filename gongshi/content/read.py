"""Read content files: UTF-8 text, YAML and front matter, with the line of every field."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from gongshi.content.slips import date_hint, empty_list_then_entries, find_slips
from gongshi.errors import ContentError
from gongshi.text import UNSAFE, excerpt, find_unsafe

Path_ = tuple[str | int, ...]

# Content files are a few kilobytes; the gazetteer of a large county is a few hundred.
MAX_FILE_BYTES = 2_000_000
# A YAML alias bomb expands to millions of nodes: a few aliases, each naming a list of aliases. Nodes written
# out in the file are bounded by its size (MAX_FILE_BYTES); only nodes reached again through an alias are
# counted against this limit, so a large gazetteer without aliases is never taken for a bomb.
MAX_NODES = 20_000
_FLOAT_TAG = "tag:yaml.org,2002:float"
_INT_TAG = "tag:yaml.org,2002:int"
# A number means one thing: ASCII decimal digits with an optional sign and point. YAML 1.1 also reads `0x78`
# as 120, `1_20.5` as 120.5 and `1:20` as 80 (base 60): refused, with the line. It reads `017` as 15 (octal):
# kept as written, the text "017", which a text field keeps and an amount reads as 17.
MAX_NUMBER_CHARS = 40  # far beyond any amount (gongshi.money.MAX_WAN) or measure; Python's int() stops at 4,300
_DECIMAL_TEXT = re.compile(r"[+-]?[0-9]+(?:\.[0-9]*)?|[+-]?\.[0-9]+")
_LEADING_ZERO = re.compile(r"[+-]?0[0-9]+")  # YAML 1.1 octal; kept as written: `number: 017` is "017"
# libyaml's parser when PyYAML has it (same nodes and line marks, many times faster for thousands of records).
_COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_ALLOWED_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    _FLOAT_TAG,
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


@dataclass
class Document:
    """Parsed YAML data plus the line where each field path starts."""

    file: str
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1

    def line_of(self, path: Path_) -> int | None:
        """Line of the nearest field on `path` that has one."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), None)


class SourceError(Exception):
    """A file that cannot be read as content at all: its first problem, and all of them when there are several."""

    def __init__(self, error: ContentError, errors: list[ContentError] | None = None):
        self.error = error
        self.errors = errors or [error]
        super().__init__(error.format())


def read_text(path: Path, shown: str) -> str:
    """Read a file as UTF-8, explaining GBK and other encodings to staff."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:  # YAML parses ~50,000 values a second: a huge file would look like a hang
        raise SourceError(
            ContentError(
                shown,
                None,
                "(文件)",
                "文件过大",
                "file is too large",
                found=f"{size:,} 字节 (bytes)",
                expected=f"不超过 {MAX_FILE_BYTES:,} 字节",
                hint="一个记录文件只写一个项目；大的数据文件放在 content/sources/ 中。",
            )
        )
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        hint = "用编辑器“另存为”并选择 UTF-8 编码（例如 VS Code 右下角的编码按钮，或记事本“另存为 → 编码 UTF-8”）。"
        try:
            raw.decode("gb18030")
            found = "GBK/GB2312/GB18030 编码 (GBK-encoded text)"
        except UnicodeDecodeError:
            found = "非 UTF-8 字节 (bytes that are not UTF-8)"
        raise SourceError(
            ContentError(
                shown,
                line,
                "(文件编码)",
                "文件不是 UTF-8 编码",
                "file is not UTF-8 encoded",
                found=found,
                expected="UTF-8",
                hint=hint,
            )
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


_NO_COLON = re.compile(r"^(?P<lead>[ ]*(?:-[ ]+)?)(?P<key>[A-Za-z_][A-Za-z0-9_-]*)[ ]+(?P<rest>\S.*)$")


def _missing_colon(text: str, shown: str, first_line: int, index: int) -> ContentError:
    """A field written without its colon (`investment 50`): named on its own line, not on the next one where
    YAML notices it, with the line as it should be."""
    written = text.split("\n")[index].rstrip()
    match = _NO_COLON.match(written)
    return ContentError(
        shown,
        first_line + index,
        "(YAML)",
        "这一行缺少冒号：字段名后面应为英文冒号和一个空格",
        "this line lacks the colon after its field name",
        found=written.strip(),
        expected=f"{match['key']}: {match['rest']}" if match else "字段名: 值",
        hint="字段名和值之间写英文冒号“:”再加一个空格。",
    )


def parse_yaml(text: str, shown: str, first_line: int = 1) -> Document:
    """Parse one YAML document into plain data, keeping the line of each field."""
    _reject_unsafe(text, shown, first_line)
    _reject_tabs(text, shown, first_line)
    slips = find_slips(text, shown, first_line)
    if slips:
        raise SourceError(slips[0], slips)
    try:
        root = yaml.compose(text, Loader=_COMPOSER)
    except RecursionError:
        # PyYAML composes recursively: [[[[…]]]] a few thousand deep would crash the build.
        raise SourceError(
            ContentError(
                shown,
                _deepest_line(text, first_line),
                "(YAML)",
                "YAML 嵌套层数过多",
                "YAML is nested too deeply",
                found="数千层 [ 或 {",
                expected="普通的字段和列表",
            )
        ) from None
    except yaml.YAMLError as exc:
        if (emptied := empty_list_then_entries(text, shown, first_line)) is not None:
            raise SourceError(emptied) from None
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        if getattr(exc, "context", None) == "while scanning a simple key" and exc.context_mark:  # type: ignore[attr-defined]
            raise SourceError(_missing_colon(text, shown, first_line, exc.context_mark.line)) from None  # type: ignore[attr-defined]
        line = first_line + mark.line if mark else first_line
        raise SourceError(
            ContentError(
                shown,
                line,
                "(YAML)",
                "YAML 格式错误",
                "YAML syntax error",
                found=str(getattr(exc, "problem", None) or exc),
                expected="正确缩进的“字段: 值”格式 (key: value, consistent indentation)",
                hint="检查这一行和上一行的缩进是否对齐、冒号后是否有空格、引号是否成对。",
            )
        ) from None
    doc = Document(file=shown, data=None)
    if root is None:
        doc.data = {}
        return doc
    builder = _Builder(doc, first_line)
    try:
        doc.data = builder.build(root, ())
    except RecursionError:
        raise SourceError(
            ContentError(
                shown,
                _deepest_line(text, first_line),
                "(YAML)",
                "YAML 嵌套层数过多",
                "YAML is nested too deeply",
                found="数百层 [ 或 {",
                expected="普通的字段和列表",
            )
        ) from None
    return doc


def _reject_unsafe(text: str, shown: str, first_line: int) -> None:
    """The text gate before YAML reads a character: PyYAML stops with a traceback on a raw control or
    non-character, and counts U+0085, U+2028 and U+2029 as line breaks that no editor shows. The error names
    the line and the field it is in (found by reading the file with the character replaced)."""
    bad = find_unsafe(text)
    if bad is None:
        return
    line_start = text.rfind("\n", 0, bad.position) + 1
    line = first_line + text.count("\n", 0, line_start)
    field = "(YAML)"
    try:
        lines = parse_yaml(UNSAFE.sub("\ufffd", text), shown, first_line).lines
        starts = [(at, len(path), path) for path, at in lines.items() if at <= line and path]
        if starts:
            path = max(starts, key=lambda s: s[:2])[2]
            cut = next((i for i, p in enumerate(path) if "\ufffd" in str(p)), len(path))  # the key itself: its parent
            field = dotted(path[:cut]) if cut else "(YAML)"
    except SourceError:
        pass
    zh, en = bad.message
    text_line = text[line_start:].split("\n", 1)[0]
    found = excerpt(text_line, bad.position - line_start)
    raise SourceError(ContentError(shown, line, field, zh, en, found=found, expected="删除这个字符", hint=UNSAFE_HINT))


UNSAFE_HINT = "从网页、PDF 或聊天软件复制文字时常会带进这类看不见的字符；删除后重新输入这几个字。"


def _deepest_line(text: str, first_line: int) -> int:
    """The line where [ and { nesting is deepest (best effort, for the error message)."""
    depth, deepest, where = 0, 0, first_line
    for number, line in enumerate(text.split("\n"), start=first_line):
        for char in line:
            depth += (char in "[{") - (char in "]}")
            if depth > deepest:
                deepest, where = depth, number
    return where


def _reject_tabs(text: str, shown: str, first_line: int) -> None:
    for number, line in enumerate(text.split("\n"), start=first_line):
        stripped = line.lstrip(" ")
        if stripped.startswith("\t"):
            raise SourceError(
                ContentError(
                    shown,
                    number,
                    "(YAML)",
                    "缩进使用了制表符 (Tab)",
                    "indentation uses a tab character",
                    found="Tab",
                    expected="空格 (spaces)",
                    hint="把行首的 Tab 换成两个空格。",
                )
            )


class _Builder:
    """Turns a composed YAML node tree into dicts, lists and scalars."""

    def __init__(self, doc: Document, first_line: int):
        self.doc = doc
        self.first_line = first_line
        self.count = 0  # nodes built again because an alias named them
        self.seen: set[int] = set()  # composed nodes already built (an alias is the same node object)
        self.constructor = yaml.SafeLoader("")

    def _line(self, node: Node) -> int:
        return self.first_line + node.start_mark.line

    def _fail(self, node: Node, path: Path_, zh: str, en: str, found: str, expected: str, hint: str | None = None):
        raise SourceError(
            ContentError(
                self.doc.file, self._line(node), dotted(path), zh, en, found=found, expected=expected, hint=hint
            )
        )

    def build(self, node: Node, path: Path_, aliased: bool = False) -> Any:
        """The value of `node`; `aliased` once it is reached through an alias (an alias names a node already
        built: the same node object), so that only expanded nodes count against MAX_NODES."""
        if aliased or id(node) in self.seen:
            aliased = True
            self.count += 1
            if self.count > MAX_NODES:
                self._fail(
                    node,
                    path,
                    "YAML 内容过大（可能是别名/锚点展开）",
                    "YAML expands to too many nodes (alias bomb?)",
                    f"超过 {MAX_NODES} 个节点",
                    "普通的字段和列表，不使用 & 锚点和 * 别名",
                )
        else:
            self.seen.add(id(node))
        if node.tag not in _ALLOWED_TAGS:
            self._fail(
                node,
                path,
                "不支持的 YAML 标签",
                "unsupported YAML tag",
                node.tag,
                "普通文字、数字、日期、列表或字段",
                "删除以 ! 开头的标签。",
            )
        self.doc.lines.setdefault(path, self._line(node))
        if isinstance(node, MappingNode):
            return self._mapping(node, path, aliased)
        if isinstance(node, SequenceNode):
            return [self.build(item, (*path, i), aliased) for i, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _mapping(self, node: MappingNode, path: Path_, aliased: bool) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                self._fail(
                    key_node,
                    path,
                    "字段名无效",
                    "invalid field name",
                    str(key_node.value),
                    "简单的字段名，如 title",
                    "不要使用 << 合并或复杂的键。",
                )
            key = str(key_node.value)
            self._refuse_unsafe(key_node, path, key)
            if key in result:
                self._fail(
                    key_node,
                    (*path, key),
                    "字段重复出现",
                    "field appears twice",
                    key,
                    "每个字段只写一次",
                    "删除重复的一行。",
                )
            self.doc.lines[(*path, key)] = self._line(key_node)
            result[key] = self.build(value_node, (*path, key), aliased)
        return result

    def _refuse_unsafe(self, node: ScalarNode, path: Path_, text: str) -> None:
        """The text gate for keys and values written as double-quoted escapes ("\\u202e"): the raw text was
        checked before parsing (_reject_unsafe), and only a double-quoted scalar can make a new character."""
        if node.style != '"':
            return
        bad = find_unsafe(text)
        if bad:
            zh, en = bad.message
            self._fail(node, path, zh, en, excerpt(text, bad.position), "删除这个字符", UNSAFE_HINT)

    def _scalar(self, node: ScalarNode, path: Path_) -> Any:
        self._refuse_unsafe(node, path, node.value)
        if node.tag in (_FLOAT_TAG, _INT_TAG):
            # YAML floats lose cents, and YAML 1.1 has other bases: read the digits as written, in base ten.
            text = node.value
            if len(text) > MAX_NUMBER_CHARS:
                self._fail(
                    node,
                    path,
                    "数字过长",
                    "number too long",
                    excerpt(text, 0),
                    f"不超过 {MAX_NUMBER_CHARS} 个字符的数字",
                )
            if not _DECIMAL_TEXT.fullmatch(text):
                self._fail(
                    node,
                    path,
                    "数字写法无效：只写 0-9 的数字，可带正负号和小数点",
                    "invalid number: write decimal digits 0-9, with an optional sign and point",
                    text,
                    "普通的十进制数字，如 962.310194",
                    "不写十六进制（0x）、下划线、指数（e）或冒号；不以 0 开头（017 会被读作八进制）。"
                    '编号等文字请加引号，如 "017"。',
                )
            if node.tag == _FLOAT_TAG:
                return Decimal(text)
            return text if _LEADING_ZERO.fullmatch(text) else int(text)  # a text field keeps it, an amount reads 17
        try:
            return self.constructor.construct_object(node, deep=True)
        except (ValueError, yaml.YAMLError) as exc:
            self._fail(
                node,
                path,
                "取值无效（例如不存在的日期）",
                "invalid value (e.g. a date that does not exist)",
                node.value,
                "有效的值，日期写作 YYYY-MM-DD，如 2025-02-25",
                date_hint(node.value) or str(exc),
            )


def split_front_matter(text: str, shown: str) -> tuple[str, str, int]:
    """Split `---` front matter from the Markdown body: (yaml, body, body's first line)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise SourceError(
            ContentError(
                shown,
                1,
                "(front matter)",
                "文件开头缺少 `---`",
                "file does not start with `---`",
                found=lines[0][:40] if lines else "(空文件)",
                expected="第一行只写 ---",
                hint="项目文件的第一行写 ---，然后是各字段，再用一行 --- 结束，后面是建设内容。",
            )
        )
    for index in range(1, len(lines)):
        if lines[index].rstrip() == "---":  # at the line's start: an indented --- is a line of a field's text
            front = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1 :])
            return front, body, index + 2
    raise SourceError(
        ContentError(
            shown,
            len(lines),
            "(front matter)",
            "字段区缺少结尾的 `---`",
            "front matter has no closing `---`",
            found="文件结束 (end of file)",
            expected="字段之后单独一行 ---",
            hint="在最后一个字段之后、建设内容之前加一行 ---。",
        )
    )


def read_yaml_file(path: Path, shown: str) -> Document:
    """Read a YAML content file."""
    return parse_yaml(read_text(path, shown), shown)


def read_record_file(path: Path, shown: str) -> Document:
    """Read a Markdown record: front matter fields plus body."""
    text = read_text(path, shown)
    front, body, body_line = split_front_matter(text, shown)
    doc = parse_yaml(front, shown, first_line=2)
    doc.body = body.strip("\n")
    doc.body_line = body_line
    return doc


def dotted(path: Path_) -> str:
    """A field path as staff read it: targets[2].value."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(根)"
