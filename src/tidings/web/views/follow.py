"""Follow or unfollow a category, topic or source: htmx gets the re-rendered button, plain POST a redirect."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseNotFound, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from tidings.lib.errors import InvalidInput
from tidings.personalization.services import profile_for_request, resolve_target, toggle_follow
from tidings.web.templatetags.tidings_web import follow_button_context

logger = logging.getLogger(__name__)


def _safe_next(request: HttpRequest, fallback: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


@require_POST
def follow(request: HttpRequest, kind: str, key: str) -> HttpResponse:
    try:
        target = resolve_target(kind, key)
    except InvalidInput as err:
        return HttpResponseNotFound(err.message, content_type="text/plain; charset=utf-8")
    profile = profile_for_request(request)
    assert profile is not None  # create=True always gives a profile
    state = toggle_follow(profile, target)
    logger.info("follow_toggled profile_id=%s kind=%s target_id=%s state=%s", profile.pk, kind, target.pk, state)
    next_url = _safe_next(request, target.get_absolute_url())
    if getattr(request, "htmx", False):
        variant = request.POST.get("variant", "chip")
        context = follow_button_context(
            kind=kind,
            target=target,
            state=state,
            next_url=next_url,
            csrf_token=get_token(request),
            variant=variant if variant in {"chip", "heading"} else "chip",
        )
        return render(request, "web/partials/follow_button.html", context)
    return HttpResponseRedirect(next_url)
