"""Load My News: the profile's candidate articles, scored by personalization.feed, one page at a time."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from tidings.articles.models import Article
from tidings.personalization.feed import FeedCandidate, Followed, rank
from tidings.personalization.models import Follow, Profile
from tidings.taxonomy.models import ArticleCategory, ArticleTopic

# Only the newest candidates are scored; older ones would lose on recency anyway.
CANDIDATE_LIMIT = 500


@dataclass(frozen=True, slots=True)
class FollowList:
    follows: tuple[Follow, ...]
    mutes: tuple[Follow, ...]


def follow_list(profile: Profile | None) -> FollowList:
    if profile is None:
        return FollowList((), ())
    rows = list(Follow.objects.filter(profile=profile).select_related("category", "topic", "source"))
    return FollowList(
        follows=tuple(f for f in rows if f.action == "follow"),
        mutes=tuple(f for f in rows if f.action != "follow"),
    )


def ranked_article_ids(profile: Profile, followed: Followed, now: datetime) -> list[int]:
    """Ids of the profile's visible articles, best first (four queries whatever the number)."""
    rows = list(
        Article.objects.visible()
        .for_profile(profile)
        .newest_first()
        .values_list("id", "published_at", "source_id")[:CANDIDATE_LIMIT]
    )
    ids = [r[0] for r in rows]
    categories: dict[int, set[int]] = defaultdict(set)
    for article_id, category_id, parent_id in ArticleCategory.objects.filter(article_id__in=ids).values_list(
        "article_id", "category_id", "category__parent_id"
    ):
        categories[article_id].add(category_id)
        if parent_id is not None:
            categories[article_id].add(parent_id)
    topics: dict[int, set[int]] = defaultdict(set)
    for article_id, topic_id in ArticleTopic.objects.filter(article_id__in=ids).values_list("article_id", "topic_id"):
        topics[article_id].add(topic_id)
    candidates = [
        FeedCandidate(
            article_id=article_id,
            published_at=published_at,
            source_id=source_id,
            category_ids=frozenset(categories[article_id]),
            topic_ids=frozenset(topics[article_id]),
        )
        for article_id, published_at, source_id in rows
    ]
    return list(rank(candidates, followed, now))


def articles_in_order(ids: list[int]) -> list[Article]:
    """The articles with these ids, ready for cards, in the given order."""
    by_id = {a.pk: a for a in Article.objects.filter(pk__in=ids).for_listing()}
    return [by_id[i] for i in ids if i in by_id]
