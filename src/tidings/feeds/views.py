"""Output feeds: public ones of a category, topic, source or story, and My News at a private tokenised address;
POST to make, rotate or revoke that address (from My interests)."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from tidings.feeds.build import CONTENT_TYPES, FORMATS, render
from tidings.feeds.service import (
    PUBLIC_KINDS,
    FeedSource,
    my_news_source,
    profile_for_token,
    public_feed_source,
    revoke_token,
    rotate_token,
    to_feed,
)
from tidings.personalization.services import profile_for_request
from tidings.web.views.follow import safe_next

log = logging.getLogger(__name__)


def _respond(request: HttpRequest, source: FeedSource, fmt: str, *, private: bool) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404("feeds are .rss, .atom or .json")
    body = render(to_feed(request, source, request.path), fmt)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Cache-Control"] = "private, no-store" if private else "public, max-age=300"
    if private:
        response["X-Robots-Tag"] = "noindex"
        response["Referrer-Policy"] = "no-referrer"
    return response


@require_GET
def public_feed(request: HttpRequest, kind: str, key: str, fmt: str) -> HttpResponse:
    if kind not in PUBLIC_KINDS:
        raise Http404("no such feed")
    return _respond(request, public_feed_source(kind, key), fmt, private=False)


@require_GET
def private_feed(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    return _respond(request, my_news_source(profile_for_token(token)), fmt, private=True)


@require_POST
def manage_token(request: HttpRequest) -> HttpResponse:
    """action=rotate makes a new address (the old one answers 404 from now on); action=revoke removes it."""
    action = request.POST.get("action", "")
    if action not in {"rotate", "revoke"}:
        return HttpResponseBadRequest("send action=rotate or action=revoke", content_type="text/plain")
    profile = profile_for_request(request, create=action == "rotate")
    if action == "rotate":
        assert profile is not None
        rotate_token(profile)
        messages.success(request, "Your private My News feed has a new address; the old one no longer works.")
    elif profile is not None and revoke_token(profile):
        messages.success(request, "Your private My News feed is turned off; its address no longer works.")
    log.info("feed_token_%s profile_id=%s", action, profile.pk if profile else None)
    return HttpResponseRedirect(safe_next(request, reverse("web:interests")))
