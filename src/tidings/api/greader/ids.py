"""Google Reader identifiers and parameters, pure: item ids in all their forms, stream ids, times, counts.

Item ids are article primary keys. Apps send them as the long form `tag:google.com,2005:reader/item/<hex>`
(padded to 16 digits or not), as 16 bare hex digits, or as a decimal (16 characters always read as hex).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from tidings.lib.errors import InvalidInput

ITEM_PREFIX = "tag:google.com,2005:reader/item/"
MAX_ID = 2**63 - 1
SHOWN = 80  # characters of a bad value quoted back in an error message

STATE_PREFIX = re.compile(r"^user/(?:-|[0-9]{1,20})/state/com\.google/(?P<name>.+)$")
LABEL_PREFIX = re.compile(r"^user/(?:-|[0-9]{1,20})/label/(?P<name>.+)$", re.DOTALL)
HEX16 = re.compile(r"^[0-9a-fA-F]{16}$")
DECIMAL = re.compile(r"^-?[0-9]{1,20}$")
HEX = re.compile(r"^[0-9a-fA-F]{1,16}$")


def shown(value: str) -> str:
    return repr(value[:SHOWN])


def long_item_id(article_id: int) -> str:
    return f"{ITEM_PREFIX}{article_id:016x}"


def short_item_id(article_id: int) -> str:
    return str(article_id)


def parse_item_id(value: str) -> int:
    """The article id in any of the forms apps send; InvalidInput otherwise."""
    text = value.strip()
    if text.startswith(ITEM_PREFIX):
        digits = text[len(ITEM_PREFIX) :]
        if not HEX.match(digits):
            raise InvalidInput(f"item id {shown(value)} does not end in hexadecimal digits")
        number = int(digits, 16)
    elif HEX16.match(text):
        number = int(text, 16)
    elif DECIMAL.match(text):
        number = int(text)  # negative: Google Reader's signed form of an id above 2**63, never one of ours
    else:
        raise InvalidInput(f"{shown(value)} is not an item id")
    if not 0 < number <= MAX_ID:
        raise InvalidInput(f"item id {shown(value)} is out of range")
    return number


class StreamKind(StrEnum):
    STATE = "state"  # user/-/state/com.google/<name>: reading-list, read, starred, kept-unread, …
    LABEL = "label"  # user/-/label/<name>: a folder
    FEED = "feed"  # feed/<source id or feed address>


READING_LIST = "reading-list"
READ = "read"
STARRED = "starred"
KEPT_UNREAD = "kept-unread"
FRESH = "fresh"


@dataclass(frozen=True, slots=True)
class Stream:
    kind: StreamKind
    value: str

    @property
    def id(self) -> str:
        return stream_id(self)


def stream_id(stream: Stream) -> str:
    if stream.kind is StreamKind.STATE:
        return f"user/-/state/com.google/{stream.value}"
    if stream.kind is StreamKind.LABEL:
        return f"user/-/label/{stream.value}"
    return f"feed/{stream.value}"


def state(name: str) -> Stream:
    return Stream(StreamKind.STATE, name)


def feed(source_id: int) -> Stream:
    return Stream(StreamKind.FEED, str(source_id))


def label(name: str) -> Stream:
    return Stream(StreamKind.LABEL, name)


def parse_stream(value: str) -> Stream:
    """A stream id as apps send it (`user/-/…` or `user/<id>/…`, `feed/…`); InvalidInput otherwise."""
    text = value.strip()
    if "\x00" in text or len(text) > 2200:
        raise InvalidInput(f"{shown(value)} is not a stream id")
    if text.startswith("feed/") and len(text) > len("feed/"):
        return Stream(StreamKind.FEED, text[len("feed/") :])
    if match := STATE_PREFIX.match(text):
        return Stream(StreamKind.STATE, match["name"])
    if match := LABEL_PREFIX.match(text):
        return Stream(StreamKind.LABEL, match["name"])
    raise InvalidInput(f"{shown(value)} is not a stream id (use feed/…, user/-/label/… or user/-/state/com.google/…)")


def feed_source_id(stream: Stream) -> int | None:
    """The source id of `feed/<id>`, or None when the stream names a feed by its address."""
    return int(stream.value) if stream.value.isascii() and stream.value.isdigit() and len(stream.value) < 19 else None


@dataclass(frozen=True, slots=True)
class TagChange:
    """What edit-tag does to each item: True sets, False clears, None leaves alone."""

    read: bool | None = None
    starred: bool | None = None


IGNORED_STATES = frozenset(
    {"tracking-kept-unread", "broadcast", "like", "fresh", "reading-list", "tracking-body-link-used"}
)


def tag_change(add: list[Stream], remove: list[Stream]) -> TagChange:
    """The read/starred change asked for by edit-tag's `a` and `r` tags.

    Adding `read` or removing `kept-unread` marks read; removing `read` or adding `kept-unread` marks unread.
    Labels on single items and sharing states are accepted and ignored (Tidings keeps folders per source).
    """
    read: set[bool] = set()
    starred: set[bool] = set()
    for streams, adding in ((add, True), (remove, False)):
        for stream in streams:
            if stream.kind is not StreamKind.STATE or stream.value in IGNORED_STATES:
                continue
            if stream.value == READ:
                read.add(adding)
            elif stream.value == KEPT_UNREAD:
                read.add(not adding)
            elif stream.value == STARRED:
                starred.add(adding)
            else:
                raise InvalidInput(f"cannot add or remove the tag {shown(stream.id)}")
    if len(read) > 1:
        raise InvalidInput("the same request marks items both read and unread")
    if len(starred) > 1:
        raise InvalidInput("the same request both stars and unstars items")
    return TagChange(read=next(iter(read), None), starred=next(iter(starred), None))


def parse_time(value: str) -> datetime:
    """Seconds since the epoch, or microseconds when 16 digits or more (as `ts` is sent); InvalidInput otherwise."""
    text = value.strip()
    if not text.isascii() or not text.isdigit() or len(text) > 20:
        raise InvalidInput(f"{shown(value)} is not a time in seconds since 1970")
    number = int(text)
    seconds = number / 1_000_000 if len(text) >= 16 else float(number)
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        raise InvalidInput(f"{shown(value)} is out of range for a time") from None


def parse_count(value: str | None, *, default: int, most: int) -> int:
    """`n`: how many items, between 1 and `most`; InvalidInput when it is not a number."""
    if value is None or not value.strip():
        return default
    text = value.strip()
    if not DECIMAL.match(text):
        raise InvalidInput(f"n={shown(value)} is not a number")
    return max(1, min(most, int(text)))


def usec(when: datetime) -> int:
    return int(when.timestamp()) * 1_000_000 + when.microsecond


@dataclass(frozen=True, slots=True)
class Position:
    """Where a page ended: the last item's publication time (µs) and id, for the next page's `c`."""

    published_usec: int
    article_id: int


def continuation(position: Position) -> str:
    return f"{position.published_usec}-{position.article_id}"


def parse_continuation(value: str) -> Position:
    text = value.strip()
    match = re.fullmatch(r"(-?[0-9]{1,20})-([0-9]{1,19})", text)
    if match is None:
        raise InvalidInput(f"c={shown(value)} is not a continuation this server gave")
    published, article_id = int(match[1]), int(match[2])
    if abs(published) > 2**62 or article_id > MAX_ID:
        raise InvalidInput(f"c={shown(value)} is not a continuation this server gave")
    return Position(published, article_id)


def from_usec(value: int) -> datetime:
    try:
        return datetime.fromtimestamp(value // 1_000_000, tz=UTC).replace(microsecond=value % 1_000_000)
    except (OverflowError, OSError, ValueError):
        raise InvalidInput("the continuation is out of range") from None
