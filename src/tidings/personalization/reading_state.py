"""A profile's read and starred (saved) articles, as feed-reader apps see them.

The reading list is every visible article of the sources the profile follows; an article is unread until
the profile has an ArticleState with `read_at`. No row means unread and not starred.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Count, Max, QuerySet

from tidings.articles.models import Article, ArticleQuerySet
from tidings.personalization.models import ArticleState, Follow, FollowAction, Profile
from tidings.sources.models import Source

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class UnreadCount:
    source_id: int
    count: int
    newest: datetime | None


def followed_sources(profile: Profile) -> QuerySet[Source]:
    """The sources the profile follows (not mutes), by name."""
    ids = Follow.objects.filter(profile=profile, action=FollowAction.FOLLOW, source__isnull=False).values("source_id")
    return Source.objects.filter(pk__in=ids).order_by("name", "pk")


def reading_list(profile: Profile) -> ArticleQuerySet:
    """Visible articles of the sources the profile follows."""
    return Article.objects.visible().filter(source__in=followed_sources(profile).values("pk"))


def read_article_ids(profile: Profile) -> QuerySet[ArticleState, int]:
    """A subquery of the ids of the articles the profile has read."""
    return ArticleState.objects.filter(profile=profile, read_at__isnull=False).values_list("article_id", flat=True)


def starred_article_ids(profile: Profile) -> QuerySet[ArticleState, int]:
    """A subquery of the ids of the articles the profile has starred."""
    return ArticleState.objects.filter(profile=profile, saved_at__isnull=False).values_list("article_id", flat=True)


def unread(articles: ArticleQuerySet, profile: Profile) -> ArticleQuerySet:
    return articles.exclude(pk__in=read_article_ids(profile))


def unread_counts(profile: Profile) -> list[UnreadCount]:
    """Unread articles per followed source that has any, with the newest one's publication time."""
    rows = (
        unread(reading_list(profile), profile)
        .order_by()
        .values("source_id")
        .annotate(n=Count("pk"), newest=Max("published_at"))
    )
    return [UnreadCount(row["source_id"], row["n"], row["newest"]) for row in rows]


def unread_count(profile: Profile) -> int:
    """How many articles of the reading list the profile has not read."""
    return unread(reading_list(profile), profile).count()


def existing_article_ids(ids: Collection[int]) -> list[int]:
    """The ids among `ids` that are articles (unknown ids are dropped, not errors)."""
    return list(Article.objects.filter(pk__in=list(ids)).values_list("pk", flat=True))


def _set(profile: Profile, article_ids: Collection[int], field: str, when: datetime | None) -> int:
    """Set `field` to `when` on the profile's state of each article (creating rows as needed); returns how many
    articles changed. Setting a time keeps an earlier one; clearing leaves rows with no state (harmless)."""
    ids = existing_article_ids(article_ids)
    if not ids:
        return 0
    states = ArticleState.objects.filter(profile=profile, article_id__in=ids)
    with transaction.atomic():
        if when is None:
            return states.exclude(**{f"{field}__isnull": True}).update(**{field: None})
        changed = states.filter(**{f"{field}__isnull": True}).update(**{field: when})
        have = set(states.values_list("article_id", flat=True))
        missing = [ArticleState(profile=profile, article_id=i, **{field: when}) for i in ids if i not in have]
        ArticleState.objects.bulk_create(missing, ignore_conflicts=True)
    return changed + len(missing)


def mark_read(profile: Profile, article_ids: Collection[int], now: datetime) -> int:
    changed = _set(profile, article_ids, "read_at", now)
    log.info("reading_state.read profile=%s asked=%s changed=%s", profile.pk, len(article_ids), changed)
    return changed


def mark_unread(profile: Profile, article_ids: Collection[int]) -> int:
    changed = _set(profile, article_ids, "read_at", None)
    log.info("reading_state.unread profile=%s asked=%s changed=%s", profile.pk, len(article_ids), changed)
    return changed


def star(profile: Profile, article_ids: Collection[int], now: datetime) -> int:
    return _set(profile, article_ids, "saved_at", now)


def unstar(profile: Profile, article_ids: Collection[int]) -> int:
    return _set(profile, article_ids, "saved_at", None)


MARK_ALL_BATCH = 1000


def mark_all_read(profile: Profile, articles: ArticleQuerySet, now: datetime) -> int:
    """Mark every unread article of `articles` read (in batches); returns how many."""
    pending = unread(articles, profile).order_by("pk").values_list("pk", flat=True)
    total = 0
    last = 0
    while batch := list(pending.filter(pk__gt=last)[:MARK_ALL_BATCH]):
        total += _set(profile, batch, "read_at", now)
        last = batch[-1]
    log.info("reading_state.all_read profile=%s changed=%s", profile.pk, total)
    return total


def states_of(profile: Profile, article_ids: Collection[int]) -> dict[int, tuple[bool, bool]]:
    """{article_id: (read, starred)} for the articles that have a state row."""
    rows = ArticleState.objects.filter(profile=profile, article_id__in=list(article_ids)).values_list(
        "article_id", "read_at", "saved_at"
    )
    return {article_id: (read_at is not None, saved_at is not None) for article_id, read_at, saved_at in rows}
