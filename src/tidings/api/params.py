"""Turn query and path text into values or lookups; bad text raises InvalidInput with a message."""

from __future__ import annotations

from datetime import UTC, datetime, time, tzinfo

from django.db.models import Q
from django.utils.dateparse import parse_date, parse_datetime

from tidings.lib.errors import InvalidInput

MAX_ID = 2**63 - 1


def parse_since(raw: str, tz: tzinfo) -> datetime:
    """An ISO date or date-time; a date means its midnight and a naive time is read in `tz`."""
    text = raw.strip()
    try:
        moment = parse_datetime(text)
        if moment is None:
            day = parse_date(text)
            if day is not None:
                moment = datetime.combine(day, time.min)
    except ValueError:
        moment = None
    if moment is None:
        raise InvalidInput(f"since={raw!r} is not an ISO date or date-time (e.g. 2026-11-25 or 2026-11-25T08:00:00Z)")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    try:
        moment.astimezone(UTC)  # what the database layer will do; years near 1 or 9999 overflow
    except OverflowError:
        raise InvalidInput(f"since={raw!r} is outside the dates Tidings can store") from None
    return moment


def as_id(key: str) -> int | None:
    """The id written in `key`, or None when `key` is not a whole number a database can hold."""
    if key.isascii() and key.isdigit():
        value = int(key)
        if 1 <= value <= MAX_ID:
            return value
    return None


def id_or_slug(key: str) -> Q:
    """A lookup for a model addressed by id or slug."""
    number = as_id(key)
    return Q(pk=number) if number is not None else Q(slug=key)


def qcode_or_slug(key: str) -> Q:
    """A lookup for a category by IPTC qcode ("medtop:04000000"), slug or id."""
    lookup = Q(qcode=key) | Q(slug=key)
    number = as_id(key)
    return lookup | Q(pk=number) if number is not None else lookup
