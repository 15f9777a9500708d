"""A card's "More like this", "Less like this" and "Hide this story", and their Undo.

htmx gets the card's foot back with a short confirmation and an Undo button (or, for a hidden story, a one-line
card with Undo in place of the card); a plain POST is redirected back to `next` with the same message.
The feedback is stored by personalization.card_feedback (an Interaction, a hidden story, learned interests).
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_POST

from tidings.articles.models import Article
from tidings.lib.errors import InvalidInput
from tidings.personalization.card_feedback import FeedbackResult, give_feedback, undo_feedback
from tidings.personalization.models import InteractionKind, Profile
from tidings.personalization.services import followed_ids, profile_for_request
from tidings.web.listing import cards_for
from tidings.web.views.follow import safe_next

logger = logging.getLogger(__name__)


def _not_found(message: str) -> HttpResponse:
    return HttpResponseNotFound(message, content_type="text/plain; charset=utf-8")


def _answer(
    request: HttpRequest, profile: Profile, article: Article, result: FeedbackResult, *, undone: bool
) -> HttpResponse:
    next_url = safe_next(request, "/")
    if not getattr(request, "htmx", False):
        messages.info(request, result.message)
        return HttpResponseRedirect(next_url)
    context: dict[str, object] = {"next_url": next_url, "follow_states": followed_ids(profile)}
    if result.kind == InteractionKind.HIDE and not undone:
        return render(request, "web/partials/card_hidden.html", {**context, "article": article, "note": result})
    listed = Article.objects.filter(pk=article.pk).for_listing()
    context["card"] = cards_for(listed)[0]
    if result.kind == InteractionKind.HIDE:  # undone: the whole card comes back
        return render(request, "web/partials/article_card.html", {**context, "lead": False})
    context["note"] = None if undone else result
    return render(request, "web/partials/card_foot.html", context)


def _article(article_id: int) -> Article | None:
    return Article.objects.visible().filter(pk=article_id).select_related("source").first()


@require_POST
def card_feedback(request: HttpRequest, article_id: int, kind: str) -> HttpResponse:
    article = _article(article_id)
    if article is None:
        return _not_found(f"no article {article_id}")
    profile = profile_for_request(request)
    assert profile is not None
    try:
        result = give_feedback(profile, article, kind)
    except InvalidInput as err:
        return _not_found(err.message)
    logger.info("card_feedback profile_id=%s article_id=%s kind=%s", profile.pk, article.pk, kind)
    return _answer(request, profile, article, result, undone=False)


@require_POST
def card_feedback_undo(request: HttpRequest, article_id: int, kind: str) -> HttpResponse:
    article = _article(article_id)
    if article is None:
        return _not_found(f"no article {article_id}")
    profile = profile_for_request(request)
    assert profile is not None
    try:
        result = undo_feedback(profile, article, kind)
    except InvalidInput as err:
        return _not_found(err.message)
    logger.info("card_feedback_undone profile_id=%s article_id=%s kind=%s", profile.pk, article.pk, kind)
    return _answer(request, profile, article, result, undone=True)
