"""Browse page data: the category tree with article counts and trending topics, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q

from tidings.articles.models import Article
from tidings.taxonomy.membership import listed_article_counts
from tidings.taxonomy.models import ArticleTopic, Category, Origin, Topic
from tidings.taxonomy.trending import BASELINE_DAYS, MIN_RECENT, RECENT_HOURS, growth_ranking

TRENDING_LIMIT = 24


@dataclass(frozen=True, slots=True)
class CategoryNode:
    category: Category
    article_count: int
    children: tuple[CategoryNode, ...] = ()


@dataclass(frozen=True, slots=True)
class TrendingTopic:
    topic: Topic
    article_count: int  # articles naming it in the recent window
    growth: float = 1.0  # recent articles over what its earlier share predicts (smoothed)


def _visible_links() -> Q:
    return Q(article__duplicate_of__isnull=True)


def category_tree() -> list[CategoryNode]:
    """Top-level categories, each with its children; a count is what the category's page lists.

    Two queries: the categories, and one grouped count of listed articles for all of them (taxonomy.membership).
    """
    categories = list(Category.objects.order_by("name"))
    counts = listed_article_counts()
    children: dict[int, list[CategoryNode]] = {}
    for c in categories:
        if c.parent_id is not None:
            children.setdefault(c.parent_id, []).append(CategoryNode(c, counts.get(c.pk, 0)))
    return [
        CategoryNode(c, counts.get(c.pk, 0), tuple(children.get(c.pk, ()))) for c in categories if c.parent_id is None
    ]


def trending_topics(now: datetime, limit: int = TRENDING_LIMIT) -> list[TrendingTopic]:
    """Topics whose share of the visible articles grew most in the last RECENT_HOURS (taxonomy.trending).

    An article counts for a topic it names (or an editor linked), not for a place it merely lies in: the
    roll-up links to a country or continent carry no mentions. At most three queries.
    """
    recent_start = now - timedelta(hours=RECENT_HOURS)
    baseline_start = recent_start - timedelta(days=BASELINE_DAYS)
    rows = (
        ArticleTopic.objects.filter(
            _visible_links(),
            Q(mentions__gt=0) | ~Q(origin=Origin.MODEL),
            article__published_at__gte=baseline_start,
        )
        .values("topic_id")
        .annotate(
            recent=Count("article_id", filter=Q(article__published_at__gte=recent_start), distinct=True),
            baseline=Count("article_id", filter=Q(article__published_at__lt=recent_start), distinct=True),
        )
    )
    counts = {row["topic_id"]: (row["recent"], row["baseline"]) for row in rows}
    if not any(recent >= MIN_RECENT for recent, _baseline in counts.values()):
        return []  # nothing can trend: spare the other two queries
    totals = Article.objects.filter(duplicate_of__isnull=True, published_at__gte=baseline_start).aggregate(
        recent=Count("id", filter=Q(published_at__gte=recent_start)),
        baseline=Count("id", filter=Q(published_at__lt=recent_start)),
    )
    ranked = growth_ranking(counts, totals["recent"], totals["baseline"])[:limit]
    topics = Topic.objects.in_bulk([g.key for g in ranked])
    return [TrendingTopic(topics[g.key], g.recent, g.growth) for g in ranked if g.key in topics]
