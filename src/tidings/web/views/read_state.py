"""Read and saved: mark one article read or unread, "Mark all as read" on a list (and its undo), the Saved and
History pages. All changes are POSTs (CSRF-checked); the lists are the visitor's own and private."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from tidings.articles.models import Article
from tidings.lib.errors import InvalidInput
from tidings.personalization.feedback import set_read
from tidings.personalization.models import Profile
from tidings.personalization.reading import MAX_MARK, card_states, history, mark_read, saved_articles
from tidings.personalization.reading_state import mark_unread
from tidings.personalization.services import followed_ids, profile_for_request
from tidings.web.listing import cards_for, follow_states_for, paginate
from tidings.web.reader_lists import UNDO_KEY, list_state
from tidings.web.views.follow import safe_next

log = logging.getLogger(__name__)


def _ids(raw: str) -> list[int]:
    parts = raw.replace(",", " ").split()
    if not parts:
        raise InvalidInput("send the articles' ids as `ids`, separated by spaces")
    if len(parts) > MAX_MARK:
        raise InvalidInput(f"at most {MAX_MARK} articles at a time")
    try:
        ids = [int(part) for part in parts]
    except ValueError:
        raise InvalidInput("`ids` must be whole numbers separated by spaces") from None
    if any(pk <= 0 for pk in ids):
        raise InvalidInput("`ids` must be positive")
    return ids


def _bad(message: str) -> HttpResponse:
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@require_POST
def mark_article(request: HttpRequest, article_id: int) -> HttpResponse:
    """Mark one article read (`read=1`) or unread (`read=0`): JSON for the page's script, else a redirect."""
    raw = request.POST.get("read", "")
    if raw not in {"0", "1"}:
        return _bad("send read=1 to mark read or read=0 to mark unread")
    article = get_object_or_404(Article, pk=article_id)
    profile = profile_for_request(request)
    assert profile is not None  # create=True always gives one
    state = set_read(profile, article, raw == "1")
    read = state.read_at is not None
    if _wants_json(request):
        return JsonResponse({"id": article.pk, "read": read})
    if getattr(request, "htmx", False):  # the card's ⋯ menu: the card again, with an Undo after "Mark as read"
        card = _card(request, profile, article, note=READ_NOTE if read else None)
        if card is not None:
            return card
    if read and raw == "1":
        messages.info(request, READ_NOTE["message"])
    return HttpResponseRedirect(safe_next(request, article.get_absolute_url()))


# The card's note after "Mark as read" from its menu; its Undo marks the article unread (card_foot.html).
READ_NOTE = {"kind": "read", "message": "Marked as read."}


def _card(request: HttpRequest, profile: Profile, article: Article, note: dict[str, str] | None) -> HttpResponse | None:
    """One card as the lists show it (None when the article is not listed, as a duplicate)."""
    listed = Article.objects.visible().filter(pk=article.pk).for_listing()
    cards = cards_for(listed)
    if not cards:
        return None
    context = {
        "card": cards[0],
        "lead": False,
        "note": note,
        "next_url": safe_next(request, "/"),
        "card_states": card_states(profile, [article.pk]),
        "follow_states": followed_ids(profile),
    }
    return render(request, "web/partials/article_card.html", context)


@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    """Mark the cards of one page read (`ids`); the page then offers to undo exactly those that were unread."""
    try:
        ids = _ids(request.POST.get("ids", ""))
    except InvalidInput as err:
        return _bad(err.message)
    profile = profile_for_request(request)
    assert profile is not None
    marked = mark_read(profile, ids)
    log.info("marked_all_read profile_id=%s asked=%s marked=%s", profile.pk, len(ids), len(marked))
    request.session[UNDO_KEY] = {"ids": " ".join(map(str, marked)), "count": len(marked)}
    return HttpResponseRedirect(safe_next(request, "/"))


@require_POST
def undo_mark_all(request: HttpRequest) -> HttpResponse:
    try:
        ids = _ids(request.POST.get("ids", ""))
    except InvalidInput as err:
        return _bad(err.message)
    profile = profile_for_request(request, create=False)
    if profile is not None:
        mark_unread(profile, ids)
    return HttpResponseRedirect(safe_next(request, "/"))


def _my_list(request: HttpRequest, template: str, which: str) -> HttpResponse:
    profile = profile_for_request(request, create=False)
    articles = (
        (saved_articles if which == "saved" else history)(profile) if profile is not None else Article.objects.none()
    )
    page = paginate(request, articles)
    cards = cards_for(page.object_list)
    context: dict[str, object] = {
        "page": page,
        "cards": cards,
        "follow_states": follow_states_for(request),
        "which": which,
    }
    context.update(list_state(request, profile, cards))
    return render(request, template, context)


def saved(request: HttpRequest) -> HttpResponse:
    """The visitor's saved articles, last saved first."""
    return _my_list(request, "web/saved.html", "saved")


def reading_history(request: HttpRequest) -> HttpResponse:
    """What the visitor read, last read first; each can be marked unread again."""
    return _my_list(request, "web/history.html", "history")
