"""Trending's baseline, stored: the counts of the BASELINE_DAYS before the recent window, counted once per hour
and kept in taxonomy.TrendBaseline (per topic in TrendBaselineCount), so a trending read (taxonomy.trend_read)
sums only the recent window's rows and joins the topics that could trend to their stored counts (the baseline's
sum over ~14 days' rows and its count of every visible article of the window were most of the home page's and
Browse's cold time).

The baseline window ends at the whole UTC hour at or before the recent window's start (ends_at()); at most an
hour between the two windows is in neither. A stored baseline is what its window held when it was counted:
the periodic job (ops.periodic, "trend_baseline") counts the current hour's and the next hour's ahead of time;
a reader that finds none counts it and stores it. An article published in the baseline window, or turned into
a duplicate, after its baseline was counted shows in the next hour's baseline.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, connections, router, transaction
from django.utils import timezone

from tidings.taxonomy.models import ArticleTopic, TrendBaseline, TrendBaselineCount
from tidings.taxonomy.trend_counts import HOUR, floor_hour, window_counts
from tidings.taxonomy.trending import BASELINE_DAYS, RECENT_HOURS

KEEP = timedelta(days=1)  # stored baselines older than this (by ends_at) are deleted when new ones are stored

WindowCounts = Callable[..., dict[int, int]]  # (start, end, topics=None) -> visible articles per topic


@dataclass(frozen=True, slots=True)
class Baseline:
    ends_at: datetime
    articles: int  # visible articles in the window
    counts: Mapping[int, int]  # per topic


def recent_start(now: datetime) -> datetime:
    return now - timedelta(hours=RECENT_HOURS)


def ends_at(now: datetime) -> datetime:
    """The end of the baseline window for a read at `now`: the whole hour at or before the recent window's start."""
    return floor_hour(recent_start(now))


def visible_since(start: datetime) -> int:
    """Visible articles published at `start` or later: every article since then (the published_at index alone)
    less the duplicates among them (the small article_duplicate_newest index). Counting `duplicate_of IS NULL`
    directly read every article row of the window on SQLite (a partial index is not covering there)."""
    articles = _articles()
    every = articles.objects.filter(published_at__gte=start).count()
    return every - articles.objects.filter(published_at__gte=start, duplicate_of__isnull=False).count()


def visible_since_sql(start: datetime) -> tuple[str, list[Any]]:
    """visible_since(start) as an SQL expression and its parameters (the same two counts), for a reader that
    goes on in SQL (taxonomy.trend_read)."""
    articles = _articles()
    table, ops = articles._meta.db_table, connections[router.db_for_read(articles)].ops
    published = articles._meta.get_field("published_at").column
    duplicate = articles._meta.get_field("duplicate_of").column
    since = ops.adapt_datetimefield_value(start)
    every = f"SELECT COUNT(*) FROM {table} WHERE {published} >= %s"  # noqa: S608 (no input in the SQL)
    sql = f"(({every}) - ({every} AND {duplicate} IS NOT NULL))"
    return sql, [since, since]


def _articles() -> Any:
    return ArticleTopic._meta.get_field("article").related_model


def count(end: datetime, counts_of: WindowCounts = window_counts) -> Baseline:
    """The baseline window ending at `end`, counted now (`counts_of`: the per-topic counts, by default from the
    precomputed hour and day rows)."""
    start = end - timedelta(days=BASELINE_DAYS)
    total = _articles().objects.filter(duplicate_of__isnull=True, published_at__gte=start, published_at__lt=end).count()
    return Baseline(end, total, counts_of(start, end))


def stored(end: datetime) -> Baseline:
    """The stored baseline ending at `end` with its counts per topic; counted and stored first when there is none."""
    row = TrendBaseline.objects.filter(ends_at=end).values_list("pk", "articles").first()
    if row is None:
        found = count(end)
        _store(found)
        return found
    counts = TrendBaselineCount.objects.filter(baseline_id=row[0]).values_list("topic_id", "n")
    return Baseline(end, row[1], dict(counts))


def stored_total(end: datetime) -> tuple[int, int] | None:
    """(id, visible articles) of the stored baseline ending at `end` (its counts per topic are TrendBaselineCount
    rows of that id), None if there is none."""
    return TrendBaseline.objects.filter(ends_at=end).values_list("pk", "articles").first()


def store_total(end: datetime) -> tuple[int, int]:
    """stored_total(end) once it is stored: counted and stored first when there is none."""
    row = stored_total(end)
    if row is not None:
        return row
    _store(count(end))
    # Stored now, by this process or (IntegrityError in _store) by another that committed it first.
    return TrendBaseline.objects.values_list("pk", "articles").get(ends_at=end)


def _store(baseline: Baseline) -> None:
    """Keep it (another process storing the same hour first wins: both counted the same window)."""
    try:
        with transaction.atomic():
            row = TrendBaseline.objects.create(
                ends_at=baseline.ends_at, articles=baseline.articles, computed_at=timezone.now()
            )
            TrendBaselineCount.objects.bulk_create(
                [
                    TrendBaselineCount(baseline=row, topic_id=pk, n=n)
                    for pk, n in sorted(baseline.counts.items())
                    if n > 0
                ],
                batch_size=2000,
            )
    except IntegrityError:
        pass


def store_ahead(now: datetime | None = None) -> int:
    """The periodic job: count and store the baselines of this hour and the next (those not stored yet), and
    delete those older than KEEP; returns how many it stored."""
    now = now or timezone.now()
    current = ends_at(now)
    made = 0
    for end in (current, current + HOUR):
        if not TrendBaseline.objects.filter(ends_at=end).exists():
            _store(count(end))
            made += 1
    TrendBaseline.objects.filter(ends_at__lt=current - KEEP).delete()
    return made
