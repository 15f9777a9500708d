"""Read and saved state for lists of articles: which of a page's cards are read or saved, "mark all as read"
(returning what an undo gives back), the Saved and History lists. One article at a time is feedback.set_read /
set_saved; unread filters, mark unread and the reader apps' batch marks are reading_state."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from tidings.articles.models import Article
from tidings.personalization.models import ArticleState, Profile

# "Mark all as read" takes the ids of the cards of one page (a page is 20); more is refused as bad input.
MAX_MARK = 200


@dataclass(frozen=True, slots=True)
class CardStates:
    """The read and saved article ids among one page's cards."""

    read: frozenset[int] = frozenset()
    saved: frozenset[int] = frozenset()


def card_states(profile: Profile | None, article_ids: Iterable[int]) -> CardStates:
    ids = list(article_ids)
    if profile is None or not ids:
        return CardStates()
    rows = ArticleState.objects.filter(profile=profile, article_id__in=ids).values_list(
        "article_id", "read_at", "saved_at"
    )
    read, saved = set(), set()
    for article_id, read_at, saved_at in rows:
        if read_at is not None:
            read.add(article_id)
        if saved_at is not None:
            saved.add(article_id)
    return CardStates(read=frozenset(read), saved=frozenset(saved))


def mark_read(profile: Profile, article_ids: Iterable[int], now: datetime | None = None) -> list[int]:
    """Mark these articles read; returns the ids that were unread (what an undo gives back). Unknown ids are
    skipped."""
    now = now or timezone.now()
    wanted = set(Article.objects.filter(pk__in=set(article_ids)).values_list("pk", flat=True))
    with transaction.atomic():
        rows = dict(
            ArticleState.objects.select_for_update()
            .filter(profile=profile, article_id__in=wanted)
            .values_list("article_id", "read_at")
        )
        unread_rows = [pk for pk, read_at in rows.items() if read_at is None]
        ArticleState.objects.filter(profile=profile, article_id__in=unread_rows).update(read_at=now)
        missing = sorted(wanted - set(rows))
        ArticleState.objects.bulk_create(
            [ArticleState(profile=profile, article_id=pk, read_at=now) for pk in missing], ignore_conflicts=True
        )
    return sorted(unread_rows + missing)


def _by_state(profile: Profile, field: str) -> QuerySet[Article]:
    moment = ArticleState.objects.filter(profile=profile, article=OuterRef("pk")).values(field)[:1]
    return (
        Article.objects.visible()
        .annotate(state_at=Subquery(moment))
        .filter(state_at__isnull=False)
        .order_by("-state_at", "-pk")
        .for_listing()
    )


def saved_articles(profile: Profile) -> QuerySet[Article]:
    """The profile's saved articles, last saved first."""
    return _by_state(profile, "saved_at")


def history(profile: Profile) -> QuerySet[Article]:
    """The articles the profile read (opened or marked read), last read first."""
    return _by_state(profile, "read_at")
