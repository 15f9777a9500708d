"""Browse page data: the category tree with article counts and trending topics, in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache

from tidings.taxonomy import article_counts, trend_baseline, trend_read
from tidings.taxonomy.models import Category, CountKind, Topic
from tidings.taxonomy.trend_counts import window_counts
from tidings.taxonomy.trending import MIN_RECENT, Growth, growth_ranking

TRENDING_LIMIT = 24
TRENDING_SECONDS = 300

WindowCounts = Callable[..., dict[int, int]]  # (start, end, topics=None) -> visible articles per topic


@dataclass(frozen=True, slots=True)
class CategoryNode:
    category: Category
    article_count: int  # up to taxonomy.article_counts.COUNT_CAP
    children: tuple[CategoryNode, ...] = ()

    @property
    def more(self) -> bool:
        """The count stopped at the cap: there are at least this many."""
        return self.article_count >= article_counts.COUNT_CAP


@dataclass(frozen=True, slots=True)
class TrendingTopic:
    topic: Topic
    article_count: int  # articles naming it in the recent window
    growth: float = 1.0  # recent articles over what its earlier share predicts (smoothed)


def category_tree() -> list[CategoryNode]:
    """Top-level categories, each with its children; a count is what the category's page lists.

    Two queries: the categories, and their stored counts (taxonomy.article_counts: visible articles up to a cap;
    a category without a stored count yet is counted live).
    """
    categories = list(Category.objects.order_by("name"))
    counts = article_counts.counts(CountKind.CATEGORY.value, [c.pk for c in categories])
    children: dict[int, list[CategoryNode]] = {}
    for c in categories:
        if c.parent_id is not None:
            children.setdefault(c.parent_id, []).append(CategoryNode(c, counts.get(c.pk, 0)))
    return [
        CategoryNode(c, counts.get(c.pk, 0), tuple(children.get(c.pk, ()))) for c in categories if c.parent_id is None
    ]


def trending_topics(now: datetime, limit: int = TRENDING_LIMIT) -> list[TrendingTopic]:
    """Topics whose share of the visible articles grew most in the last RECENT_HOURS (taxonomy.trending).

    The same for every visitor: kept in the cache for TRENDING_SECONDS (the key holds the time to that
    bucket and the limit), so home and Browse pay for it once in a while, not on every page.
    """
    key = f"tidings:trending:{limit}:{int(now.timestamp()) // TRENDING_SECONDS}"
    found = cache.get(key)
    if found is None:
        found = _trending_topics(now, limit)
        cache.set(key, found, TRENDING_SECONDS)
    return list(found)


def _trending_topics(now: datetime, limit: int, counts_of: WindowCounts = window_counts) -> list[TrendingTopic]:
    """The ranked topics: by default read in SQL (taxonomy.trend_read: the recent window from the precomputed
    hour and day rows plus the exact ragged end, the baseline stored per topic, a few dozen rows back);
    `counts_of` other than window_counts (exact_counts, the definition) counts both windows with it instead."""
    ranked = trend_read.ranking(now, limit) if counts_of is window_counts else _counted_ranking(now, limit, counts_of)
    topics = Topic.objects.in_bulk([g.key for g in ranked])
    return [TrendingTopic(topics[g.key], g.recent, g.growth) for g in ranked if g.key in topics]


def _counted_ranking(now: datetime, limit: int, counts_of: WindowCounts) -> list[Growth[int]]:
    """The ranking with both windows' counts per topic from `counts_of` (bench/scale.py --compare-trending)."""
    recent_start = trend_baseline.recent_start(now)
    recent = counts_of(recent_start, None)
    if not any(n >= MIN_RECENT for n in recent.values()):
        return []  # nothing can trend: spare the other queries
    base = trend_baseline.count(trend_baseline.ends_at(now), counts_of)
    # Only a topic with MIN_RECENT recent articles can rank (growth_ranking): the others' baseline is not needed.
    counts = {pk: (n, base.counts.get(pk, 0)) for pk, n in recent.items() if n >= MIN_RECENT}
    return growth_ranking(counts, trend_baseline.visible_since(recent_start), base.articles, limit=limit)
