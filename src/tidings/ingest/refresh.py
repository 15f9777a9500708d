"""Edge service: refresh one source: fetch → detect → parse or extract → store, then record its health."""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, cast

from django.conf import settings
from django.db import IntegrityError, connections, router, transaction
from django.db.models import Field
from django.utils import timezone

from tidings.ingest import schedule
from tidings.ingest.offload import portable_exception, restore_exception
from tidings.ingest.parse.detect import FEED_FORMATS
from tidings.ingest.parse.document import read_document as read_document  # where it lived; some code reads it here
from tidings.ingest.store import StoreBatch, store_articles
from tidings.ingest.types import ExtractedArticle, FetchResult, ItemKeys, ParsedFeed
from tidings.lib.errors import FetchRefused, TidingsError
from tidings.lib.http import HttpStatusError
from tidings.lib.urls import safe_http_url
from tidings.sources.models import Source
from tidings.sources.services import default_source_name

logger = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(hours=24)
RETRY_AFTER_STATUSES = frozenset({429, 503})
_rng = random.Random()
_HEALTH_FIELDS = [
    "kind",
    "name",
    "site_url",
    "language",
    "etag",
    "last_modified",
    "last_fetched_at",
    "last_success_at",
    "next_fetch_at",
    "last_status",
    "last_error",
    "error_count",
    "fetch_count",
    "not_modified_count",
    "paused_reason",
]


@dataclass(frozen=True, slots=True)
class FetchedSource:
    """What the fetching side gives for one source: a fetched and parsed document, or an error."""

    source_id: int
    fetched: FetchResult | None = None
    error: TidingsError | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    moved_to: str = ""  # the new URL after permanent redirects only
    kind: str = ""
    feed: ParsedFeed | None = None
    items: tuple[ExtractedArticle, ...] = ()
    full_text_pages: int = 0
    keys: tuple[ItemKeys, ...] = ()  # each item's store keys when worked out while parsing (else by the store)


@dataclass(frozen=True, slots=True)
class RefreshOutcome:
    """What one refresh did, for commands and logs; `error` is in plain words."""

    source_id: int
    status: str  # "ok", "not_modified", "failed" or "paused"
    created: int = 0
    duplicates: int = 0
    error: str = ""

    @property
    def failed(self) -> bool:
        return self.status in {"failed", "paused"}


def refresh_source(source_id: int) -> RefreshOutcome:
    """Refresh one source (through the engine); expected errors are recorded on the source, never raised."""
    from tidings.ingest.engine import refresh_sources

    return refresh_sources([source_id])[0]


def pack_fetched(fetched: object) -> object:
    """A FetchedSource ready to cross from a fetching process: its error as plain parts (an error class
    with keyword-only arguments does not unpickle), without the document's bytes (already read)."""
    assert isinstance(fetched, FetchedSource)
    error = portable_exception(fetched.error) if fetched.error is not None else None
    document = fetched.fetched
    if document is not None:  # storing needs its status and validators only
        document = replace(document, content=b"")
    return replace(fetched, fetched=document, error=None), error


def unpack_fetched(packed: object) -> FetchedSource:
    fetched, error = cast(tuple[FetchedSource, Any], packed)
    return fetched if error is None else replace(fetched, error=cast(TidingsError, restore_exception(error)))


def record_outcomes(batch: Sequence[tuple[Source, FetchedSource]]) -> list[RefreshOutcome]:
    """`record_outcome` for several sources in one transaction (one commit); each is still all or nothing.

    Each source's store runs in its own savepoint, so a conflict fails that source alone, as it would
    on its own; the batch commits together, and a kill before the commit loses the batch whole. The new
    articles of the batch are queued for near-duplicate linking and enrichment together (StoreBatch).
    """
    if len(batch) == 1:
        return [record_outcome(*batch[0])]
    stores = StoreBatch()
    with transaction.atomic():
        outcomes = [record_outcome(source, fetched, batch=stores) for source, fetched in batch]
        save_health_many(stores.health)
        transaction.on_commit(stores.enqueue)  # after every store's own on-commit additions
    return outcomes


def save_health_many(updates: Sequence[tuple[Source, Sequence[str]]]) -> None:
    """`source.save(update_fields=fields)` for many sources: one UPDATE statement run for all the sources
    that change the same fields (executemany), the values prepared by their fields as save() prepares them.
    Source has no save signals to miss, and a saved source always has its slug (Source.save's addition)."""
    groups: dict[tuple[str, ...], list[Source]] = {}
    for source, names in updates:
        groups.setdefault(tuple(names), []).append(source)
    connection = connections[router.db_for_write(Source)]
    meta, quote = Source._meta, connection.ops.quote_name
    for field_names, sources in groups.items():
        columns: list[Field[Any, Any]] = [meta.get_field(name) for name in field_names]  # type: ignore[misc]
        assignments = ", ".join(f"{quote(str(field.column))} = %s" for field in columns)
        # Only the model's own table and column names are formatted in; every value is a parameter.
        sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(str(meta.pk.column))} = %s"  # noqa: S608
        rows = [
            [field.get_db_prep_save(getattr(source, field.attname), connection) for field in columns] + [source.pk]
            for source in sources
        ]
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)


def next_fetch_after(now: datetime, error_count: int, base_seconds: int) -> datetime:
    """Backoff without jitter: base, then twice, four times ... that for consecutive errors, capped at 24 hours."""
    delay = timedelta(seconds=base_seconds * (2 ** min(max(error_count, 0), 16)))
    return now + min(delay, MAX_BACKOFF)


def record_outcome(
    source: Source,
    fetched: FetchedSource,
    *,
    now: datetime | None = None,
    rng: random.Random | None = None,
    batch: StoreBatch | None = None,
) -> RefreshOutcome:
    """Store what one fetch gave and the source's health, in one transaction (a kill loses nothing half-done)."""
    now = now or timezone.now()
    rng = rng or _rng
    save = _saver(batch)
    previous_interval = _previous_interval(source)
    source.last_fetched_at = now
    source.fetch_count += 1
    try:
        with transaction.atomic():
            if fetched.error is not None:
                return _record_failure(source, fetched, now, rng, save)
            assert fetched.fetched is not None
            max_age = schedule.parse_max_age(fetched.headers.get("cache-control", ""))
            if fetched.fetched.not_modified:
                interval = schedule.success_interval(None, default=previous_interval, max_age_seconds=max_age)
                return _record_not_modified(source, fetched.fetched, now, interval, save)
            stored = store_articles(
                source,
                fetched.items,
                keys=fetched.keys or None,
                batch=batch,
                html_sanitized=fetched.kind in FEED_FORMATS,  # parse_feed sanitized them
            )
            gap = schedule.publishing_gap((item.published_at for item in fetched.items), now=now)
            interval = schedule.success_interval(gap, default=_default_interval(), max_age_seconds=max_age)
            _record_success(source, fetched, now, interval, save)
    except IntegrityError as exc:  # another process stored the same articles at the same moment
        logger.warning("source_store_conflict source=%s error=%r", source.pk, str(exc))
        return RefreshOutcome(source.pk, "failed", error="another refresh stored these articles at the same time")
    logger.info(
        "source_refreshed source=%s kind=%s items=%d created=%d duplicates=%d full_text_pages=%d",
        source.pk,
        fetched.kind,
        len(fetched.items),
        len(stored.created),
        stored.duplicates,
        fetched.full_text_pages,
    )
    return RefreshOutcome(source.pk, "ok", created=len(stored.created), duplicates=stored.duplicates)


Save = Callable[[Source, list[str]], None]


def _saver(batch: StoreBatch | None) -> Save:
    """How a source's health is saved: now, or with the rest of the batch (save_health_many, before its commit).
    A new address is saved now, inside the source's own savepoint: it may collide with another source's."""

    def save(source: Source, fields: list[str]) -> None:
        if batch is None or "url" in fields:
            source.save(update_fields=fields)
        else:
            batch.health.append((source, fields))

    return save


def _default_interval() -> timedelta:
    return timedelta(seconds=settings.REFRESH_INTERVAL_SECONDS)


def _previous_interval(source: Source) -> timedelta:
    """The interval chosen at the last successful fetch (kept when the server answers 304)."""
    if source.error_count == 0 and source.last_fetched_at and source.next_fetch_at:
        interval = source.next_fetch_at - source.last_fetched_at
        if interval > timedelta(0):
            return interval
    return _default_interval()


def _record_success(source: Source, fetched: FetchedSource, now: datetime, interval: timedelta, save: Save) -> None:
    assert fetched.fetched is not None
    feed, items = fetched.feed, fetched.items
    source.kind = fetched.kind
    title = feed.title if feed is not None else next((item.outlet for item in items if item.outlet), "")
    if feed is not None:
        source.site_url = source.site_url or safe_http_url(feed.site_url)
        source.language = source.language or feed.language[:16]
    if title and source.name in (default_source_name(source.url), source.url):
        source.name = title[:200]
    fields = list(_HEALTH_FIELDS)
    moved_to = safe_http_url(fetched.moved_to)  # the fetcher follows http(s) only; checked again as it is stored
    if moved_to and moved_to != source.url:
        if Source.objects.filter(url=moved_to).exclude(pk=source.pk).exists():
            logger.warning("source_moved_to_existing source=%s to=%s", source.pk, moved_to)
        else:
            logger.info("source_moved source=%s from=%s to=%s", source.pk, source.url, moved_to)
            source.url = moved_to
            fields.append("url")
    source.etag = fetched.fetched.etag[:512]
    source.last_modified = fetched.fetched.last_modified[:128]
    source.last_success_at = now
    source.last_status = fetched.fetched.status_code
    source.last_error = ""
    source.error_count = 0
    source.next_fetch_at = now + interval
    save(source, fields)


def _record_not_modified(
    source: Source, fetched: FetchResult, now: datetime, interval: timedelta, save: Save
) -> RefreshOutcome:
    source.not_modified_count += 1
    source.last_success_at = now
    source.last_status = fetched.status_code
    source.last_error = ""
    source.error_count = 0
    source.next_fetch_at = now + interval
    save(source, _HEALTH_FIELDS)
    logger.info("source_not_modified source=%s", source.pk)
    return RefreshOutcome(source.pk, "not_modified")


def _record_failure(
    source: Source, fetched: FetchedSource, now: datetime, rng: random.Random, save: Save
) -> RefreshOutcome:
    err = fetched.error
    assert err is not None
    status_code = err.status_code if isinstance(err, HttpStatusError) else None
    retry_after = None
    if isinstance(err, HttpStatusError) and status_code in RETRY_AFTER_STATUSES:
        retry_after = schedule.parse_retry_after(err.headers.get("retry-after", ""), now=now)
    failing_since = source.last_success_at or source.created_at
    source.last_status = status_code
    source.last_error = err.message
    source.error_count += 1
    delay = schedule.backoff_delay(source.error_count, base=_default_interval(), rng=rng, retry_after=retry_after)
    source.next_fetch_at = now + delay
    pause = isinstance(err, FetchRefused) or schedule.should_pause(
        status_code=status_code,
        permanent=err.permanent,
        error_count=source.error_count,
        failing_since=failing_since,
        now=now,
    )
    if pause:
        source.paused_reason = f"paused after an error that retrying cannot fix: {err.message}"[:500]
    save(source, _HEALTH_FIELDS)
    logger.warning(
        "source_refresh_failed source=%s error_count=%d permanent=%s paused=%s retry_in_s=%d error=%r",
        source.pk,
        source.error_count,
        err.permanent,
        pause,
        delay.total_seconds(),
        err.message,
    )
    return RefreshOutcome(source.pk, "paused" if pause else "failed", error=err.message)
