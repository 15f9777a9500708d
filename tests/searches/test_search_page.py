"""The search page: words, filters and sort kept in the URL, chips, empty states, pagination, outlet names."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.articles.factories import ArticleFactory
from tests.sources.factories import SourceFactory
from tests.taxonomy.factories import ArticleCategoryFactory, ArticleTopicFactory, CategoryFactory, TopicFactory
from tidings.lib import counting
from tidings.stories.models import Claim

pytestmark = pytest.mark.django_db


def headlines(response) -> list[str]:
    return re.findall(r'class="card-title"><a href="[^"]*">([^<]*)</a>', response.content.decode())


def search(client, **params):
    response = client.get(reverse("web:search"), params)
    assert response.status_code == 200
    return response


def test_an_outlets_name_finds_the_source(client):
    gazette = SourceFactory(name="Harbour Gazette")
    ArticleFactory(source=gazette, headline="Ferry timetable changes")
    body = search(client, q="harbour gazette").content.decode()
    assert gazette.get_absolute_url() in body
    assert f"?source={gazette.slug}" in body  # and the way to its articles


def test_source_filter_narrows_and_shows_a_removable_chip(client):
    gazette, courier = SourceFactory(name="Harbour Gazette"), SourceFactory(name="Valley Courier")
    ArticleFactory(source=gazette, headline="Flood closes the road")
    ArticleFactory(source=courier, headline="Flood waters rise")
    response = search(client, q="flood", source=gazette.slug)
    assert headlines(response) == ["Flood closes the road"]
    body = response.content.decode()
    assert "Source: Harbour Gazette" in body
    assert 'href="?q=flood"' in body  # the chip's remove link keeps the words, drops the filter
    assert f'<option value="{gazette.slug}" selected>' in body  # the filter stays chosen in the form


def test_category_topic_and_speaker_filters(client):
    politics = CategoryFactory(slug="politics", name="Politics")
    mora = TopicFactory(name="Ana Mora", slug="ana-mora", kind="person")
    in_category = ArticleFactory(headline="Flood relief vote")
    ArticleCategoryFactory(article=in_category, category=politics, score=0.9)
    about_mora = ArticleFactory(headline="Flood visit by the mayor")
    ArticleTopicFactory(article=about_mora, topic=mora, score=0.9)
    quoting = ArticleFactory(headline="Flood warning issued")
    Claim.objects.create(
        article=quoting,
        order=0,
        cue_text="said",
        cue_start=0,
        cue_end=4,
        content_text="x",
        content_start=0,
        content_end=1,
        kind="claim",
        speaker_topic=mora,
    )
    assert headlines(search(client, q="flood", category="politics")) == ["Flood relief vote"]
    assert headlines(search(client, q="flood", topic="Ana Mora")) == ["Flood visit by the mayor"]
    assert headlines(search(client, q="flood", speaker="ana-mora")) == ["Flood warning issued"]


def test_date_range_and_sort(client):
    now = timezone.now()
    ArticleFactory(headline="Flood one", published_at=now - timedelta(days=10))
    ArticleFactory(headline="Flood two", published_at=now - timedelta(days=5))
    ArticleFactory(headline="Flood three", published_at=now - timedelta(days=1))
    day = (now - timedelta(days=6)).date().isoformat()
    assert headlines(search(client, q="flood", sort="newest")) == ["Flood three", "Flood two", "Flood one"]
    assert headlines(search(client, q="flood", sort="oldest")) == ["Flood one", "Flood two", "Flood three"]
    assert headlines(search(client, q="flood", sort="oldest", **{"from": day})) == ["Flood two", "Flood three"]
    assert headlines(search(client, q="flood", sort="oldest", to=day)) == ["Flood one"]


def test_filters_alone_list_newest_first(client):
    gazette = SourceFactory(name="Harbour Gazette")
    now = timezone.now()
    ArticleFactory(source=gazette, headline="Older", published_at=now - timedelta(days=2))
    ArticleFactory(source=gazette, headline="Newer", published_at=now)
    assert headlines(search(client, source=gazette.slug)) == ["Newer", "Older"]


def test_pages_keep_the_words_and_filters(client):
    gazette = SourceFactory(name="Harbour Gazette")
    now = timezone.now()
    for n in range(25):
        ArticleFactory(source=gazette, headline=f"Flood report {n}", published_at=now - timedelta(hours=n))
    first = search(client, q="flood", source=gazette.slug, sort="newest")
    assert len(headlines(first)) == 20
    assert f"q=flood&amp;source={gazette.slug}&amp;sort=newest&amp;page=2" in first.content.decode()
    second = search(client, q="flood", source=gazette.slug, sort="newest", page="2")
    assert headlines(second) == [f"Flood report {n}" for n in range(20, 25)]
    assert "Page 2 of 2" in second.content.decode()


def test_empty_states(client):
    ArticleFactory(headline="Budget passes")
    assert "Search the news" in search(client).content.decode()
    assert "No articles match “volcano”" in search(client, q="volcano").content.decode()
    unknown = search(client, q="budget", source="no-such-outlet").content.decode()
    assert "That search did not work" in unknown and "no source &#x27;no-such-outlet&#x27;" in unknown


def test_bad_page_number_gives_a_real_page(client):
    ArticleFactory(headline="Flood waters rise")
    assert headlines(search(client, q="flood", page="99999")) == ["Flood waters rise"]
    assert headlines(search(client, q="flood", page="x")) == ["Flood waters rise"]


def test_a_count_past_the_cap_says_more_than(client, monkeypatch):
    monkeypatch.setattr(counting, "COUNT_CAP", 3)
    for n in range(5):
        ArticleFactory(headline=f"Flood report {n}")
    page = search(client, q="flood").content.decode()
    assert "More than 3 articles" in page
    ArticleFactory(headline="Budget passes")
    assert "1 article<" in search(client, q="budget").content.decode()
