"""Follow, unfollow, mute or unmute a category, topic or source from any control on a page.

The form posts which control was clicked (chip, follow or mute: personalization.services.CONTROLS); the
server decides the new state from the stored one, so a stale page never undoes a choice by accident.
htmx gets the re-rendered control and an HX-Trigger event, `tidings:follow` {key, state, message}, that the
page's script (static web/tidings.js) uses to set every control of the same target to the new state and to
announce the change; nothing is swapped, so keyboard focus stays on the clicked button. A plain POST is
redirected back to `next` with the same message.
"""

from __future__ import annotations

import json
import logging

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from tidings.lib.errors import InvalidInput
from tidings.personalization.services import apply_control, change_message, profile_for_request, resolve_target
from tidings.web.follow_stamps import follow_button_context

logger = logging.getLogger(__name__)


def safe_next(request: HttpRequest, fallback: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


def follow_event(kind: str, target_id: int, state: str | None, message: str) -> str:
    """The HX-Trigger header value that tells the page's controls of this target their new state."""
    detail = {"key": f"{kind}-{target_id}", "state": state or "none", "message": message}
    return json.dumps({"tidings:follow": detail})


@require_POST
def follow(request: HttpRequest, kind: str, key: str) -> HttpResponse:
    try:
        target = resolve_target(kind, key)
    except InvalidInput as err:
        return HttpResponseNotFound(err.message, content_type="text/plain; charset=utf-8")
    profile = profile_for_request(request)
    assert profile is not None  # create=True always gives a profile
    try:
        before, state = apply_control(profile, target, request.POST.get("control") or "chip")
    except InvalidInput as err:
        return HttpResponse(err.message, status=400, content_type="text/plain; charset=utf-8")
    message = change_message(target.name, before, state)
    logger.info(
        "follow_changed profile_id=%s kind=%s target_id=%s before=%s state=%s",
        profile.pk,
        kind,
        target.pk,
        before,
        state,
    )
    next_url = safe_next(request, target.get_absolute_url())
    if getattr(request, "htmx", False):
        context = follow_button_context(
            kind=kind,
            target=target,
            state=state,
            next_url=next_url,
            csrf_token=get_token(request),
            variant=request.POST.get("variant", "chip"),
        )
        response = render(request, "web/partials/follow_button.html", context)
        response["HX-Trigger"] = follow_event(kind, target.pk, state, message)
        return response
    messages.info(request, message)
    return HttpResponseRedirect(next_url)
