"""Edge service: refresh one source: fetch → detect → parse or extract → store, then record its health."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from tidings.ingest.extract import NOT_AN_ARTICLE, extract_article, find_feed_links
from tidings.ingest.fetch import fetch_source_url
from tidings.ingest.parse.detect import FEED_FORMATS, detect_format
from tidings.ingest.parse.feeds import parse_feed
from tidings.ingest.service import store_articles
from tidings.ingest.types import ExtractedArticle, FetchResult, ParsedFeed
from tidings.lib.errors import FetchRefused, ParseError, TidingsError
from tidings.lib.http import HttpStatusError
from tidings.sources.models import Source
from tidings.sources.services import default_source_name

logger = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(hours=24)
PAUSING_STATUSES = frozenset({410})
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
    """Refresh one source; expected errors are recorded on the source, never raised."""
    source = Source.objects.filter(pk=source_id).first()
    if source is None:
        return RefreshOutcome(source_id, "failed", error=f"there is no source #{source_id}")
    if not source.url:
        return RefreshOutcome(source_id, "failed", error="this source has no web address to fetch")
    now = timezone.now()
    source.last_fetched_at = now
    source.fetch_count += 1
    try:
        fetched = fetch_source_url(source.url, etag=source.etag, last_modified=source.last_modified)
        if fetched.not_modified:
            return _record_not_modified(source, fetched, now)
        kind, feed, items = read_document(fetched)
        stored = store_articles(source, items)
    except TidingsError as err:
        return _record_failure(source, err, now)
    _record_success(source, fetched, kind, feed, items, now)
    logger.info(
        "source_refreshed source=%s kind=%s items=%d created=%d duplicates=%d",
        source.pk,
        kind,
        len(items),
        len(stored.created),
        stored.duplicates,
    )
    return RefreshOutcome(source.pk, "ok", created=len(stored.created), duplicates=stored.duplicates)


def read_document(fetched: FetchResult) -> tuple[str, ParsedFeed | None, tuple[ExtractedArticle, ...]]:
    """Detect the fetched document's format and read it into articles; raises ParseError."""
    kind = detect_format(fetched.content_type, fetched.content)
    if kind in FEED_FORMATS:
        feed = parse_feed(fetched.content, url=fetched.url, kind=kind)
        return kind, feed, feed.items
    if kind == "html":
        try:
            return kind, None, (extract_article(fetched.content, url=fetched.url),)
        except ParseError:
            feeds = find_feed_links(fetched.content, url=fetched.url)
            if feeds:
                raise ParseError(f"{NOT_AN_ARTICLE}; it links to a feed you can add instead: {feeds[0]}") from None
            raise
    if not fetched.content.strip():
        raise ParseError("this address returned an empty document")
    described = fetched.content_type.split(";", 1)[0].strip() or "a document"
    raise ParseError(f"this address returned {described}, which is neither a feed nor a web page")


def next_fetch_after(now: datetime, error_count: int, base_seconds: int) -> datetime:
    """Exponential backoff: base, then twice, four times ... that for consecutive errors, capped at 24 hours."""
    delay = timedelta(seconds=base_seconds * (2 ** min(max(error_count, 0), 16)))
    return now + min(delay, MAX_BACKOFF)


def _record_success(
    source: Source,
    fetched: FetchResult,
    kind: str,
    feed: ParsedFeed | None,
    items: tuple[ExtractedArticle, ...],
    now: datetime,
) -> None:
    source.kind = kind
    title = feed.title if feed is not None else next((item.outlet for item in items if item.outlet), "")
    if feed is not None:
        source.site_url = source.site_url or feed.site_url[:2048]
        source.language = source.language or feed.language[:16]
    if title and source.name == default_source_name(source.url):
        source.name = title[:200]
    source.etag = fetched.etag[:512]
    source.last_modified = fetched.last_modified[:128]
    source.last_success_at = now
    source.last_status = fetched.status_code
    source.last_error = ""
    source.error_count = 0
    source.next_fetch_at = next_fetch_after(now, 0, settings.REFRESH_INTERVAL_SECONDS)
    source.save(update_fields=_HEALTH_FIELDS)


def _record_not_modified(source: Source, fetched: FetchResult, now: datetime) -> RefreshOutcome:
    source.not_modified_count += 1
    source.last_success_at = now
    source.last_status = fetched.status_code
    source.last_error = ""
    source.error_count = 0
    source.next_fetch_at = next_fetch_after(now, 0, settings.REFRESH_INTERVAL_SECONDS)
    source.save(update_fields=_HEALTH_FIELDS)
    logger.info("source_not_modified source=%s", source.pk)
    return RefreshOutcome(source.pk, "not_modified")


def _record_failure(source: Source, err: TidingsError, now: datetime) -> RefreshOutcome:
    status_code = err.status_code if isinstance(err, HttpStatusError) else None
    source.last_status = status_code
    source.last_error = err.message
    source.error_count += 1
    source.next_fetch_at = next_fetch_after(now, source.error_count - 1, settings.REFRESH_INTERVAL_SECONDS)
    pause = status_code in PAUSING_STATUSES or isinstance(err, FetchRefused)
    if pause:
        source.paused_reason = f"paused after an error that retrying cannot fix: {err.message}"[:500]
    source.save(update_fields=_HEALTH_FIELDS)
    logger.warning(
        "source_refresh_failed source=%s error_count=%d permanent=%s paused=%s error=%r",
        source.pk,
        source.error_count,
        err.permanent,
        pause,
        err.message,
    )
    return RefreshOutcome(source.pk, "paused" if pause else "failed", error=err.message)
