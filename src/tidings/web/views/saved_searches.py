"""Saved searches: save one from the search page, its own page (newest matches first), delete it."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tidings.lib.counting import capped_count
from tidings.lib.errors import InvalidInput
from tidings.personalization.services import profile_for_request
from tidings.searches.request import parse_search
from tidings.searches.saved import delete_saved, matches, owned, save_search, search_request
from tidings.web.listing import PAGE_SIZE, cards_for, follow_states_for
from tidings.web.reader_lists import list_state
from tidings.web.search_page import search_url

log = logging.getLogger(__name__)


@require_POST
def save(request: HttpRequest) -> HttpResponse:
    wanted, _ = parse_search(request.POST)
    profile = profile_for_request(request, create=True)
    assert profile is not None
    try:
        saved = save_search(profile, request.POST.get("name", ""), wanted)
    except InvalidInput as err:
        messages.error(request, f"The search was not saved: {err.message}.")
        return HttpResponseRedirect(reverse("web:search") + search_url(wanted))
    log.info("saved_search_created profile_id=%s saved_search_id=%s", profile.pk, saved.pk)
    messages.success(request, f"Saved “{saved.name}”. It is listed on My interests.")
    return HttpResponseRedirect(saved.get_absolute_url())


def saved_search(request: HttpRequest, saved_id: int) -> HttpResponse:
    profile = profile_for_request(request, create=False)
    found = owned(profile, saved_id)
    if found is None:
        raise Http404("no such saved search")
    articles = matches(found)
    counted = capped_count(articles)
    last = max(1, -(-counted.total // PAGE_SIZE))
    raw = request.GET.get("page", "")
    number = min(int(raw) if raw.isascii() and raw.isdigit() and 0 < len(raw) < 6 else 1, last)
    offset = (number - 1) * PAGE_SIZE
    wanted = search_request(found)
    cards = cards_for(articles.for_web_cards()[offset : offset + PAGE_SIZE])
    return render(
        request,
        "web/saved_search.html",
        {
            "saved": found,
            "search_link": reverse("web:search") + search_url(wanted),
            "cards": cards,
            "total": counted.total,
            "more_than_cap": not counted.exact,
            "page_number": number,
            "last_page": last,
            "follow_states": follow_states_for(request),
            **list_state(request, profile, cards),
        },
    )


@require_POST
def delete(request: HttpRequest, saved_id: int) -> HttpResponse:
    if not delete_saved(profile_for_request(request, create=False), saved_id):
        raise Http404("no such saved search")
    messages.success(request, "The saved search is deleted; its feed address no longer works.")
    return HttpResponseRedirect(reverse("web:interests"))
