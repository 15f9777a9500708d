"""Positions in newest-first lists for keyset pagination: a (time, id) pair as short opaque text, and the
filters that read the rows after or before one.

    cursor = encode(Position(article.published_at, article.pk))     # -> "MTc2NTA5ODg4MDAwMDAwMC40Mg"
    rows.filter(older_than(decode(cursor)))                          # the next page: an index range, no OFFSET

A list ordered by (time desc, id desc) reads the rows after a position with `time <= t AND (time < t OR
id < k)`: the first half bounds the index range (PostgreSQL and SQLite both seek on it), the second breaks ties.
decode() raises InvalidInput on text it did not make.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db.models import Q

from tidings.lib.errors import InvalidInput

MAX_ID = 2**63 - 1
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICRO = timedelta(microseconds=1)
_SHAPE = re.compile(r"(-?\d{1,17})\.(\d{1,19})")
_LONGEST = 64


@dataclass(frozen=True, slots=True)
class Position:
    """Where a row stands in a newest-first list: its time and id."""

    at: datetime
    pk: int


def encode(position: Position) -> str:
    micros = (position.at - _EPOCH) // _MICRO
    return base64.urlsafe_b64encode(f"{micros}.{position.pk}".encode()).decode().rstrip("=")


def decode(text: str) -> Position:
    """The position a cursor from encode() holds; InvalidInput for anything else."""
    problem = InvalidInput(f"cursor={text[:80]!r} is not a cursor this list gave; start again from the first page")
    if not text or len(text) > _LONGEST or not text.isascii():
        raise problem
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode("ascii")
    except (binascii.Error, ValueError):
        raise problem from None
    found = _SHAPE.fullmatch(raw)
    if found is None:
        raise problem
    pk = int(found.group(2))
    if not 1 <= pk <= MAX_ID:
        raise problem
    try:
        at = _EPOCH + int(found.group(1)) * _MICRO
    except OverflowError:
        raise problem from None
    if not 1 < at.year < 9999:
        raise problem
    return Position(at, pk)


def older_than(position: Position, time_field: str = "published_at", id_field: str = "pk") -> Q:
    """Rows after `position` in (time desc, id desc) order."""
    return Q(**{f"{time_field}__lte": position.at}) & (
        Q(**{f"{time_field}__lt": position.at}) | Q(**{f"{id_field}__lt": position.pk})
    )


def newer_than(position: Position, time_field: str = "published_at", id_field: str = "pk") -> Q:
    """Rows before `position` in (time desc, id desc) order."""
    return Q(**{f"{time_field}__gte": position.at}) & (
        Q(**{f"{time_field}__gt": position.at}) | Q(**{f"{id_field}__gt": position.pk})
    )
