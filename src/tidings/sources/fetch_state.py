"""A source's fetch state: which fields hold it, how one fetch is recorded in them, and the one-word health.

Refresh records each fetch here (success, not modified, failure) and saves `FETCH_STATE_FIELDS`; admin, the API
and the health figures read the field lists. The record functions only set attributes on the source they are
given (no database, settings or clock): `now`, the wait until the next fetch and the pause decision come from
the caller.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Protocol

# Sent back on the next fetch (If-None-Match, If-Modified-Since): server internals, shown in admin only.
VALIDATOR_FIELDS = ("etag", "last_modified")
# The Source fields that fetch state consists of, in the model's order.
FETCH_STATE_FIELDS = (
    *VALIDATOR_FIELDS,
    "last_fetched_at",
    "last_success_at",
    "next_fetch_at",
    "last_status",
    "last_error",
    "error_count",
    "fetch_count",
    "not_modified_count",
    "paused_reason",
)
# What readers see of it (the API's source list and health, the web page): all but the validators.
PUBLIC_FETCH_STATE_FIELDS = tuple(name for name in FETCH_STATE_FIELDS if name not in VALIDATOR_FIELDS)

# A paused source resumed by the operator: fetched at the next round, its backoff started afresh.
RESUMED: Mapping[str, object] = MappingProxyType({"paused_reason": "", "next_fetch_at": None, "error_count": 0})
_MAX_ETAG, _MAX_LAST_MODIFIED, _MAX_PAUSED_REASON = 512, 128, 500  # the model fields' max_length
_PAUSE_PREFIX = "paused after an error that retrying cannot fix: "


class HealthFacts(Protocol):
    """What the one-word health reads (a Source, or sources.health.FetchFacts)."""

    @property
    def is_active(self) -> bool: ...
    @property
    def paused_reason(self) -> str: ...
    @property
    def last_error(self) -> str: ...
    @property
    def last_success_at(self) -> datetime | None: ...


class FetchState(Protocol):
    """The fetch state fields of a Source, as the record functions set them (and its creation time)."""

    etag: str
    last_modified: str
    last_fetched_at: datetime | None
    last_success_at: datetime | None
    next_fetch_at: datetime | None
    last_status: int | None
    last_error: str
    error_count: int
    fetch_count: int
    not_modified_count: int
    paused_reason: str

    @property
    def created_at(self) -> datetime: ...


def health_word(facts: HealthFacts) -> str:
    """One word for people: disabled, paused, failing, ok or new, the first that holds in that order.

    Switched off by the operator ("disabled") comes before paused by refresh ("paused"): a disabled source
    stays unfetched whatever its pause says, and resuming it would not bring it back. Then an error since
    the last success ("failing"), a last fetch that worked ("ok"), and never fetched successfully ("new").
    """
    if not facts.is_active:
        return "disabled"
    if facts.paused_reason:
        return "paused"
    if facts.last_error:
        return "failing"
    if facts.last_success_at:
        return "ok"
    return "new"


def record_success(
    source: FetchState, *, now: datetime, status_code: int, etag: str, last_modified: str, next_fetch_in: timedelta
) -> None:
    """A fetch that brought a document: its validators are kept for the next one and the error count resets."""
    _record_fetch(source, now)
    source.etag = etag[:_MAX_ETAG]
    source.last_modified = last_modified[:_MAX_LAST_MODIFIED]
    _record_answer(source, now, status_code, next_fetch_in)


def record_not_modified(source: FetchState, *, now: datetime, status_code: int, next_fetch_in: timedelta) -> None:
    """A fetch answered "not modified" (304): a success that brought nothing new; the validators stay."""
    _record_fetch(source, now)
    source.not_modified_count += 1
    _record_answer(source, now, status_code, next_fetch_in)


def failure_number(source: FetchState) -> int:
    """Which failure in a row a failed fetch about to be recorded is (1 after a success): backoff reads it."""
    return source.error_count + 1


def failing_since(source: FetchState) -> datetime:
    """Since when the source has been failing, as far as its state tells: its last success, else its creation."""
    return source.last_success_at or source.created_at


def record_failure(
    source: FetchState,
    *,
    now: datetime,
    status_code: int | None,
    error: str,
    next_fetch_in: timedelta,
    pause: bool,
) -> None:
    """A failed fetch: the error in plain words, one more failure in a row, the retry time, and the pause
    (with the error as its reason) when retrying cannot help. The last success and validators stay."""
    _record_fetch(source, now)
    source.last_status = status_code
    source.last_error = error
    source.error_count = failure_number(source)
    source.next_fetch_at = now + next_fetch_in
    if pause:
        source.paused_reason = pause_reason(error)


def pause_reason(error: str) -> str:
    """The paused reason recorded for a fetch error that retrying cannot fix."""
    return f"{_PAUSE_PREFIX}{error}"[:_MAX_PAUSED_REASON]


def interval_in_force(source: FetchState) -> timedelta | None:
    """The interval chosen at the last successful fetch (kept when a server answers 304); None when the last
    fetch failed or none is known. Read before recording the next fetch."""
    if source.error_count == 0 and source.last_fetched_at and source.next_fetch_at:
        interval = source.next_fetch_at - source.last_fetched_at
        if interval > timedelta(0):
            return interval
    return None


def _record_fetch(source: FetchState, now: datetime) -> None:
    source.last_fetched_at = now
    source.fetch_count += 1


def _record_answer(source: FetchState, now: datetime, status_code: int, next_fetch_in: timedelta) -> None:
    source.last_success_at = now
    source.last_status = status_code
    source.last_error = ""
    source.error_count = 0
    source.next_fetch_at = now + next_fetch_in
