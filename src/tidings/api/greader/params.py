"""A stream request's parameters (s, xt, it, n, r, c, ot, nt), read from query values; pure."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from tidings.api.greader.ids import Position, Stream, parse_continuation, parse_count, parse_stream, parse_time
from tidings.lib.errors import InvalidInput

Values = Callable[[str], list[str]]  # a parameter's values, as QueryDict.getlist gives them

MAX_STREAMS = 50  # xt/it values read; more is no real client


@dataclass(frozen=True, slots=True)
class StreamQuery:
    stream: Stream
    count: int
    oldest_first: bool = False
    excludes: tuple[Stream, ...] = ()
    includes: tuple[Stream, ...] = ()
    newer_than: datetime | None = None  # ot: published at or after
    older_than: datetime | None = None  # nt: published before
    after: Position | None = None  # c


def first(values: Values, name: str) -> str | None:
    found = values(name)
    return found[0] if found else None


def stream_query(values: Values, *, stream: str | None, default_count: int, most: int) -> StreamQuery:
    """The query of stream/contents, stream/items/ids and the Atom stream; InvalidInput on a bad value."""

    raw_stream = stream if stream is not None else first(values, "s")
    if not raw_stream:
        raise InvalidInput("s (the stream id) is missing")
    ot, nt, c = first(values, "ot"), first(values, "nt"), first(values, "c")
    return StreamQuery(
        stream=parse_stream(raw_stream),
        count=parse_count(first(values, "n"), default=default_count, most=most),
        oldest_first=(first(values, "r") or "").strip() == "o",
        excludes=tuple(parse_stream(v) for v in values("xt")[:MAX_STREAMS] if v.strip()),
        includes=tuple(parse_stream(v) for v in values("it")[:MAX_STREAMS] if v.strip()),
        newer_than=parse_time(ot) if ot and ot.strip() and ot.strip() != "0" else None,
        older_than=parse_time(nt) if nt and nt.strip() and nt.strip() != "0" else None,
        after=parse_continuation(c) if c and c.strip() else None,
    )
