"""What the article page sends: reading time (a beacon), save/unsave (a form or htmx), share (a beacon).

All are POSTs checked by Django's CSRF middleware: the page puts the token in a data attribute and the
script sends it as the form field `csrfmiddlewaretoken` (navigator.sendBeacon cannot set headers).
"""

from __future__ import annotations

import logging
import math

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from tidings.articles.models import Article
from tidings.lib.errors import InvalidInput
from tidings.personalization.feedback import log_reading_time, log_share, set_saved
from tidings.personalization.services import profile_for_request
from tidings.web.tracking import implicit_profile

log = logging.getLogger(__name__)


def _text(message: str, status: int = 400) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def _seconds(raw: str | None) -> float:
    if raw is None or not raw.strip():
        raise InvalidInput("send the reading time as `seconds`, a number")
    try:
        value = float(raw)
    except ValueError:
        raise InvalidInput(f"reading time {raw[:40]!r} is not a number of seconds") from None
    if not math.isfinite(value) or value < 0:
        raise InvalidInput("reading time must be a number of seconds, 0 or more")
    return value


@require_POST
def reading_time(request: HttpRequest, article_id: int) -> HttpResponse:
    """The page's beacon: `seconds` visible since the last beacon. 204 whether or not it was logged."""
    try:
        seconds = _seconds(request.POST.get("seconds"))
    except InvalidInput as err:
        return _text(err.message)
    article = get_object_or_404(Article, pk=article_id)
    profile = implicit_profile(request)
    if profile is not None:
        log_reading_time(profile, article, seconds)
    return HttpResponse(status=204)


@require_POST
def share(request: HttpRequest, article_id: int) -> HttpResponse:
    """The Share button was used (the browser's share sheet or a copied link); logged for a known profile."""
    article = get_object_or_404(Article, pk=article_id)
    profile = profile_for_request(request, create=False)
    if profile is not None:
        log_share(profile, article)
    return HttpResponse(status=204)


@require_POST
def save(request: HttpRequest, article_id: int) -> HttpResponse:
    """Save (`saved=1`) or unsave (`saved=0`): htmx gets the re-rendered button, a plain POST a redirect
    (to `next` when it is on this site, else the article)."""
    raw = request.POST.get("saved", "")
    if raw not in {"0", "1"}:
        return HttpResponseBadRequest("send saved=1 to save or saved=0 to unsave", content_type="text/plain")
    article = get_object_or_404(Article, pk=article_id)
    profile = profile_for_request(request)  # saving is asked for: it may start an anonymous profile
    assert profile is not None  # create=True always gives a profile
    state = set_saved(profile, article, raw == "1")
    log.info("article_saved profile_id=%s article_id=%s saved=%s", profile.pk, article.pk, raw)
    if getattr(request, "htmx", False):
        context = {"article": article, "saved": state.saved_at is not None}
        return render(request, "web/partials/save_button.html", context)
    return HttpResponseRedirect(_safe_next(request, article.get_absolute_url()))


def _safe_next(request: HttpRequest, fallback: str) -> str:
    """`next` from the form when it points to this site (a card's Save returns to its list), else fallback."""
    candidate = request.POST.get("next", "")
    allowed = {request.get_host()}
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts=allowed, require_https=request.is_secure()
    ):
        return candidate
    return fallback
