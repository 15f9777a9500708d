"""The search page and the API's search list page and count a ranked search as its whole ranked list does, on
either database: on PostgreSQL from the window's order known to the queryset (ArticleQuerySet.known_order: no count
query, a page read by its ids), on SQLite by slicing and counting the queryset (issue 17)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.articles.factories import ArticleFactory
from tidings.articles.models import Article
from tidings.articles.search import base, search_articles

pytestmark = pytest.mark.django_db


@pytest.fixture
def flood_news(monkeypatch):
    """A window of 30 of the 45 "flood" articles, each a different match (more floods rank higher)."""
    monkeypatch.setattr(base, "RANK_WINDOW", 30)
    monkeypatch.setattr(base, "FIRST_SPAN", 10)
    for n in range(45):
        ArticleFactory(headline=f"Flood report {n}", body_text=" ".join(["flood"] * (n % 7 + 1)) + " rain.")
        ArticleFactory(headline=f"Council budget {n}", body_text="Taxes.")


def _ranked_headlines() -> list[str]:
    found = search_articles(Article.objects.visible(), "flood")
    return [a.headline for a in found]  # read whole (iterating never goes by the known order)


@pytest.mark.parametrize("page", [1, 2])
def test_search_page_shows_and_counts_the_ranked_list(client, flood_news, monkeypatch, page):
    import tidings.web.views.search as view

    monkeypatch.setattr(view, "capped_count", _capped_at(25))
    ranked = _ranked_headlines()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("web:search"), {"q": "flood", "page": page})
    shown = [card.article.headline for card in response.context["cards"]]
    assert shown == ranked[(page - 1) * 20 : page * 20]
    assert (response.context["total"], response.context["more_than_cap"]) == (25, True)
    if connection.vendor == "postgresql":
        assert not [q for q in captured if "COUNT(" in q["sql"] and "ts_rank" in q["sql"]], "counted again"
        assert not [q for q in captured if "COUNT(" in q["sql"] and "search_vector @@" in q["sql"]]


def _capped_at(cap: int):
    from tidings.lib.counting import capped_count

    return lambda queryset, known=None: capped_count(queryset, cap, known=known)


@pytest.mark.parametrize(("limit", "offset"), [(10, 0), (10, 15), (50, 0), (5, 28)])
def test_api_search_pages_and_counts_the_ranked_list(client, flood_news, limit, offset):
    ranked = _ranked_headlines()
    body = client.get("/api/articles", {"q": "flood", "limit": limit, "offset": offset}).json()
    assert [item["headline"] for item in body["items"]] == ranked[offset : offset + limit]
    assert (body["count"], body["count_exact"]) == (30, True)
    assert len(ranked) == 30  # the window
