"""Muted words on My interests: add one (a word or a regular expression) and remove one."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from tidings.lib.errors import InvalidInput
from tidings.personalization.keyword_mute_service import add_keyword_mute, remove_keyword_mute
from tidings.personalization.services import profile_for_request

log = logging.getLogger(__name__)


def _back() -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("web:interests") + "#muted-words")


@require_POST
def add(request: HttpRequest) -> HttpResponse:
    profile = profile_for_request(request, create=True)
    assert profile is not None
    try:
        mute = add_keyword_mute(profile, request.POST.get("pattern", ""), request.POST.get("regex") == "1")
    except InvalidInput as err:
        messages.error(request, f"Not muted: {err.message}.")
        return _back()
    log.info("keyword_mute_added profile_id=%s is_regex=%s", profile.pk, mute.is_regex)
    messages.success(request, f"Muted {mute}.")
    return _back()


@require_POST
def remove(request: HttpRequest, mute_id: int) -> HttpResponse:
    if not remove_keyword_mute(profile_for_request(request, create=False), mute_id):
        raise Http404("no such muted word")
    messages.success(request, "Unmuted.")
    return _back()
