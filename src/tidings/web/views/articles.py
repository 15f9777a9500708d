"""One article's page, and search."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from tidings.articles.models import Article
from tidings.lib.errors import TidingsError
from tidings.stories.neardup_service import also_published_by
from tidings.web.claims import article_ledger
from tidings.web.forms import SearchForm
from tidings.web.listing import card_for, cards_for, follow_states_for, paginate
from tidings.web.tracking import note_open


def article(request: HttpRequest, article_id: int) -> HttpResponse:
    found = get_object_or_404(Article.objects.for_listing().select_related("duplicate_of__source"), pk=article_id)
    return render(
        request,
        "web/article.html",
        {
            "article": found,
            "card": card_for(found, limit=12),
            "duplicate_of": found.duplicate_of,
            "also_published_by": also_published_by(found),
            "ledger": article_ledger(found),
            "follow_states": follow_states_for(request),
            "reading": note_open(request, found),
        },
    )


def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    q = form.cleaned_data["q"].strip() if form.is_valid() else ""
    page = None
    error = ""
    if q:
        from tidings.articles.search import search_articles

        try:
            page = paginate(request, search_articles(Article.objects.visible(), q).for_listing())
        except TidingsError as err:
            error = err.message
    return render(
        request,
        "web/search.html",
        {
            "q": q,
            "error": error,
            "page": page,
            "cards": cards_for(page.object_list) if page is not None else [],
            "follow_states": follow_states_for(request),
        },
    )
