"""What the approved changes (调整变更) leave in force. A record holds each field's value after its latest
change; a commitment to villages (保底分红) is a promise of its own: an approved change of the investment does
not change it, only a change of the dividend itself does."""

from __future__ import annotations

from decimal import Decimal

from pydantic_core import PydanticCustomError

from gongshi.content.model import Project
from gongshi.content.unstated import Unstated
from gongshi.money import parse_decimal


def sets_dividend(field: str) -> bool:
    """Whether a change names the dividend (the whole group or one of its fields)."""
    return field == "dividend" or field.startswith("dividend.")


def dividend_basis(project: Project) -> Decimal | Unstated:
    """The investment the dividend is reckoned on: the one in force when the dividend was last set. That is the
    investment as first approved, unless a change of the dividend itself comes after changes of the investment:
    then the investment after those. Without investment changes it is the record's investment."""
    moves = [c for c in project.changes if c.field == "investment"]
    if not moves:
        return project.investment
    value = change_amount(moves[0].before)
    basis = value
    for change in project.changes:
        if change.field == "investment":
            value = change_amount(change.after)
        elif sets_dividend(change.field):
            basis = value
    return basis if basis is not None else project.investment  # a value in words: the chain check reports it


def change_amount(text: str | None) -> Decimal | None:
    """A change's before or after value as an amount; None when it is not written, or written in words."""
    try:
        return parse_decimal(text) if text is not None else None
    except (ValueError, ArithmeticError, PydanticCustomError):  # written in words: the chain check says so
        return None
