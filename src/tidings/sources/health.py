"""A source's health in figures: last fetch and status, the error in plain words, 304 rate, items per day.

`compute_health` is pure (values in, a value out, `now` passed in); `source_health` is the edge that reads
the database for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from http import HTTPStatus

from django.utils import timezone

from tidings.articles.models import Article
from tidings.sources.fetch_state import PUBLIC_FETCH_STATE_FIELDS, health_word
from tidings.sources.models import Source

ITEMS_WINDOW = timedelta(days=7)
MIN_WINDOW = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class FetchFacts:
    """What a source records about its fetches (copied from the model, so the computation stays pure): its
    id, whether it is active, its creation time and `PUBLIC_FETCH_STATE_FIELDS`."""

    source_id: int
    is_active: bool
    created_at: datetime
    last_fetched_at: datetime | None
    last_success_at: datetime | None
    next_fetch_at: datetime | None
    last_status: int | None
    last_error: str
    error_count: int
    fetch_count: int
    not_modified_count: int
    paused_reason: str


@dataclass(frozen=True, slots=True)
class SourceHealth:
    """Health figures for people and programs; `state` is fetch_state.health_word: disabled, paused, failing,
    ok or new."""

    source_id: int
    state: str
    last_fetched_at: datetime | None
    last_success_at: datetime | None
    last_status: int | None
    last_status_text: str
    last_error: str
    error_count: int
    fetch_count: int
    not_modified_count: int
    not_modified_rate: float | None
    items_last_7_days: int
    items_per_day: float
    next_fetch_at: datetime | None
    paused_reason: str


def facts_of(source: Source) -> FetchFacts:
    """The fetch facts a Source row holds."""
    return FetchFacts(
        source_id=source.pk,
        is_active=source.is_active,
        created_at=source.created_at,
        **{name: getattr(source, name) for name in PUBLIC_FETCH_STATE_FIELDS},
    )


def count_recent_items(source_id: int, *, since: datetime) -> int:
    """Articles of this source fetched at or after `since` (one COUNT query)."""
    return Article.objects.filter(source_id=source_id, fetched_at__gte=since).count()


def compute_health(facts: FetchFacts, *, recent_items: int, now: datetime) -> SourceHealth:
    """Health from fetch facts and the number of items fetched in the last `ITEMS_WINDOW`.

    Items per day divide by the window, or by the source's age when it is younger (at least one day),
    so a source added yesterday is not reported at a seventh of its real rate.
    """
    window = min(ITEMS_WINDOW, max(now - facts.created_at, MIN_WINDOW))
    rate = facts.not_modified_count / facts.fetch_count if facts.fetch_count else None
    return SourceHealth(
        source_id=facts.source_id,
        state=health_word(facts),
        last_fetched_at=facts.last_fetched_at,
        last_success_at=facts.last_success_at,
        last_status=facts.last_status,
        last_status_text=status_text(facts.last_status),
        last_error=facts.last_error,
        error_count=facts.error_count,
        fetch_count=facts.fetch_count,
        not_modified_count=facts.not_modified_count,
        not_modified_rate=round(min(rate, 1.0), 4) if rate is not None else None,
        items_last_7_days=recent_items,
        items_per_day=round(recent_items / (window / timedelta(days=1)), 2),
        next_fetch_at=None if facts.paused_reason or not facts.is_active else facts.next_fetch_at,
        paused_reason=facts.paused_reason,
    )


def status_text(status: int | None) -> str:
    """'304 Not Modified'; '' when no status was received (for example a refused or timed-out fetch)."""
    if status is None:
        return ""
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"HTTP {status}"


def source_health(source: Source, *, now: datetime | None = None) -> SourceHealth:
    """The health of one source as of `now` (default: the current time)."""
    now = now or timezone.now()
    return compute_health(
        facts_of(source), recent_items=count_recent_items(source.pk, since=now - ITEMS_WINDOW), now=now
    )
