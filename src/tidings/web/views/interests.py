"""My interests (everything followed and muted, with a weight per follow) and the first-visit picker's Done.

Weight and remove answer htmx with the re-rendered row (focus returns to the pressed weight button by its id)
and a plain POST with a redirect back to the page.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tidings.lib.errors import InvalidInput
from tidings.personalization.interest_list import interest_groups
from tidings.personalization.keyword_mute_service import keyword_mutes
from tidings.personalization.models import Follow, FollowAction, Profile
from tidings.personalization.services import (
    find_follow,
    profile_for_request,
    remove_follow,
    resolve_target,
    set_weight,
)
from tidings.searches.saved import saved_searches
from tidings.web.views.follow import safe_next

logger = logging.getLogger(__name__)

PICKER_NEEDED = 3


def interests(request: HttpRequest) -> HttpResponse:
    profile = profile_for_request(request, create=False)
    groups = interest_groups(profile)
    return render(
        request,
        "web/interests.html",
        {
            "groups": groups,
            "empty": all(g.empty for g in groups),
            "saved_searches": saved_searches(profile),
            "keyword_mutes": keyword_mutes(profile),
        },
    )


def _row_response(request: HttpRequest, follow: Follow | None, kind: str, target: object, note: str) -> HttpResponse:
    if not getattr(request, "htmx", False):
        messages.info(request, note)
        return HttpResponseRedirect(safe_next(request, reverse("web:interests")))
    return render(
        request, "web/partials/interest_row.html", {"follow": follow, "kind": kind, "target": target, "note": note}
    )


@require_POST
def weight(request: HttpRequest, kind: str, key: str) -> HttpResponse:
    profile = profile_for_request(request, create=False)
    try:
        target = resolve_target(kind, key)
        if profile is None:
            raise InvalidInput(f"you do not follow {target.name!r}")
        follow = set_weight(profile, target, request.POST.get("weight", ""))
    except InvalidInput as err:
        return HttpResponse(err.message, status=400, content_type="text/plain; charset=utf-8")
    logger.info(
        "follow_weight profile_id=%s kind=%s target_id=%s weight=%s", profile.pk, kind, target.pk, follow.weight
    )
    return _row_response(request, follow, kind, target, "")


@require_POST
def remove(request: HttpRequest, kind: str, key: str) -> HttpResponse:
    profile = profile_for_request(request, create=False)
    try:
        target = resolve_target(kind, key)
    except InvalidInput as err:
        return HttpResponseNotFound(err.message, content_type="text/plain; charset=utf-8")
    follow = find_follow(profile, target)
    if profile is None or follow is None:
        return HttpResponseNotFound(
            f"you neither follow nor mute {target.name}", content_type="text/plain; charset=utf-8"
        )
    remove_follow(profile, target)
    verb = "Unmuted" if follow.action == FollowAction.MUTE else "No longer following"
    logger.info("follow_removed profile_id=%s kind=%s target_id=%s", profile.pk, kind, target.pk)
    return _row_response(request, None, kind, target, f"{verb} {target.name}.")


def follow_count(profile: Profile | None) -> int:
    if profile is None:
        return 0
    return Follow.objects.filter(profile=profile, action=FollowAction.FOLLOW).count()


@require_POST
def picker_done(request: HttpRequest) -> HttpResponse:
    """Done (at least PICKER_NEEDED follows) or "Not now": either way the picker is not offered again."""
    profile = profile_for_request(request)
    assert profile is not None
    next_url = safe_next(request, reverse("web:my_news"))
    if request.POST.get("choice") == "done" and follow_count(profile) < PICKER_NEEDED:
        messages.info(request, f"Choose at least {PICKER_NEEDED} categories first, or choose “Not now”.")
        return HttpResponseRedirect(next_url)
    Profile.objects.filter(pk=profile.pk, onboarded_at__isnull=True).update(onboarded_at=timezone.now())
    return HttpResponseRedirect(next_url)
