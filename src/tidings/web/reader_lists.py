"""What every article list shows of the reader's own state: read cards dimmed, saved ones marked, the "Only
unread" switch (?unread=1) and "Mark all as read" with its undo (web/partials/read_bar.html)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest

from tidings.articles.models import ArticleQuerySet
from tidings.personalization.models import Profile
from tidings.personalization.reading import card_states
from tidings.personalization.reading_state import read_article_ids, unread

UNDO_KEY = "tidings_read_undo"


def only_unread(request: HttpRequest) -> bool:
    return request.GET.get("unread") == "1"


def unread_queryset(request: HttpRequest, profile: Profile | None, articles: ArticleQuerySet) -> ArticleQuerySet:
    """The view's articles, without the read ones when the reader asked for "only unread"."""
    if profile is None or not only_unread(request):
        return articles
    return unread(articles, profile)


def unread_ids(request: HttpRequest, profile: Profile | None, ids: Sequence[int]) -> list[int]:
    """A ranked list of ids, without the read ones when the reader asked for "only unread" (order kept)."""
    if profile is None or not only_unread(request):
        return list(ids)
    read = set(read_article_ids(profile).filter(article_id__in=ids))
    return [pk for pk in ids if pk not in read]


def list_state(request: HttpRequest, profile: Profile | None, cards: Sequence[Any]) -> dict[str, object]:
    """Template context for a page of cards: which are read/saved, the switch, the page's ids and any undo."""
    ids = [card.article.pk for card in cards]
    undo = None
    session = getattr(request, "session", None)
    if session is not None and UNDO_KEY in session:
        undo = session.pop(UNDO_KEY)
    return {
        "card_states": card_states(profile, ids),
        "only_unread": only_unread(request),
        "page_ids": " ".join(str(pk) for pk in ids),
        "read_undo": undo,
        "reader_here": profile is not None,
    }
