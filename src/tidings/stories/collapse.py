"""One card per story on lists: which article stands for its story, and what its card says about the story.

Two ways, one rule ("the first article of each story in the list's own order stands for it; articles in no
story stay"):

- one_per_story() collapses a newest-first queryset in SQL (the output feeds); the category, topic and source
  pages apply the same rule a batch of rows at a time (web.newest), so a page deep in a large list stays an
  index range and no card repeats across pages;
- first_of_each_story() collapses an ordered id list (My News, ranked in Python), before it is paged, so the
  web page and /api/me/feed page through the same collapsed list.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, Subquery

from tidings.articles.models import Article, ArticleQuerySet
from tidings.stories.models import ArticleStory


@dataclass(frozen=True, slots=True)
class StoryBadge:
    """What an article's card says about its story: how many visible articles and outlets cover it."""

    story_id: int
    article_count: int
    source_count: int


def one_per_story(articles: ArticleQuerySet) -> ArticleQuerySet:
    """These articles minus each one that has a newer article of the same story among them (newest_first order:
    published_at, then id). Order the result newest first for the kept article to lead its story."""
    newer = articles.filter(story_link__story_id=OuterRef("story_link__story_id")).filter(
        Q(published_at__gt=OuterRef("published_at")) | Q(published_at=OuterRef("published_at"), pk__gt=OuterRef("pk"))
    )
    return articles.filter(~Exists(newer.order_by().values("pk")))


def first_of_each_story(article_ids: Sequence[int]) -> list[int]:
    """The ids in their order, keeping only the first of each story (one query)."""
    story_of = dict(ArticleStory.objects.filter(article_id__in=list(article_ids)).values_list("article_id", "story_id"))
    seen: set[int] = set()
    kept = []
    for pk in article_ids:
        story = story_of.get(pk)
        if story is not None:
            if story in seen:
                continue
            seen.add(story)
        kept.append(pk)
    return kept


def story_refs(article_ids: Iterable[int]) -> dict[int, StoryBadge]:
    """For each of these articles that is in a story, the story and its visible article and outlet counts (one
    query). A story whose articles are all folded into near-duplicates elsewhere counts 0."""
    per_story = (
        Article.objects.visible()
        .filter(story_link__story_id=OuterRef("story_id"))
        .order_by()
        .values("story_link__story_id")
    )
    rows = (
        ArticleStory.objects.filter(article_id__in=list(article_ids))
        .annotate(
            articles=Subquery(per_story.annotate(n=Count("pk")).values("n")[:1]),
            sources=Subquery(per_story.annotate(n=Count("source_id", distinct=True)).values("n")[:1]),
        )
        .values_list("article_id", "story_id", "articles", "sources")
    )
    return {pk: StoryBadge(story, n or 0, sources or 0) for pk, story, n, sources in rows}


def story_badges(article_ids: Iterable[int]) -> dict[int, StoryBadge]:
    """For each of these articles in a story of two or more visible articles, its badge (one query)."""
    return {pk: badge for pk, badge in story_refs(article_ids).items() if badge.article_count >= 2}
