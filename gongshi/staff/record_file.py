"""Write record and plan files with round-trip YAML (ruamel.yaml): comments, field order and quoting stay as the
clerk wrote them, only the fields that change are rewritten, and no anchor or alias is ever written."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.representer import RoundTripRepresenter

from gongshi.money import plain


class _Representer(RoundTripRepresenter):
    """Exact numbers and no aliases: two fields with the same value are written out twice."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _decimal(representer: RoundTripRepresenter, value: Decimal) -> Any:
    text = plain(value)
    tag = "tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int"
    return representer.represent_scalar(tag, text)


_Representer.add_representer(Decimal, _decimal)
_Representer.add_representer(tuple, lambda r, v: r.represent_list(list(v)))
_Representer.add_representer(dt.date, lambda r, v: r.represent_scalar("tag:yaml.org,2002:timestamp", v.isoformat()))


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Representer = _Representer
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long Chinese line
    yaml.indent(mapping=2, sequence=4, offset=2)  # list items indented under their key, as records are written
    return yaml


def load(text: str) -> CommentedMap:
    """YAML text as a round-trip mapping (empty text: an empty mapping)."""
    data = _yaml().load(text)
    return data if data is not None else CommentedMap()


def dump(data: Any) -> str:
    stream = io.StringIO()
    _yaml().dump(data, stream)
    return stream.getvalue()


def plain_nodes(value: Any) -> Any:
    """Plain data (dicts, lists, tuples) as round-trip nodes in block style."""
    if isinstance(value, dict):
        out = CommentedMap()
        for key, item in value.items():
            out[key] = plain_nodes(item)
        return out
    if isinstance(value, (list, tuple)):
        seq = CommentedSeq(plain_nodes(item) for item in value)
        return seq
    return value


def set_field(data: CommentedMap, key: str, value: Any) -> None:
    """Set or remove (None) one top-level field, in place: its position and comments stay."""
    if value is None:
        data.pop(key, None)
    else:
        data[key] = plain_nodes(value)


def dump_fields(fields: dict[str, Any]) -> str:
    """YAML text for some top-level fields, in the given order."""
    return dump(plain_nodes(fields))


def new_record(fields: dict[str, Any], body: str) -> str:
    """A whole record file: front matter between `---` lines, then the body."""
    return f"---\n{dump_fields(fields)}---\n{body.strip()}\n" if body.strip() else f"---\n{dump_fields(fields)}---\n"


def split(text: str) -> tuple[str, str]:
    """A record's front matter and everything after its closing `---` line."""
    lines = text.split("\n")
    close = next(i for i in range(1, len(lines)) if lines[i].rstrip() == "---")  # not an indented --- in a text
    return "\n".join(lines[1:close]) + "\n", "\n".join(lines[close + 1 :])


def update_record(text: str, fields: dict[str, Any], body: str | None = None) -> str:
    """Rewrite only the given top-level fields (None removes one); comments and order elsewhere stay."""
    front, rest = split(text)
    data = load(front)
    for key, value in fields.items():
        set_field(data, key, value)
    if body is not None:
        rest = f"{body.strip()}\n" if body.strip() else ""
    return f"---\n{dump(data)}---\n{rest}"
