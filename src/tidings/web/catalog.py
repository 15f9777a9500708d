"""Browse page data: the category tree with article counts and trending topics, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.db.models.functions import Coalesce

from tidings.taxonomy.models import ArticleCategory, Category, Topic

TRENDING_DAYS = 7
TRENDING_LIMIT = 24


@dataclass(frozen=True, slots=True)
class CategoryNode:
    category: Category
    article_count: int
    children: tuple[CategoryNode, ...] = ()


@dataclass(frozen=True, slots=True)
class TrendingTopic:
    topic: Topic
    article_count: int


def _visible_links() -> Q:
    return Q(article__duplicate_of__isnull=True)


def category_tree() -> list[CategoryNode]:
    """Top-level categories, each with its children; a parent's count includes its children's articles.

    Three queries: categories, per-category counts, per-top-level counts.
    """
    categories = list(Category.objects.order_by("name"))
    links = ArticleCategory.objects.filter(_visible_links())
    direct = dict(
        links.values("category_id").annotate(n=Count("article_id", distinct=True)).values_list("category_id", "n")
    )
    rolled_up = dict(
        links.annotate(root=Coalesce("category__parent_id", "category_id"))
        .values("root")
        .annotate(n=Count("article_id", distinct=True))
        .values_list("root", "n")
    )
    children: dict[int, list[CategoryNode]] = {}
    for c in categories:
        if c.parent_id is not None:
            children.setdefault(c.parent_id, []).append(CategoryNode(c, direct.get(c.pk, 0)))
    return [
        CategoryNode(c, rolled_up.get(c.pk, 0), tuple(children.get(c.pk, ())))
        for c in categories
        if c.parent_id is None
    ]


def trending_topics(now: datetime, limit: int = TRENDING_LIMIT) -> list[TrendingTopic]:
    """Topics with the most visible articles in the last week; all time when the week is empty."""
    visible = Q(article_links__article__duplicate_of__isnull=True)
    recent = visible & Q(article_links__article__published_at__gte=now - timedelta(days=TRENDING_DAYS))
    for condition in (recent, visible):
        rows = list(
            Topic.objects.annotate(n=Count("article_links__article", filter=condition, distinct=True))
            .filter(n__gt=0)
            .order_by("-n", "name")[:limit]
        )
        if rows:
            return [TrendingTopic(t, t.n) for t in rows]  # type: ignore[attr-defined]
    return []
