"""Category, topic and source pages page by position (web.newest): Older and Newer links instead of page
numbers, every card once across pages, one card per story even when a story's articles fall on different pages."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.articles.factories import ArticleFactory
from tests.sources.factories import SourceFactory
from tests.taxonomy.factories import ArticleCategoryFactory, ArticleTopicFactory, CategoryFactory, TopicFactory
from tidings.stories.models import ArticleStory, Story

pytestmark = pytest.mark.django_db


def titles(body: str) -> list[str]:
    return re.findall(r'class="card-title"><a href="[^"]*">([^<]*)</a>', body)


def link(body: str, rel: str) -> str | None:
    found = re.search(rf'rel="{rel}" href="([^"]*)"', body)
    return html.unescape(found.group(1)) if found else None


def read_all(client, url: str) -> list[list[str]]:
    """The titles of every page, following Older links from the first."""
    pages, query = [], ""
    while query is not None:
        response = client.get(url + query)
        assert response.status_code == 200
        body = response.content.decode()
        pages.append(titles(body))
        assert "Page " not in body or "Page 1 of" not in body  # no page count on a keyset list
        query = link(body, "next")
    return pages


@pytest.fixture
def politics():
    category = CategoryFactory(name="politics", slug="politics")
    now = timezone.now()
    made = []
    for n in range(45):
        article = ArticleFactory(headline=f"Vote {n:02d}", published_at=now - timedelta(minutes=n))
        ArticleCategoryFactory(article=article, category=category)
        made.append(article)
    return category, made


def test_older_links_read_every_card_once_in_order(client, politics):
    pages = read_all(client, reverse("web:category", args=["politics"]))
    assert [len(p) for p in pages] == [20, 20, 5]
    assert [t for p in pages for t in p] == [f"Vote {n:02d}" for n in range(45)]


def test_newer_link_goes_back_a_page(client, politics):
    url = reverse("web:category", args=["politics"])
    first = client.get(url).content.decode()
    second = client.get(url + link(first, "next")).content.decode()
    third = client.get(url + link(second, "next")).content.decode()
    assert titles(client.get(url + link(third, "prev")).content.decode()) == titles(second)
    back = client.get(url + link(second, "prev")).content.decode()
    assert titles(back) == titles(first)
    assert link(back, "prev") is None  # the newest page has no Newer link


def test_a_story_split_across_pages_has_one_card(client, politics):
    category, made = politics
    story = Story.objects.create(headline="Vote")
    for article in (made[2], made[30]):  # the newer on page one, the older would be on page two
        ArticleStory.objects.create(article=article, story=story, score=0.8)
    pages = read_all(client, reverse("web:category", args=[category.slug]))
    shown = [t for p in pages for t in p]
    assert "Vote 02" in shown and "Vote 30" not in shown
    assert len(shown) == len(set(shown)) == 44


def test_only_a_story_mate_in_the_same_list_takes_the_card(client, politics):
    category, made = politics
    # The same id under the other kind of list, and another category: neither is this list.
    elsewhere = TopicFactory(pk=category.pk, name="Vote", slug="vote")
    other = CategoryFactory(name="sport", slug="sport")
    now = timezone.now()
    for n, (linked, headline) in enumerate(((elsewhere, "Topic only"), (other, "Sport only"))):
        story = Story.objects.create(headline=headline)
        mate = ArticleFactory(headline=headline, published_at=now + timedelta(minutes=n + 1))
        if linked is elsewhere:
            ArticleTopicFactory(article=mate, topic=elsewhere)
        else:
            ArticleCategoryFactory(article=mate, category=other)
        for article in (mate, made[30 + n]):  # the newer mate is in another list, the older on page two here
            ArticleStory.objects.create(article=article, story=story, score=0.8)
    shown = [t for p in read_all(client, reverse("web:category", args=[category.slug])) for t in p]
    assert "Vote 30" in shown and "Vote 31" in shown
    assert "Topic only" not in shown and "Sport only" not in shown
    assert len(shown) == len(set(shown)) == 45


def test_a_duplicate_story_mate_does_not_take_the_card(client, politics):
    category, made = politics
    story = Story.objects.create(headline="Vote")
    for article in (made[2], made[30]):
        ArticleStory.objects.create(article=article, story=story, score=0.8)
    made[2].duplicate_of = made[40]
    made[2].save()
    shown = [t for p in read_all(client, reverse("web:category", args=[category.slug])) for t in p]
    assert "Vote 02" not in shown and "Vote 30" in shown


def test_a_mangled_position_shows_the_newest_page(client, politics):
    url = reverse("web:category", args=["politics"])
    for bad in ("?before=%00%ff", "?after=not-a-cursor", "?before=" + "A" * 300, "?page=7"):
        response = client.get(url + bad)
        assert response.status_code == 200
        assert titles(response.content.decode())[:2] == ["Vote 00", "Vote 01"]


def test_topic_and_source_pages_page_by_position_too(client):
    topic = TopicFactory(name="Harbour", slug="harbour")
    gazette = SourceFactory(slug="gazette")
    now = timezone.now()
    for n in range(25):
        article = ArticleFactory(source=gazette, headline=f"Quay {n:02d}", published_at=now - timedelta(hours=n))
        ArticleTopicFactory(article=article, topic=topic)
    for url in (topic.get_absolute_url(), gazette.get_absolute_url()):
        pages = read_all(client, url)
        assert [t for p in pages for t in p] == [f"Quay {n:02d}" for n in range(25)], url


def test_duplicates_are_left_out_of_the_listing_pages(client, politics):
    category, made = politics
    made[0].duplicate_of = made[5]
    made[0].save()
    assert "Vote 00" not in titles(client.get(reverse("web:category", args=[category.slug])).content.decode())
