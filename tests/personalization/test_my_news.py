"""My News is one function: the web page and /api/me/feed give the same articles in the same order."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.accounts.factories import UserFactory
from tests.articles.factories import ArticleFactory
from tests.sources.factories import SourceFactory
from tests.taxonomy.factories import ArticleCategoryFactory, ArticleTopicFactory, CategoryFactory, TopicFactory
from tidings.accounts.models import ApiToken
from tidings.personalization.models import Follow
from tidings.personalization.services import profile_for_user, set_follow

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader():
    """A user following a category, a topic and a source and muting a topic, with articles of each kind."""
    user = UserFactory()
    profile = profile_for_user(user)
    politics = CategoryFactory(name="politics", slug="politics")
    election = CategoryFactory(name="election", slug="election", parent=politics)
    climate = TopicFactory(name="climate")
    gossip = TopicFactory(name="gossip")
    post = SourceFactory(name="Evening Post")
    for target in (politics, climate, post):
        set_follow(profile, target)
    set_follow(profile, gossip, "mute")
    now = timezone.now()

    def article(headline, hours_ago, *, category=None, topics=(), source=None):
        extra = {"source": source} if source else {}
        a = ArticleFactory(headline=headline, published_at=now - timedelta(hours=hours_ago), **extra)
        if category:
            ArticleCategoryFactory(article=a, category=category)
        for topic in topics:
            ArticleTopicFactory(article=a, topic=topic)
        return a

    # Newest first would be: ballot, post, climate summit, climate vote; ranking puts them in another order.
    article("Ballot count", 1, category=election)
    article("Evening Post editorial", 2, source=post)
    article("Climate summit", 3, topics=[climate])
    article("Climate vote in parliament", 6, category=politics, topics=[climate], source=post)
    article("Minister's gossip", 0.5, category=politics, topics=[gossip])
    article("Unfollowed sports", 0, category=CategoryFactory(name="sport", slug="sport"))
    _, token = ApiToken.issue(user)
    return user, token


def titles_on_page(response):
    assert response.status_code == 200
    return re.findall(r'class="card-title"><a href="[^"]*">([^<]*)</a>', response.content.decode())


def test_web_and_api_give_the_same_articles_in_the_same_ranked_order(client, reader):
    user, token = reader
    feed = client.get("/api/me/feed", headers={"Authorization": f"Bearer {token}"})
    assert feed.status_code == 200
    api_titles = [item["headline"] for item in feed.json()["items"]]
    client.force_login(user)
    web_titles = titles_on_page(client.get(reverse("web:my_news")))
    assert web_titles == api_titles
    assert api_titles == [
        "Climate vote in parliament",  # three matches outweigh six hours
        "Ballot count",  # diversity: a second climate card right after the first pays for the shared topic
        "Climate summit",
        "Evening Post editorial",
    ]
    assert [item["why"] for item in feed.json()["items"]] == [
        "You follow climate",
        "You follow politics",
        "You follow climate",
        "You follow Evening Post",
    ]
    assert feed.json()["count"] == 4


def test_api_feed_pages_through_the_same_order(client, reader):
    _user, token = reader
    headers = {"Authorization": f"Bearer {token}"}
    whole = [i["id"] for i in client.get("/api/me/feed", headers=headers).json()["items"]]
    first = client.get("/api/me/feed?limit=3", headers=headers).json()
    second = client.get(first["next"], headers=headers).json()
    assert [i["id"] for i in first["items"] + second["items"]] == whole
    assert second["next"] is None


def test_a_my_news_page_view_reads_the_follows_table_once(client, reader):
    user, _token = reader
    client.force_login(user)
    table = Follow._meta.db_table
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("web:my_news"))
    assert titles_on_page(response)[0] == "Climate vote in parliament"
    body = response.content.decode()
    assert "Muted" in body and "gossip" in body, "the side panel lost the mute"
    follow_reads = [q["sql"] for q in queries.captured_queries if f'FROM "{table}"' in q["sql"]]
    assert len(follow_reads) == 1, follow_reads


def test_a_weak_category_link_adds_no_relevance(client):
    """Ranking counts a followed category only where the article is listed in it (taxonomy.membership)."""
    user = UserFactory()
    profile = profile_for_user(user)
    politics = CategoryFactory(name="politics", slug="politics")
    climate = TopicFactory(name="climate")
    set_follow(profile, politics)
    set_follow(profile, climate)
    now = timezone.now()
    weak = ArticleFactory(headline="Older, weakly politics", published_at=now - timedelta(hours=1))
    ArticleTopicFactory(article=weak, topic=climate)
    ArticleCategoryFactory(article=weak, category=politics, score=0.1)
    plain = ArticleFactory(headline="Newer, climate only", published_at=now - timedelta(minutes=30))
    ArticleTopicFactory(article=plain, topic=climate)
    client.force_login(user)
    assert titles_on_page(client.get(reverse("web:my_news"))) == ["Newer, climate only", "Older, weakly politics"]
    ArticleCategoryFactory(article=weak, category=politics, score=0.9, origin="publisher")
    assert titles_on_page(client.get(reverse("web:my_news"))) == ["Older, weakly politics", "Newer, climate only"]
