"""List pages run a fixed number of queries, however many articles and chips they show (one of them reads the
cards' story badges: stories.collapse.story_badges)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.articles.factories import ArticleFactory
from tests.taxonomy.factories import ArticleCategoryFactory, ArticleTopicFactory, CategoryFactory
from tidings.articles.models import Article

pytestmark = pytest.mark.django_db


NEWEST = [f"Ballot story {n:02d}" for n in range(20)]  # the page of 20 the lists show, newest first


@pytest.fixture
def followed_category_with_articles(client):
    category = CategoryFactory(name="politics", slug="politics")
    child = CategoryFactory(name="election", slug="election", parent=category)
    now = timezone.now()
    for n in range(25):
        article = ArticleFactory(headline=f"Ballot story {n:02d}", published_at=now - timedelta(minutes=n))
        ArticleCategoryFactory(article=article, category=child)
        ArticleTopicFactory(article=article, topic__name=f"Ballot topic {n:02d}")
    response = client.post(reverse("web:follow", args=["category", category.pk]))
    assert response.status_code == 302
    return category


def assert_lists_the_newest_page(response):
    """The page answered, listing the 20 newest articles in order, each with its topic chip."""
    assert response.status_code == 200
    body = response.content.decode()
    titles = re.findall(r'class="card-title"><a href="[^"]*">([^<]*)</a>', body)
    assert titles == NEWEST
    assert all(f"Ballot topic {n:02d}" in body for n in range(20)), "a card lost its topic chip"


def test_home_query_count_is_fixed(client, followed_category_with_articles, django_assert_max_num_queries):
    # Ranked top stories: the visitor's follows, read/hidden articles and hidden stories (3), the top-story and
    # recent pools (2) and what the candidates are about (3: personalization.candidates), then the page; 3 log the shown cards for the
    # visitor's profile (web.tracking.note_impressions); 1 reads the key of the shared pools' cache entry; 1 reads
    # the visitor's muted words (personalization.keyword_mute_service). +1 trending reads its windows from the
    # precomputed hour and day rows plus exact counts of the ragged ends (taxonomy.trend_counts).
    with django_assert_max_num_queries(23):
        response = client.get(reverse("web:home"))
    assert_lists_the_newest_page(response)


def test_my_news_query_count_is_fixed(client, followed_category_with_articles, django_assert_max_num_queries):
    # As home, plus the learned interests and the followed pool (personalization.candidates), and one read of the
    # first-visit picker's categories (shown: the visitor follows fewer than 3 things); 3 log the shown cards (web.tracking.note_impressions).
    # +2 since read state and output feeds: the page's read/saved states and the private feed's token (its
    # <link rel="alternate">).
    # The followed pool reads the listing in time windows (personalization.followed): here the first window (6 h)
    # finds fewer than it wants, so it reads the oldest article's time and one window holding everything.
    # The shared pools (personalization.candidates.shared_pools) read one more, the key of their cache entry.
    # +1 the reader's muted words (personalization.keyword_mute_service).
    with django_assert_max_num_queries(27):
        response = client.get(reverse("web:my_news"))
    assert_lists_the_newest_page(response)


def test_category_query_count_is_fixed(client, followed_category_with_articles, django_assert_max_num_queries):
    # 13 since the cards show read and saved: one query for the page's states (personalization.reading.card_states).
    # 14 since keyset pages (web.newest): the page's positions from the listing, their story-mates, then the
    # page's articles by id (no COUNT, but the articles are read apart from the positions).
    # 15 with the reader's muted words (personalization.keyword_mute_service).
    with django_assert_max_num_queries(15):
        response = client.get(reverse("web:category", args=["politics"]))
    assert_lists_the_newest_page(response)


def test_a_second_page_reuses_the_shared_pools_from_the_cache(client, followed_category_with_articles):
    """The top-story and recent pools, described, are the same for every reader: the next page reads them from
    the cache (personalization.candidates.shared_pools) and lists the same articles."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        before = client.get(reverse("web:my_news"))
    with CaptureQueriesContext(connection) as second:  # another address: not the reader's kept page (web.reader_pages)
        after = client.get(reverse("web:my_news") + "?page=1")
    assert list(before.context["page"].object_list)
    assert list(after.context["page"].object_list) == list(before.context["page"].object_list)  # ranked ids
    assert len(second.captured_queries) <= len(first.captured_queries) - 5  # top stories, recent, 3 describing


def test_list_pages_and_the_api_list_leave_the_article_bodies_unread(
    client, followed_category_with_articles, django_assert_max_num_queries
):
    # A card or API list item shows no body: the lists read the articles without it (ArticleQuerySet.for_cards),
    # and nothing on them asks for it afterwards (which would be a query per card: the count stays fixed).
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    source = Article.objects.order_by("pk").first().source
    for url, most in (
        (reverse("web:category", args=["politics"]), 15),
        (reverse("web:source", args=[source.slug]), 15),
        (reverse("web:search") + "?q=ballot", 20),  # also the window floor, the count, the filter choices
        (reverse("api:list_articles") + "?limit=20", 15),
    ):
        with CaptureQueriesContext(connection) as captured, django_assert_max_num_queries(most):
            response = client.get(url)
        assert response.status_code == 200
        read = [q["sql"] for q in captured.captured_queries if 'FROM "articles_article"' in q["sql"]]
        assert read, url
        assert not [sql for sql in read if "body_text" in sql or "body_html" in sql], url
    assert "Ballot story 00" in response.content.decode()
