"""The search page: words, filters (source, category, topic, speaker, dates) and sort, all in the URL; and saving
a search (its own page and feed are web.views.saved_searches)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tidings.lib.counting import Capped, capped_count
from tidings.personalization.services import profile_for_request
from tidings.searches.filters import filtered, matching_sources, resolve
from tidings.searches.request import parse_search
from tidings.searches.saved import saved_searches
from tidings.sources.models import Source
from tidings.taxonomy.models import Category
from tidings.web.listing import PAGE_SIZE, cards_for, follow_states_for
from tidings.web.reader_lists import list_state
from tidings.web.search_page import category_options, filter_chips, page_query, sort_links


def _page_number(raw: str | None) -> int:
    return int(raw) if raw and raw.isascii() and raw.isdigit() and 0 < len(raw) < 6 else 1


def search(request: HttpRequest) -> HttpResponse:
    wanted, problems = parse_search(request.GET)
    resolved = resolve(wanted)
    problems += resolved.problems
    cards, counted, number, last = [], Capped(0, True), 1, 1
    if not wanted.is_empty and not resolved.problems:
        articles = filtered(resolved)
        # Counted by id alone: the rank is not read (on SQLite a rank column costs a pass over the word's whole
        # doclist for bm25's IDF, even in a count); not at all when the search read its matches already.
        counted = capped_count(articles.values("pk"), known=articles.known_order)
        last = max(1, -(-counted.total // PAGE_SIZE))
        number = min(_page_number(request.GET.get("page")), last)
        offset = (number - 1) * PAGE_SIZE
        cards = cards_for(articles.for_web_cards()[offset : offset + PAGE_SIZE])
    profile = profile_for_request(request, create=False)
    return render(
        request,
        "web/search.html",
        {
            "q": wanted.q,
            "wanted": wanted,
            "resolved": resolved,
            "problems": problems,
            "cards": cards,
            "total": counted.total,
            "more_than_cap": not counted.exact,
            "page_number": number,
            "last_page": last,
            "page_query": page_query(wanted),
            "chips": filter_chips(resolved),
            "sorts": sort_links(wanted),
            "sources_named": matching_sources(wanted.q) if wanted.q else [],
            "source_choices": Source.objects.order_by("name").values_list("slug", "name"),
            "category_choices": category_options(list(Category.objects.values_list("pk", "parent_id", "slug", "name"))),
            "selected_source": resolved.source.slug if resolved.source else "",
            "selected_category": resolved.category.slug if resolved.category else "",
            "saved": saved_searches(profile),
            "follow_states": follow_states_for(request),
            **list_state(request, profile, cards),
        },
    )
