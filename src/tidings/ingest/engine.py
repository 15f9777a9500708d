"""The refresh engine: fetch many sources concurrently, parse them, store a batch of sources per transaction.

Many sources (offload.ForkedFetchSide): a forked process runs the event loop that fetches (httpx over
aiohttp, global and per-host limits) and parses (small documents in the loop's thread, large ones and full
text extraction in a thread), on the second core; this process only stores. A few sources
(ThreadFetchSide): the event loop runs in a thread of this process, parsing in a small thread pool. Either
way the calling thread does every database read and write, each source in its own savepoint, so the ORM
never runs inside the event loop.
"""

from __future__ import annotations

import asyncio
import dataclasses
import gc
import logging
import os
import queue
import time
from collections.abc import Awaitable, Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import connections, router
from django.utils import timezone

from tidings.articles.models import Article
from tidings.ingest.dedup import canonicalize_url
from tidings.ingest.fetch import ACCEPT, PAGE_ACCEPT, to_fetch_result
from tidings.ingest.offload import (
    DONE,
    DocumentReader,
    FetchSide,
    ForkedFetchSide,
    ThreadFetchSide,
    forking_helps,
)
from tidings.ingest.parse.detect import FEED_FORMATS
from tidings.ingest.parse.document import items_keys
from tidings.ingest.refresh import FetchedSource, RefreshOutcome, pack_fetched, record_outcomes, unpack_fetched
from tidings.ingest.service import import_task_modules
from tidings.ingest.types import ExtractedArticle
from tidings.lib import http_async
from tidings.lib.bulk_writes import bulk_writes
from tidings.lib.errors import FetchError, TidingsError
from tidings.sources.models import FullTextMode, Source

logger = logging.getLogger(__name__)

SUMMARY_MAX_CHARS = 400  # an item whose text is shorter than this carries a summary, not the article
SUMMARY_SHARE = 0.6  # a feed is summary-only when this share of its items are summaries
PARSE_WORKERS = 2
STORE_BATCH = 32  # sources stored in one transaction at most (those ready together)
GATHER_SECONDS = 0.2  # how long a store batch waits for more sources after its first
FETCH_PROCESS_MIN_SOURCES = 16  # from this many sources, fetching and parsing run in a forked process
# Processes that fetching process forks to extract article pages (full text): trafilatura is CPU-bound, and
# the storing process leaves most of its core idle meanwhile.
EXTRACT_WORKERS = max(1, min(4, os.cpu_count() or 1))
KNOWN_DAYS = 60


@dataclass(frozen=True, slots=True)
class SourceJob:
    """What the fetching side needs to know about one source."""

    source_id: int
    url: str
    etag: str = ""
    last_modified: str = ""
    known: frozenset[str] = frozenset()  # canonical URLs and GUIDs already stored for this source
    full_text: str = FullTextMode.AUTO  # the source's setting: auto, always or never


@dataclass(frozen=True, slots=True)
class EngineOptions:
    full_text: bool = True
    full_text_max_pages: int = 30  # per source and refresh: only new items are fetched


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
        for batch in fetch_batches(work, http_async.limits_from_settings(), options):
            for outcome in record_outcomes([(sources[fetched.source_id], fetched) for fetched in batch]):
                done(outcome)
    return outcomes


def fetch_all(jobs: list[SourceJob], limits: http_async.FetchLimits, options: EngineOptions) -> Iterable[FetchedSource]:
    """Run the fetching side in its own event loop thread; yield each source's result as it completes."""
    for batch in fetch_batches(jobs, limits, options, max_batch=1, gather_seconds=0.0):
        yield from batch


def fetch_batches(
    jobs: list[SourceJob],
    limits: http_async.FetchLimits,
    options: EngineOptions,
    *,
    max_batch: int = STORE_BATCH,
    gather_seconds: float = GATHER_SECONDS,
) -> Iterable[list[FetchedSource]]:
    """Run the fetching side in its own event loop; yield the sources' results as they complete, as lists:
    the first one ready, and those that come within `gather_seconds` of it (at most `max_batch`), to store
    together. When fetching is the slower side, the store would only wait anyway; gathering a few more
    sources first makes fewer, larger transactions (each commit and each queued task has a fixed cost).

    The event loop runs in a thread, or, for many sources, in a process forked from this one (its own
    core: fetching and parsing there, storing here). Back-pressure: at most `max_pending` sources are
    fetched or waiting to be stored at once, so a slow database never lets parsed feeds pile up in memory.
    """
    max_pending = max(4 * limits.concurrency, 64)

    def run(pending: asyncio.Semaphore, put: Callable[[object], None], reader: DocumentReader) -> Awaitable[None]:
        return _fetch_all(jobs, limits, options, pending, put, reader)

    # The heap so far (Django, the apps, their modules) stays out of garbage collection while this runs:
    # every collection would scan it again and again for nothing (~10% of a large refresh's CPU).
    gc.freeze()
    cpu_at_start = _cpu_seconds()
    side: FetchSide | None = None
    try:
        if len(jobs) >= FETCH_PROCESS_MIN_SOURCES and forking_helps():
            _close_idle_connections()  # the fetching process must inherit no open database connection
            side = ForkedFetchSide(
                run,
                max_pending=max_pending,
                pack=pack_fetched,
                unpack=unpack_fetched,
                extract_workers=EXTRACT_WORKERS if options.full_text else 0,
            )
            import_task_modules()  # while the fetching process gets its first documents
            gc.freeze()  # the modules just imported too
        else:
            side = ThreadFetchSide(run, sources=len(jobs), max_pending=max_pending, before_fork=_close_idle_connections)
        finished = False
        waited = 0.0
        while not finished:
            batch: list[FetchedSource] = []
            started = time.perf_counter()
            item = side.take(block=True)
            waited += time.perf_counter() - started
            gather_until = time.perf_counter() + gather_seconds
            while True:
                if item is DONE:
                    finished = True
                    break
                batch.append(item)  # type: ignore[arg-type]
                if len(batch) >= max_batch:
                    break
                left = gather_until - time.perf_counter()
                try:
                    item = side.take(block=left > 0, timeout=max(left, 0.0))
                except queue.Empty:
                    break
            if batch:
                yield batch
            side.stored(len(batch))
        # Which side held the refresh back: this process's CPU time during the refresh and its time waiting
        # for results, next to the fetching process's CPU time (when one was forked).
        fetch_cpu = side.cpu_seconds
        logger.info(
            "refresh_processes sources=%d store_cpu_s=%.2f store_waited_s=%.2f fetch_process_cpu_s=%s",
            len(jobs),
            _cpu_seconds() - cpu_at_start,
            waited,
            "n/a" if fetch_cpu is None else f"{fetch_cpu:.2f}",
        )
    finally:
        if side is not None:
            side.close()
        gc.unfreeze()


def _cpu_seconds() -> float:
    """This process's CPU time so far (user and system; not its children's)."""
    times = os.times()
    return times.user + times.system


def _close_idle_connections() -> None:
    """Close the database connections outside a transaction (reopened on their next query)."""
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close()


async def _fetch_all(
    jobs: list[SourceJob],
    limits: http_async.FetchLimits,
    options: EngineOptions,
    pending: asyncio.Semaphore,
    put: Callable[[object], None],
    reader: DocumentReader,
) -> None:
    with ThreadPoolExecutor(max_workers=PARSE_WORKERS, thread_name_prefix="tidings-parse") as pool:
        async with http_async.AsyncFetcher(limits) as fetcher:

            async def one(job: SourceJob) -> None:
                await pending.acquire()  # released by the storing thread once this source is stored
                put(await _fetch_source(fetcher, pool, job, options, reader))

            await asyncio.gather(*(one(job) for job in jobs))


async def _fetch_source(
    fetcher: http_async.AsyncFetcher,
    pool: ThreadPoolExecutor,
    job: SourceJob,
    options: EngineOptions,
    reader: DocumentReader,
) -> FetchedSource:
    loop = asyncio.get_running_loop()
    try:
        response = await fetcher.get(job.url, etag=job.etag, last_modified=job.last_modified, accept=ACCEPT)
        fetched = to_fetch_result(response, etag=job.etag, last_modified=job.last_modified)
        logger.info(
            "source_fetched source=%s url=%s final_url=%s status=%s bytes=%d",
            job.source_id,
            job.url,
            fetched.url,
            fetched.status_code,
            len(fetched.content),
        )
        if fetched.not_modified:
            return FetchedSource(job.source_id, fetched=fetched, headers=response.headers)
        document = await reader.read(pool, fetched)  # a worker process on a large refresh, else a thread
        kind, feed, items, keys = document.kind, document.feed, document.items, document.keys
        pages = 0
        if options.full_text and kind in FEED_FORMATS and wants_full_text(job.full_text, items):
            items, pages = await _add_full_text(fetcher, pool, job, items, options.full_text_max_pages, reader)
            # The merged items' keys; their HTML is the feed's, sanitized by parse_feed, or none (merged text).
            keys = await loop.run_in_executor(pool, partial(items_keys, html_sanitized=True), items)
        return FetchedSource(
            job.source_id,
            fetched=fetched,
            headers=response.headers,
            moved_to=response.permanent_url,
            kind=kind,
            feed=feed,
            items=items,
            full_text_pages=pages,
            keys=keys,
        )
    except TidingsError as err:
        return FetchedSource(job.source_id, error=err)
    except Exception as exc:  # a bug must not stop the other 999 feeds; it is logged with its traceback
        logger.exception("source_fetch_crashed source=%s url=%s", job.source_id, job.url)
        return FetchedSource(job.source_id, error=FetchError(f"an unexpected error stopped this refresh ({exc!r})"))


def wants_full_text(mode: str, items: tuple[ExtractedArticle, ...]) -> bool:
    """The source's full-text setting applied to a feed: always, never, or auto (when it is summary-only)."""
    if mode == FullTextMode.ALWAYS:
        return any(item.url for item in items)
    if mode == FullTextMode.NEVER:
        return False
    return is_summary_only(items)


def is_summary_only(items: tuple[ExtractedArticle, ...]) -> bool:
    """True when most items carry only a short summary (or nothing) instead of the article's text."""
    with_links = [item for item in items if item.url]
    if not with_links:
        return False
    short = sum(len(item.body_text) < SUMMARY_MAX_CHARS for item in with_links)
    return short >= SUMMARY_SHARE * len(with_links)


def merge_full_text(item: ExtractedArticle, page: ExtractedArticle) -> ExtractedArticle:
    """The feed item with the page's text; the feed keeps its headline, GUID, link, date and categories."""
    if len(page.body_text) <= len(item.body_text):
        return item
    return dataclasses.replace(
        item,
        paragraphs=page.paragraphs,
        body_html="",
        standfirst=item.standfirst or page.standfirst,
        author=item.author or page.author,
        image_url=item.image_url or page.image_url,
        image_caption=page.image_caption or item.image_caption,
        image_credit=page.image_credit or item.image_credit,
        language=item.language or page.language,
        published_at=item.published_at or page.published_at,
    )


async def _add_full_text(
    fetcher: http_async.AsyncFetcher,
    pool: ThreadPoolExecutor,
    job: SourceJob,
    items: tuple[ExtractedArticle, ...],
    max_pages: int,
    reader: DocumentReader,
) -> tuple[tuple[ExtractedArticle, ...], int]:
    """Fetch and extract the pages of new summary items (same fetcher, same limits); failures keep the summary.
    Pages are extracted by the reader's extraction workers when it has them, else in `pool`'s threads."""
    wanted = [
        n
        for n, item in enumerate(items)
        if item.url
        and (job.full_text == FullTextMode.ALWAYS or len(item.body_text) < SUMMARY_MAX_CHARS)
        and not _is_known(item, job.known)
    ][:max_pages]

    async def page(n: int) -> ExtractedArticle:
        item = items[n]
        try:
            response = await fetcher.get(item.url, accept=PAGE_ACCEPT)
            extracted = await reader.extract(pool, _extract_page, response.content, response.url)
        except TidingsError as err:
            logger.info("full_text_failed source=%s url=%s error=%r", job.source_id, item.url, err.message)
            return item
        return merge_full_text(item, extracted)

    pages = await asyncio.gather(*(page(n) for n in wanted))
    merged = list(items)
    for n, item in zip(wanted, pages, strict=True):
        merged[n] = item
    return tuple(merged), len(wanted)


def _extract_page(content: bytes, url: str) -> ExtractedArticle:
    from tidings.ingest.parse.extract import extract_article  # imported on first use: trafilatura is slow to import

    return extract_article(content, url=url)


def _is_known(item: ExtractedArticle, known: frozenset[str]) -> bool:
    return bool((item.guid and item.guid in known) or canonicalize_url(item.url) in known)


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
