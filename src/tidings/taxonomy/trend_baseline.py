"""Trending's baseline, stored: the counts of the BASELINE_DAYS before the recent window, counted once per hour
and kept in taxonomy.TrendBaseline, so a trending read (web.catalog) sums only the recent window's rows and
reads one small row for the rest (the baseline's sum over ~14 days' rows and its count of every visible article
of the window were most of the home page's and Browse's cold time).

The baseline window ends at the whole UTC hour at or before the recent window's start (ends_at()); at most an
hour between the two windows is in neither. A stored baseline is what its window held when it was counted:
the periodic job (ops.periodic, "trend_baseline") counts the current hour's and the next hour's ahead of time;
a reader that finds none counts it and stores it. An article published in the baseline window, or turned into
a duplicate, after its baseline was counted shows in the next hour's baseline.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from tidings.taxonomy.models import ArticleTopic, TrendBaseline
from tidings.taxonomy.trend_counts import HOUR, floor_hour, window_counts
from tidings.taxonomy.trending import BASELINE_DAYS, RECENT_HOURS

KEEP = timedelta(days=1)  # stored baselines older than this (by ends_at) are deleted when new ones are stored

WindowCounts = Callable[..., dict[int, int]]  # (start, end, topics=None) -> visible articles per topic


@dataclass(frozen=True, slots=True)
class Baseline:
    ends_at: datetime
    articles: int  # visible articles in the window
    counts: Mapping[int, int]  # per topic


class _StoredCounts(Mapping[int, int]):
    """A stored baseline's counts as they are kept (JSON: topic ids as text), read by topic id: a trending read
    looks up only the few topics that could trend, instead of converting every topic of twelve days (~15,000
    at 10,000 articles a day) to a dict of ints first."""

    __slots__ = ("_kept",)

    def __init__(self, kept: dict[str, int]) -> None:
        self._kept = kept

    def __getitem__(self, pk: int) -> int:
        return int(self._kept[str(pk)])

    def get(self, pk: int, default: Any = None) -> Any:  # type: ignore[override]
        found = self._kept.get(str(pk))
        return default if found is None else int(found)

    def __iter__(self) -> Iterator[int]:
        return (int(pk) for pk in self._kept)

    def __len__(self) -> int:
        return len(self._kept)


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


def _articles() -> Any:
    return ArticleTopic._meta.get_field("article").related_model


def count(end: datetime, counts_of: WindowCounts = window_counts) -> Baseline:
    """The baseline window ending at `end`, counted now (`counts_of`: the per-topic counts, by default from the
    precomputed hour and day rows)."""
    start = end - timedelta(days=BASELINE_DAYS)
    total = _articles().objects.filter(duplicate_of__isnull=True, published_at__gte=start, published_at__lt=end).count()
    return Baseline(end, total, counts_of(start, end))


def stored(end: datetime) -> Baseline:
    """The stored baseline ending at `end`; counted and stored first when there is none."""
    row = TrendBaseline.objects.filter(ends_at=end).values_list("articles", "counts").first()
    if row is not None:
        return Baseline(end, row[0], _StoredCounts(row[1]))
    found = count(end)
    _store(found)
    return found


def _store(baseline: Baseline) -> None:
    """Keep it (another process storing the same hour first wins: both counted the same window)."""
    try:
        with transaction.atomic():
            TrendBaseline.objects.create(
                ends_at=baseline.ends_at,
                articles=baseline.articles,
                counts={str(pk): n for pk, n in baseline.counts.items()},
                computed_at=timezone.now(),
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
