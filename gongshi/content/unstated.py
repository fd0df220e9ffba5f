"""原文件未列明: a value the published document does not state.

A field taken from the document is declared with `field(..., document=True)`; there staff may write
`原文件未列明` instead of a value, and the model holds UNSTATED. UNSTATED is never a value: it reads as
原文件未列明, is false, and is an empty list where a list is expected, so a page shows it as not stated and a
loop over it finds nothing; arithmetic with it fails loudly. Checks that need such a value are skipped and
listed publicly (gongshi.content.audit); sums add the stated values and count the others (`known`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

NOT_STATED = "原文件未列明"
"""What staff write, and what a reader sees, where the document does not state a fact."""

T = TypeVar("T")


class Unstated:
    """The one value of a field the document does not state (a singleton: compare with `is`)."""

    _instance: Unstated | None = None

    def __new__(cls) -> Unstated:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __str__(self) -> str:
        return NOT_STATED

    def __repr__(self) -> str:
        return "UNSTATED"

    def __bool__(self) -> bool:
        return False

    def __iter__(self) -> Iterator[Any]:
        return iter(())

    def __len__(self) -> int:
        return 0

    def __copy__(self) -> Unstated:
        return self

    def __deepcopy__(self, memo: dict) -> Unstated:
        return self

    def __reduce__(self) -> tuple:
        return (Unstated, ())


UNSTATED = Unstated()


def stated(value: Any) -> bool:
    """Whether a value is stated: not UNSTATED and not absent."""
    return value is not UNSTATED and value is not None


def is_marker(value: Any) -> bool:
    """Whether staff wrote 原文件未列明 for a value."""
    return value is UNSTATED or (isinstance(value, str) and value.strip() == NOT_STATED)


def known(values: Iterable[T]) -> tuple[list[T], int]:
    """The stated values, and how many were not stated."""
    out: list[T] = []
    missing = 0
    for value in values:
        if stated(value):
            out.append(value)
        else:
            missing += 1
    return out, missing


@dataclass(frozen=True)
class Total:
    """A sum over values of which some may not be stated: the stated ones added (`amount`), how many were
    added (`counted`) and how many were not stated (`missing`). Every sum the site shows is a Total, so a page
    can say what it covers ("已列明的 N 项合计 X 万元，另有 M 项未列明") and never presents a part as the whole."""

    amount: Decimal
    counted: int
    missing: int

    @property
    def of(self) -> int:
        """How many values the sum was taken over, stated or not."""
        return self.counted + self.missing

    @property
    def complete(self) -> bool:
        """Whether every value was stated (an empty sum is complete: 0 of 0)."""
        return self.missing == 0

    @property
    def value(self) -> Decimal | Unstated:
        """The sum as a value: the amount when every value was stated, else UNSTATED (a partial sum is not
        the total; show it with what it covers)."""
        return self.amount if self.complete else UNSTATED

    def __add__(self, other: Total) -> Total:
        return Total(self.amount + other.amount, self.counted + other.counted, self.missing + other.missing)


def total(values: Iterable[Any]) -> Total:
    """The sum of the stated values (Decimal, exact) and how many were not stated; None counts as not stated."""
    amount, counted, missing = Decimal(0), 0, 0
    for value in values:
        if stated(value):
            amount += value
            counted += 1
        else:
            missing += 1
    return Total(amount, counted, missing)
