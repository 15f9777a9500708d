"""My News: the articles a profile follows, minus what it mutes, ranked by personalization.feed.

One read of the follows table per call; the web page (web.views.front.my_news) and the API (/api/me/feed)
both call load_my_news() or ranked_article_ids(), so they give the same articles in the same order.
One article per story: after ranking, the best-ranked article of each story stands for it (stories.collapse).
A followed or muted category means the articles listed in it (taxonomy.membership), as on its page.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q

from tidings.articles.models import Article
from tidings.personalization.feed import FeedCandidate, Followed, rank
from tidings.personalization.models import Follow, FollowAction, Profile
from tidings.personalization.services import follow_states
from tidings.stories.collapse import first_of_each_story
from tidings.taxonomy.membership import listed_categories, listed_in_category
from tidings.taxonomy.models import ArticleTopic

# Only the newest candidates are scored; older ones would lose on recency anyway.
CANDIDATE_LIMIT = 500


@dataclass(frozen=True, slots=True)
class FollowList:
    """A profile's follows and mutes, read once (targets loaded for the page's side panel)."""

    follows: tuple[Follow, ...] = ()
    mutes: tuple[Follow, ...] = ()

    @property
    def states(self) -> dict[str, dict[int, str]]:
        """{'category': {id: action}, 'topic': {...}, 'source': {...}}, as services.followed_ids()."""
        return follow_states((*self.follows, *self.mutes))

    @property
    def followed(self) -> Followed:
        return Followed.from_states(self.states)


@dataclass(frozen=True, slots=True)
class MyNews:
    following: FollowList
    article_ids: list[int] = field(default_factory=list)


def read_follows(profile: Profile | None) -> FollowList:
    """The one query on the follows table."""
    if profile is None:
        return FollowList()
    rows = list(Follow.objects.filter(profile=profile).select_related("category", "topic", "source"))
    return FollowList(
        follows=tuple(f for f in rows if f.action == FollowAction.FOLLOW),
        mutes=tuple(f for f in rows if f.action != FollowAction.FOLLOW),
    )


def _matching(follows: tuple[Follow, ...]) -> Q | None:
    """Articles matched by any of these follows: listed in a category, linked to a topic, from a source."""
    category_ids = [f.category_id for f in follows if f.category_id is not None]
    topic_ids = [f.topic_id for f in follows if f.topic_id is not None]
    source_ids = [f.source_id for f in follows if f.source_id is not None]
    parts = []
    if category_ids:
        parts.append(listed_in_category(category_ids))
    if topic_ids:
        parts.append(Q(pk__in=ArticleTopic.objects.filter(topic_id__in=topic_ids).values("article_id")))
    if source_ids:
        parts.append(Q(source_id__in=source_ids))
    if not parts:
        return None
    q = parts[0]
    for part in parts[1:]:
        q |= part
    return q


def _candidates(following: FollowList) -> list[FeedCandidate]:
    """The newest CANDIDATE_LIMIT visible articles the profile follows and does not mute (three queries)."""
    include = _matching(following.follows)
    if include is None:
        return []
    articles = Article.objects.visible().filter(include)
    exclude = _matching(following.mutes)
    if exclude is not None:
        articles = articles.exclude(exclude)
    rows = list(articles.newest_first().values_list("id", "published_at", "source_id")[:CANDIDATE_LIMIT])
    ids = [r[0] for r in rows]
    categories = listed_categories(ids, following.followed.category_ids)
    topics: dict[int, set[int]] = defaultdict(set)
    for article_id, topic_id in ArticleTopic.objects.filter(article_id__in=ids).values_list("article_id", "topic_id"):
        topics[article_id].add(topic_id)
    return [
        FeedCandidate(
            article_id=article_id,
            published_at=published_at,
            source_id=source_id,
            category_ids=frozenset(categories.get(article_id, ())),
            topic_ids=frozenset(topics[article_id]),
        )
        for article_id, published_at, source_id in rows
    ]


def load_my_news(profile: Profile | None, now: datetime) -> MyNews:
    """The profile's follows and its My News article ids, best first, one per story (five queries in all)."""
    following = read_follows(profile)
    return MyNews(following, first_of_each_story(rank(_candidates(following), following.followed, now)))


def ranked_article_ids(profile: Profile | None, now: datetime) -> list[int]:
    return load_my_news(profile, now).article_ids


def articles_in_order(ids: list[int]) -> list[Article]:
    """The articles with these ids, ready for cards or summaries, in the given order."""
    by_id = {a.pk: a for a in Article.objects.filter(pk__in=ids).for_listing()}
    return [by_id[i] for i in ids if i in by_id]
