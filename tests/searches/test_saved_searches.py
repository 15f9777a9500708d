"""Saved searches: saved from the search page with a name, listed on My interests, their own page (newest first)
and a feed by token that feedparser reads back; another reader's are invisible."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.accounts.factories import UserFactory
from tests.articles.factories import ArticleFactory
from tests.feeds.test_feeds import read_back
from tests.sources.factories import SourceFactory
from tidings.lib import counting
from tidings.searches.models import SavedSearch

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader_client():
    client = Client()
    client.force_login(UserFactory(username="reader"))
    return client


@pytest.fixture
def outsider_client():
    client = Client()
    client.force_login(UserFactory(username="outsider"))
    return client


@pytest.fixture
def flood_news():
    gazette = SourceFactory(name="Harbour Gazette")
    now = timezone.now()
    ArticleFactory(source=gazette, headline="Flood older", published_at=now - timedelta(days=2))
    ArticleFactory(source=gazette, headline="Flood newer", published_at=now - timedelta(hours=1))
    ArticleFactory(headline="Flood elsewhere", published_at=now)
    ArticleFactory(source=gazette, headline="Budget passes", published_at=now)
    return gazette


def save(client, name, **params):
    return client.post(reverse("web:save_search"), {"name": name, **params})


def test_saving_a_search_opens_its_page_newest_first(reader_client, flood_news):
    response = save(reader_client, "Gazette floods", q="flood", source=flood_news.slug, sort="oldest")
    saved = SavedSearch.objects.get()
    assert response.status_code == 302 and response["Location"] == saved.get_absolute_url()
    assert saved.params == {"q": "flood", "source": flood_news.slug}  # a saved search lists newest first
    page = reader_client.get(saved.get_absolute_url()).content.decode()
    assert re.findall(r'class="card-title"><a href="[^"]*">([^<]*)</a>', page) == ["Flood newer", "Flood older"]
    assert "· 2 articles ·" in page


def test_a_saved_searchs_count_past_the_cap_says_more_than(reader_client, flood_news, monkeypatch):
    monkeypatch.setattr(counting, "COUNT_CAP", 1)
    save(reader_client, "Gazette floods", q="flood", source=flood_news.slug)
    page = reader_client.get(SavedSearch.objects.get().get_absolute_url()).content.decode()
    assert "more than 1 article ·" in page


def test_saved_search_is_listed_on_my_interests(reader_client, flood_news):
    save(reader_client, "Gazette floods", q="flood", source=flood_news.slug)
    body = reader_client.get(reverse("web:interests")).content.decode()
    assert "Gazette floods" in body and SavedSearch.objects.get().get_absolute_url() in body


def test_an_empty_search_or_a_repeated_name_is_not_saved(reader_client, flood_news):
    save(reader_client, "Nothing")
    save(reader_client, "Floods", q="flood")
    response = save(reader_client, "Floods", q="budget")
    assert SavedSearch.objects.count() == 1
    assert response.status_code == 302 and response["Location"].startswith(reverse("web:search"))


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
def test_saved_search_feed_reads_back_without_bozo(reader_client, flood_news, fmt):
    save(reader_client, "Gazette floods", q="flood", source=flood_news.slug)
    saved = SavedSearch.objects.get()
    url = reverse("feeds:public", kwargs={"kind": "search", "key": saved.feed_token, "fmt": fmt})
    _, parsed = read_back(Client(), url, fmt)  # a feed reader has no session: the token is the key
    assert parsed.feed.title == "Gazette floods · Tidings search"
    assert [e.title for e in parsed.entries] == ["Flood newer", "Flood older"]


def test_a_deleted_saved_search_feed_is_gone(reader_client, flood_news):
    save(reader_client, "Floods", q="flood")
    saved = SavedSearch.objects.get()
    url = reverse("feeds:public", kwargs={"kind": "search", "key": saved.feed_token, "fmt": "rss"})
    reader_client.post(reverse("web:saved_search_delete", args=[saved.pk]))
    assert Client().get(url).status_code == 404


def test_a_wrong_token_is_404(client):
    url = reverse("feeds:public", kwargs={"kind": "search", "key": "not-a-token", "fmt": "rss"})
    assert client.get(url).status_code == 404


def test_another_readers_saved_search_is_invisible(reader_client, outsider_client, flood_news):
    save(reader_client, "Gazette floods", q="flood")
    saved = SavedSearch.objects.get()
    assert outsider_client.get(saved.get_absolute_url()).status_code == 404
    assert outsider_client.post(reverse("web:saved_search_delete", args=[saved.pk])).status_code == 404
    assert "Gazette floods" not in outsider_client.get(reverse("web:interests")).content.decode()
    assert "Gazette floods" not in outsider_client.get(reverse("web:search"), {"q": "flood"}).content.decode()
    assert SavedSearch.objects.filter(pk=saved.pk).exists()
