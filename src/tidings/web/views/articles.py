"""One article's page (search is web.views.search)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from tidings.articles.models import Article
from tidings.stories.neardup_service import also_published_by
from tidings.web.claims import article_ledger
from tidings.web.listing import card_for, follow_states_for
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
