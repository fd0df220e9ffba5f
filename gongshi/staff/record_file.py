"""Write project record files: YAML for field values, and edits that touch only the fields that change."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import yaml

from gongshi.money import plain

_TOP_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_-]*)\s*:")


class _Dumper(yaml.SafeDumper):
    """Block-style YAML with exact numbers: a Decimal is written with its digits, never as a float."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # List items indented under their key, as the records are written by hand.
        super().increase_indent(flow, False)


def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    text = plain(value)
    tag = "tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int"
    return dumper.represent_scalar(tag, text)


_Dumper.add_representer(Decimal, _decimal)
_Dumper.add_representer(tuple, lambda d, v: d.represent_list(list(v)))
_Dumper.add_representer(dt.date, lambda d, v: d.represent_scalar("tag:yaml.org,2002:timestamp", v.isoformat()))


def dump_fields(fields: dict[str, Any]) -> str:
    """YAML text for some top-level fields, in the given order."""
    return yaml.dump(
        fields, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False, width=10**6, indent=2
    )


def new_record(fields: dict[str, Any], body: str) -> str:
    """A whole record file: front matter between `---` lines, then the body."""
    return f"---\n{dump_fields(fields)}---\n{body.strip()}\n" if body.strip() else f"---\n{dump_fields(fields)}---\n"


def update_record(text: str, fields: dict[str, Any], body: str | None = None) -> str:
    """Rewrite only the given top-level fields (comments elsewhere stay); add missing ones at the end."""
    lines = text.split("\n")
    close = next(i for i in range(1, len(lines)) if lines[i].rstrip() == "---")  # not an indented --- in a text
    front, rest = lines[1:close], lines[close + 1 :]
    for key, value in fields.items():
        block = dump_fields({key: value}).rstrip("\n").split("\n")
        span = _block(front, key)
        if span is None:
            front += block
        else:
            front[span[0] : span[1]] = block
    if body is not None:
        rest = [*body.strip().split("\n"), ""] if body.strip() else [""]
    return "\n".join(["---", *front, "---", *rest])


def _block(front: list[str], key: str) -> tuple[int, int] | None:
    """Lines [start, end) of a top-level field, without the comments that introduce the next field."""
    starts = [i for i, line in enumerate(front) if _TOP_KEY.match(line)]
    for n, start in enumerate(starts):
        if _TOP_KEY.match(front[start]).group(1) != key:
            continue
        end = starts[n + 1] if n + 1 < len(starts) else len(front)
        while end - 1 > start and (front[end - 1].startswith("#") or not front[end - 1].strip()):
            end -= 1
        return start, end
    return None
