"""GET /api/articles (filtered, searchable, paginated) and GET /api/articles/{id}."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router

from tidings.api.errors import NotFound
from tidings.api.pagination import keyset_paginate, paginate
from tidings.api.params import MAX_ID, parse_since
from tidings.api.schemas import ArticleDetail, ArticleFilters, ArticlePage, Error
from tidings.articles.models import Article, ArticleQuerySet
from tidings.articles.search.base import NEWEST
from tidings.lib.counting import capped_count
from tidings.lib.errors import InvalidInput
from tidings.lib.urls import safe_http_url
from tidings.searches.filters import filtered, resolve
from tidings.searches.request import parse_search
from tidings.stories.collapse import StoryBadge, story_refs
from tidings.stories.neardup_service import also_published_by

router = Router(tags=["articles"])


def story_ref(badge: StoryBadge | None) -> dict[str, Any] | None:
    if badge is None:
        return None
    return {
        "id": badge.story_id,
        "url": reverse("web:story", args=[badge.story_id]),
        "api_url": reverse("api:get_story", args=[badge.story_id]),
        "article_count": badge.article_count,
        "source_count": badge.source_count,
    }


def article_summaries(articles: Iterable[Article]) -> list[dict[str, Any]]:
    """article_summary of each, with its story filled in: one query for the whole list, not one per article."""
    listed = list(articles)
    stories = story_refs([a.pk for a in listed])
    return [article_summary(a, stories.get(a.pk)) for a in listed]


def article_summary(article: Article, story: StoryBadge | None = None) -> dict[str, Any]:
    """The listing fields of an article whose source and links are already loaded (for_listing).

    `story` is the article's story as story_refs gives it (article_summaries looks it up for a list); without it
    the item says it is in no story, so pass it whenever the article may be in one.

    Links go through the storage rule again on the way out (as the templates' |safe_url does): API clients
    render them too, and a row written past the checks must not hand them a script link.
    """
    return {
        "id": article.pk,
        "headline": article.headline,
        "standfirst": article.standfirst,
        "url": safe_http_url(article.url),
        "author": article.author,
        "published_at": article.published_at,
        "image_url": safe_http_url(article.image_url),
        "language": article.language,
        "source": {"id": article.source.pk, "name": article.source.name, "slug": article.source.slug},
        "categories": [
            {
                "qcode": link.category.qcode,
                "name": link.category.name,
                "slug": link.category.slug,
                "score": link.score,
                "origin": link.origin,
            }
            for link in article.category_links.all()
        ],
        "topics": [
            {
                "id": link.topic.pk,
                "slug": link.topic.slug,
                "name": link.topic.name,
                "kind": link.topic.kind,
                "score": link.score,
            }
            for link in article.topic_links.all()
        ],
        "story_id": story.story_id if story else None,
        "story": story_ref(story),
    }


def article_detail(article: Article) -> dict[str, Any]:
    return {
        **article_summaries([article])[0],
        "paragraphs": article.paragraphs,
        "body_html": article.body_html,
        "image_caption": article.image_caption,
        "image_credit": article.image_credit,
        "duplicate_of": article.duplicate_of_id,
        "also_published_by": [
            {
                "id": other.pk,
                "headline": other.headline,
                "url": safe_http_url(other.url),
                "published_at": other.published_at,
                "source": {"id": other.source.pk, "name": other.source.name, "slug": other.source.slug},
                "canonical": other.pk == (article.duplicate_of_id or article.pk),
            }
            for other in also_published_by(article)
        ],
    }


def filtered_articles(
    *,
    category: str | None = None,
    topic: str | None = None,
    source: str | None = None,
    since: str | None = None,
    q: str | None = None,
    speaker: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    sort: str | None = None,
) -> ArticleQuerySet:
    """Visible articles narrowed by the list filters (searches.filters, as the search page): newest first, or by
    relevance when q is given, unless `sort` says otherwise. InvalidInput names a key that finds nothing."""
    params = {
        "q": q or "",
        "category": category or "",
        "topic": topic or "",
        "source": source or "",
        "speaker": speaker or "",
        "from": date_from or "",
        "to": date_to or "",
        "sort": sort or "",
    }
    wanted, problems = parse_search(params)
    resolved = resolve(wanted)
    problems += resolved.problems
    if problems:
        raise InvalidInput("; ".join(problems))
    base = Article.objects.visible()
    if since:
        base = base.since(parse_since(since, timezone.get_current_timezone()))
    return filtered(resolved, base).for_cards()  # list items: no body (article_summary)


@router.get(
    "/articles",
    response={200: ArticlePage, 400: Error, 422: Error},
    summary="List articles",
    description="Newest first (most relevant first with q). Follow `next` for the next page: it carries a cursor, "
    "so a page deep in the list is as quick as the first; offset still works but reads every skipped article.",
)
def list_articles(request: HttpRequest, filters: Query[ArticleFilters]) -> dict[str, Any]:
    articles = filtered_articles(
        category=filters.category,
        topic=filters.topic,
        source=filters.source,
        since=filters.since,
        q=filters.q,
        speaker=filters.speaker,
        date_from=filters.date_from,
        date_to=filters.date_to,
        sort=filters.sort,
    )
    searching = bool(filters.q and filters.q.strip())
    if searching or (filters.sort or NEWEST) != NEWEST:  # most relevant or oldest first: offset pages
        if filters.cursor is not None:
            raise InvalidInput(
                "cursor applies to the newest-first list only, not to a search (q=) or another sort: "
                "page it with offset"
            )
        # A search counts its matches only up to COUNT_CAP, as every list: the whole count of a common word is
        # most of the cost of the query.
        count, exact = capped_count(articles, known=articles.known_order)
        page = paginate(request, articles, filters.limit, filters.offset, count=count)
        page["count_exact"] = exact
    else:
        page = keyset_paginate(request, articles, filters.limit, filters.offset, filters.cursor)
    page["items"] = article_summaries(page["items"])
    return page


@router.get("/articles/{article_id}", response={200: ArticleDetail, 404: Error, 422: Error}, summary="One article")
def get_article(request: HttpRequest, article_id: int) -> dict[str, Any]:
    article = None
    if 1 <= article_id <= MAX_ID:
        article = Article.objects.for_listing().filter(pk=article_id).first()
    if article is None:
        raise NotFound(f"no article {article_id}")
    return article_detail(article)
