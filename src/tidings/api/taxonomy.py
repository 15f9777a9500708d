"""GET /api/categories (the IPTC tree with article counts) and GET /api/topics (searchable, paginated)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest
from ninja import Query, Router

from tidings.api.pagination import paginate
from tidings.api.schemas import CategoryNode, Error, TopicFilters, TopicPage
from tidings.taxonomy.membership import listed_article_counts
from tidings.taxonomy.models import Alias, Category, Topic

router = Router(tags=["taxonomy"])


def _node(category: Category, counts: dict[int, int], children: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": category.pk,
        "qcode": category.qcode,
        "name": category.name,
        "slug": category.slug,
        "level": category.level,
        "article_count": counts.get(category.pk, 0),
        "children": children,
    }


@router.get("/categories", response=list[CategoryNode], summary="The category tree")
def list_categories(request: HttpRequest) -> list[dict[str, Any]]:
    categories = list(Category.objects.order_by("level", "name"))
    counts = listed_article_counts()
    children: dict[int, list[Category]] = {}
    for category in categories:
        if category.parent_id is not None:
            children.setdefault(category.parent_id, []).append(category)
    return [
        _node(top, counts, [_node(child, counts, []) for child in children.get(top.pk, [])])
        for top in categories
        if top.parent_id is None
    ]


def _topic(topic: Topic) -> dict[str, Any]:
    return {
        "id": topic.pk,
        "slug": topic.slug,
        "name": topic.name,
        "kind": topic.kind,
        "article_count": topic.article_count,  # type: ignore[attr-defined]
        "aliases": [alias.name for alias in topic.aliases.all()],
    }


@router.get("/topics", response={200: TopicPage, 400: Error, 422: Error}, summary="List topics")
def list_topics(request: HttpRequest, filters: Query[TopicFilters]) -> dict[str, Any]:
    topics = Topic.objects.all()
    if filters.kind:
        topics = topics.filter(kind=filters.kind)
    if filters.q and filters.q.strip():
        prefix = filters.q.strip()
        alias_match = Alias.objects.filter(name__istartswith=prefix).values("topic_id")
        topics = topics.filter(Q(name__istartswith=prefix) | Q(pk__in=alias_match))
    visible_links = Q(article_links__article__duplicate_of__isnull=True)
    topics = (
        topics.annotate(article_count=Count("article_links__article", filter=visible_links, distinct=True))
        .order_by("-article_count", "name", "pk")
        .prefetch_related(Prefetch("aliases", queryset=Alias.objects.order_by("name")))
    )
    return paginate(request, topics, filters.limit, filters.offset, _topic)
