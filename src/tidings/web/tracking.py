"""Who the pages may log implicit feedback for, and the article page's reading context.

Implicit signals (impressions, opens, reading time) are logged only for a visitor who already has a profile
(signed in, or an anonymous visitor who followed or saved something): a crawler or a first visit creates no
profile and no rows. A browser sending `DNT: 1` or `Sec-GPC: 1` gets no implicit logging at all; what the
reader does on purpose (save, share) is still stored, as it is what they asked for.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.http import HttpRequest

from tidings.articles.models import Article
from tidings.personalization.feedback import log_impressions, log_open, tracking_refused
from tidings.personalization.models import ArticleState, Profile
from tidings.personalization.services import profile_for_request

CardT = TypeVar("CardT", bound=Any)


@dataclass(frozen=True, slots=True)
class ReadingContext:
    """What the article page shows and sends: whether it is saved, and whether reading time is measured."""

    saved: bool = False
    measure_reading: bool = False


def implicit_profile(request: HttpRequest) -> Profile | None:
    """The profile implicit signals go to, or None (no profile yet, or the browser asks not to be tracked)."""
    if tracking_refused(request.headers):
        return None
    return profile_for_request(request, create=False)


def note_impressions(request: HttpRequest, cards: Iterable[CardT]) -> list[CardT]:
    """Log the cards a list page shows (objects with .article) in one insert, when allowed; returns the cards."""
    shown = list(cards)
    if shown:
        profile = implicit_profile(request)
        if profile is not None:
            # A card's badge names its story when the story has other articles; other cards go without one.
            stories = {card.article.pk: card.story.story_id if card.story else None for card in shown}
            log_impressions(profile, list(stories), stories=stories)
    return shown


def note_open(request: HttpRequest, article: Article) -> ReadingContext:
    """Log the article page's open for a known profile and say what the page needs to show."""
    profile = profile_for_request(request, create=False)
    if profile is None:
        return ReadingContext()
    if tracking_refused(request.headers):
        saved = ArticleState.objects.filter(profile=profile, article=article, saved_at__isnull=False).exists()
        return ReadingContext(saved=saved)
    state = log_open(profile, article)
    return ReadingContext(saved=state.saved_at is not None, measure_reading=True)
