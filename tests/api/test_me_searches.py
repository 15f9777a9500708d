"""/api/me/muted-words and /api/me/saved-searches: the reader's own, never the outsider's; and search filters."""

from __future__ import annotations

from datetime import timedelta

import feedparser
import pytest
from django.test import Client
from django.utils import timezone

from tests.articles.factories import ArticleFactory
from tests.sources.factories import SourceFactory

pytestmark = pytest.mark.django_db


def test_mute_a_word_list_and_unmute(client, reader):
    made = client.post(
        "/api/me/muted-words", {"pattern": "gossip"}, content_type="application/json", headers=reader.headers
    )
    assert made.status_code == 200 and made.json()["pattern"] == "gossip"
    listed = client.get("/api/me/muted-words", headers=reader.headers).json()
    assert [m["pattern"] for m in listed] == ["gossip"]
    assert client.delete(f"/api/me/muted-words/{made.json()['id']}", headers=reader.headers).status_code == 204
    assert client.get("/api/me/muted-words", headers=reader.headers).json() == []


def test_a_bad_regex_is_400_with_its_reason(client, reader):
    response = client.post(
        "/api/me/muted-words",
        {"pattern": "[unclosed", "is_regex": True},
        content_type="application/json",
        headers=reader.headers,
    )
    assert response.status_code == 400
    assert "is not a valid regular expression" in response.json()["detail"]


def test_the_outsider_neither_sees_nor_removes_the_readers_words(client, reader, outsider):
    made = client.post(
        "/api/me/muted-words", {"pattern": "gossip"}, content_type="application/json", headers=reader.headers
    ).json()
    assert client.get("/api/me/muted-words", headers=outsider.headers).json() == []
    assert client.delete(f"/api/me/muted-words/{made['id']}", headers=outsider.headers).status_code == 404


def test_muted_word_leaves_the_article_out_of_my_feed(client, reader):
    from tests.taxonomy.factories import ArticleCategoryFactory, CategoryFactory

    politics = CategoryFactory(slug="politics", name="politics")
    for headline in ("Budget vote", "Gossip at the vote"):
        ArticleCategoryFactory(article=ArticleFactory(headline=headline), category=politics)
    client.post(
        "/api/me/follows",
        {"kind": "category", "slug": "politics"},
        content_type="application/json",
        headers=reader.headers,
    )
    client.post("/api/me/muted-words", {"pattern": "gossip"}, content_type="application/json", headers=reader.headers)
    feed = client.get("/api/me/feed", headers=reader.headers).json()
    assert [item["headline"] for item in feed["items"]] == ["Budget vote"]


def test_save_a_search_read_its_articles_and_feed(client, reader, outsider):
    gazette = SourceFactory(name="Harbour Gazette")
    now = timezone.now()
    ArticleFactory(source=gazette, headline="Flood older", published_at=now - timedelta(days=1))
    ArticleFactory(source=gazette, headline="Flood newer", published_at=now)
    ArticleFactory(headline="Flood elsewhere", published_at=now)
    made = client.post(
        "/api/me/saved-searches",
        {"name": "Gazette floods", "q": "flood", "source": gazette.slug},
        content_type="application/json",
        headers=reader.headers,
    )
    assert made.status_code == 200, made.content
    saved = made.json()
    articles = client.get(f"/api/me/saved-searches/{saved['id']}/articles", headers=reader.headers).json()
    assert [a["headline"] for a in articles["items"]] == ["Flood newer", "Flood older"]
    parsed = feedparser.parse(Client().get(saved["feeds"]["atom"]).content)
    assert not parsed.bozo and [e.title for e in parsed.entries] == ["Flood newer", "Flood older"]
    assert client.get("/api/me/saved-searches", headers=outsider.headers).json() == []
    assert client.get(f"/api/me/saved-searches/{saved['id']}/articles", headers=outsider.headers).status_code == 404
    assert client.delete(f"/api/me/saved-searches/{saved['id']}", headers=outsider.headers).status_code == 404
    assert client.delete(f"/api/me/saved-searches/{saved['id']}", headers=reader.headers).status_code == 204


def test_saving_an_empty_search_is_400(client, reader):
    response = client.post(
        "/api/me/saved-searches", {"name": "Nothing"}, content_type="application/json", headers=reader.headers
    )
    assert response.status_code == 400 and "nothing to save" in response.json()["detail"]


def test_articles_search_filters_and_sort(client):
    gazette = SourceFactory(name="Harbour Gazette")
    now = timezone.now()
    ArticleFactory(source=gazette, headline="Flood one", published_at=now - timedelta(days=3))
    ArticleFactory(source=gazette, headline="Flood two", published_at=now - timedelta(days=1))
    ArticleFactory(headline="Flood three", published_at=now)
    day = (now - timedelta(days=2)).date().isoformat()
    oldest = client.get("/api/articles", {"q": "flood", "source": gazette.slug, "sort": "oldest"}).json()
    assert [a["headline"] for a in oldest["items"]] == ["Flood one", "Flood two"]
    assert oldest["count"] == 2
    recent = client.get("/api/articles", {"q": "flood", "from": day, "sort": "newest"}).json()
    assert [a["headline"] for a in recent["items"]] == ["Flood three", "Flood two"]
    assert client.get("/api/articles", {"q": "flood", "from": "soon"}).status_code == 400
