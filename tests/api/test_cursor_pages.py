"""Keyset pages of the long lists (/api/articles, /api/stories): `next` carries a cursor, a bad cursor is a 400
with a message, and counts stop at a cap instead of counting a whole large list."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.articles.factories import ArticleFactory
from tests.stories.helpers import story_of
from tidings.articles.models import Article
from tidings.lib import counting

pytestmark = pytest.mark.django_db


def walk(client, url):
    """Every item's id, following `next` links from `url`."""
    ids, pages = [], 0
    while url:
        body = client.get(url).json()
        ids += [item["id"] for item in body["items"]]
        url, pages = body["next"], pages + 1
    return ids, pages


def test_following_next_reads_every_article_once_newest_first_ties_broken_by_id(client):
    now = timezone.now()
    same = now - timedelta(hours=1)
    made = [ArticleFactory(published_at=same) for _ in range(4)]  # four at the very same time
    made += [ArticleFactory(published_at=now - timedelta(minutes=n)) for n in range(7)]
    ids, pages = walk(client, "/api/articles?limit=3")
    expected = [a.pk for a in sorted(made, key=lambda a: (a.published_at, a.pk), reverse=True)]
    assert ids == expected
    assert pages == 4


def test_a_cursor_page_keeps_the_filters(client):
    from tests.sources.factories import SourceFactory

    gazette = SourceFactory(slug="gazette")
    mine = [ArticleFactory(source=gazette) for _ in range(5)]
    ArticleFactory.create_batch(3)
    ids, _pages = walk(client, "/api/articles?source=gazette&limit=2")
    assert sorted(ids) == sorted(a.pk for a in mine)


def b64(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    ["nonsense!", "x" * 200, b64("123"), b64("5.0"), b64("-99999999999999999.1"), b64("1.99999999999999999999")],
)
def test_a_bad_cursor_is_a_400_with_a_message(client, cursor):
    ArticleFactory()
    for url in ("/api/articles", "/api/stories"):
        response = client.get(url, {"cursor": cursor})
        assert response.status_code == 400, (url, response.content)
        assert "not a cursor this list gave" in response.json()["detail"]


def test_cursor_and_offset_together_or_with_a_search_are_400(client):
    ArticleFactory.create_batch(3)
    cursor = client.get("/api/articles", {"limit": 1}).json()["next"].split("cursor=")[1]
    both = client.get("/api/articles", {"cursor": cursor, "offset": 1})
    assert both.status_code == 400 and "not both" in both.json()["detail"]
    search = client.get("/api/articles", {"cursor": cursor, "q": "news"})
    assert search.status_code == 400 and "search" in search.json()["detail"]


def test_count_stops_at_the_cap_and_says_so(client, monkeypatch):
    monkeypatch.setattr(counting, "COUNT_CAP", 3)
    ArticleFactory.create_batch(5)
    body = client.get("/api/articles", {"limit": 2}).json()
    assert (body["count"], body["count_exact"]) == (3, False)
    Article.objects.filter(pk__in=list(Article.objects.values_list("pk", flat=True)[:2])).delete()
    body = client.get("/api/articles", {"limit": 2}).json()
    assert (body["count"], body["count_exact"]) == (3, True)


def test_stories_pages_by_cursor(client):
    made = [
        story_of(("Harbour Herald", f"Event {n}", n + 1), ("Evening Post", f"Event {n}, again", n))[0] for n in range(5)
    ]
    ids, pages = walk(client, "/api/stories?limit=2")
    assert ids == [s.pk for s in sorted(made, key=lambda s: (s.last_published_at, s.pk), reverse=True)]
    assert pages == 3


def test_oldest_first_pages_by_offset_and_refuses_a_cursor(client):
    now = timezone.now()
    made = [ArticleFactory(published_at=now - timedelta(minutes=n)) for n in range(5)]
    ids, pages = walk(client, "/api/articles?sort=oldest&limit=2")
    assert ids == [a.pk for a in sorted(made, key=lambda a: (a.published_at, a.pk))]
    assert pages == 3
    first = client.get("/api/articles?limit=2").json()
    cursor = first["next"].split("cursor=")[1].split("&")[0]
    response = client.get(f"/api/articles?sort=oldest&cursor={cursor}")
    assert response.status_code == 400
    assert "newest-first" in response.json()["detail"]
