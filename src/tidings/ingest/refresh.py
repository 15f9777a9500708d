"""Edge service: refresh sources: the engine fetches and parses them (fetch → detect → parse or extract),
this stores each one's articles (ingest.store) and records its health, a batch of sources per transaction."""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connections, router, transaction
from django.db.models import Field
from django.utils import timezone

from tidings.articles.models import Article
from tidings.ingest import schedule
from tidings.ingest.engine import EngineOptions, SourceJob, fetch_batches
from tidings.ingest.parse.detect import FEED_FORMATS
from tidings.ingest.parse.document import read_document as read_document  # where it lived; some code reads it here
from tidings.ingest.store import StoreBatch, import_task_modules, store_articles
from tidings.ingest.types import FetchedSource, FetchResult, RefreshOutcome
from tidings.lib import http_async, metrics
from tidings.lib.bulk_writes import bulk_writes
from tidings.lib.errors import FetchRefused
from tidings.lib.http import HttpStatusError
from tidings.lib.urls import safe_http_url
from tidings.sources import fetch_state
from tidings.sources.fetch_state import FETCH_STATE_FIELDS
from tidings.sources.models import FullTextMode, Source
from tidings.sources.services import default_source_name

logger = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(hours=24)
KNOWN_DAYS = 60
RETRY_AFTER_STATUSES = frozenset({429, 503})
_rng = random.Random()
# Saved after every fetch: what the source says of itself (set on success), then its fetch state.
_HEALTH_FIELDS = ["kind", "name", "site_url", "language", *FETCH_STATE_FIELDS]


def refresh_source(source_id: int) -> RefreshOutcome:
    """Refresh one source (through the engine); expected errors are recorded on the source, never raised."""
    return refresh_sources([source_id])[0]


def refresh_sources(
    source_ids: list[int] | None = None, *, progress: Callable[[RefreshOutcome], None] | None = None
) -> list[RefreshOutcome]:
    """Refresh the given sources (None: every due active source) concurrently; one outcome per source.

    Outcomes come in the order the sources finish, not the order given. `progress` is called with each
    outcome as soon as it is stored (one transaction per source). Expected errors end up on the source
    (last_error, backoff, paused_reason), never raised.
    """
    if source_ids is None:
        source_ids = list(Source.objects.due().values_list("pk", flat=True))
    source_ids = list(dict.fromkeys(source_ids))  # each source once, in the order given
    sources = {s.pk: s for s in Source.objects.filter(pk__in=source_ids)}
    outcomes: list[RefreshOutcome] = []

    def done(outcome: RefreshOutcome) -> None:
        outcomes.append(outcome)
        if progress is not None:
            progress(outcome)

    jobs = []
    for source_id in source_ids:
        source = sources.get(source_id)
        if source is None:
            done(RefreshOutcome(source_id, "failed", error=f"there is no source #{source_id}"))
        elif not source.url:
            done(RefreshOutcome(source_id, "failed", error="this source has no web address to fetch"))
        else:
            jobs.append(source)
    if not jobs:
        return outcomes
    options = EngineOptions(
        full_text=settings.FETCH_FULL_TEXT,
        full_text_max_pages=settings.FETCH_FULL_TEXT_MAX_PAGES,
    )
    known = _known_keys([s.pk for s in jobs if s.full_text != FullTextMode.NEVER]) if options.full_text else {}
    work = [SourceJob(s.pk, s.url, s.etag, s.last_modified, frozenset(known.get(s.pk, ())), s.full_text) for s in jobs]
    with bulk_writes(router.db_for_write(Article)):
        # While a forked fetching process starts, this one imports what enqueueing on commit needs.
        limits = http_async.limits_from_settings()
        for batch in fetch_batches(work, limits, options, while_forking=import_task_modules):
            for outcome in record_outcomes([(sources[fetched.source_id], fetched) for fetched in batch]):
                done(outcome)
    return outcomes


def _known_keys(source_ids: list[int]) -> dict[int, set[str]]:
    """Recently stored GUIDs and canonical URLs per source, so full text is fetched for new items only.

    Only the last KNOWN_DAYS: memory stays bounded however long the history; an older item still in a
    feed costs at most one page fetch, and storage dedups it anyway.
    """
    known: dict[int, set[str]] = {}
    since = timezone.now() - timedelta(days=KNOWN_DAYS)
    recent = Article.objects.order_by().filter(fetched_at__gte=since)
    for start in range(0, len(source_ids), 500):
        chunk = source_ids[start : start + 500]
        for source_id, guid, url in recent.filter(source_id__in=chunk).values_list("source_id", "guid", "url"):
            keys = known.setdefault(source_id, set())
            if guid:
                keys.add(guid)
            if url:
                keys.add(url)
    return known


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
    outcome = _record_outcome(source, fetched, now=now, rng=rng, batch=batch)
    metrics.count_fetch(outcome.status, fetched.error)
    return outcome


def _record_outcome(
    source: Source,
    fetched: FetchedSource,
    *,
    now: datetime | None = None,
    rng: random.Random | None = None,
    batch: StoreBatch | None = None,
) -> RefreshOutcome:
    now = now or timezone.now()
    rng = rng or _rng
    save = _saver(batch)
    previous_interval = fetch_state.interval_in_force(source) or _default_interval()
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
    fetch_state.record_success(
        source,
        now=now,
        status_code=fetched.fetched.status_code,
        etag=fetched.fetched.etag,
        last_modified=fetched.fetched.last_modified,
        next_fetch_in=interval,
    )
    save(source, fields)


def _record_not_modified(
    source: Source, fetched: FetchResult, now: datetime, interval: timedelta, save: Save
) -> RefreshOutcome:
    fetch_state.record_not_modified(source, now=now, status_code=fetched.status_code, next_fetch_in=interval)
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
    error_count = fetch_state.failure_number(source)
    delay = schedule.backoff_delay(error_count, base=_default_interval(), rng=rng, retry_after=retry_after)
    pause = isinstance(err, FetchRefused) or schedule.should_pause(
        status_code=status_code,
        permanent=err.permanent,
        error_count=error_count,
        failing_since=fetch_state.failing_since(source),
        now=now,
    )
    fetch_state.record_failure(
        source, now=now, status_code=status_code, error=err.message, next_fetch_in=delay, pause=pause
    )
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
