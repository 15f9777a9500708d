"""Lists show one card per story: home, category, topic and source pages (in SQL) and My News (after ranking)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.accounts.factories import UserFactory
from tests.articles.factories import ArticleFactory
from tests.stories.helpers import source, story_of
from tests.taxonomy.factories import ArticleCategoryFactory, ArticleTopicFactory, CategoryFactory, TopicFactory
from tidings.accounts.models import ApiToken
from tidings.personalization.services import profile_for_user, set_follow
from tidings.stories.collapse import first_of_each_story

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    assert response.status_code == 200
    return re.findall(r'class="card-title"><a href="[^"]*">([^<]*)</a>', response.content.decode())


@pytest.fixture
def strike():
    return story_of(
        ("Harbour Herald", "Dunmore rail strike ends", 6),
        ("Dunmore Courier", "Rail strike over in Dunmore", 2),
        ("Evening Post", "Commuters back on Dunmore trains", 1),
    )


def test_home_shows_the_newest_article_of_a_story_once_with_its_source_count(client, strike):
    story, _ = strike
    ArticleFactory(headline="Library reopens", published_at=timezone.now() - timedelta(hours=3))
    response = client.get(reverse("web:home"))
    assert titles(response) == ["Commuters back on Dunmore trains", "Library reopens"]
    body = response.content.decode()
    assert f'href="{reverse("web:story", args=[story.pk])}">3 sources</a>' in body


def test_pagination_counts_cards_not_articles(client, strike):
    now = timezone.now()
    for n in range(19):
        ArticleFactory(headline=f"Other news {n:02d}", published_at=now - timedelta(hours=10 + n))
    response = client.get(reverse("web:home"))
    assert len(titles(response)) == 20  # 19 single articles and the story's one card: a single page
    assert response.context["page"].paginator.count == 20
    assert not response.context["page"].has_other_pages()


def test_category_page_keeps_the_story_article_that_is_in_the_category(client, strike):
    _, articles = strike
    labour = CategoryFactory(name="labour", slug="labour")
    ArticleCategoryFactory(article=articles[1], category=labour)  # not the story's newest article
    assert titles(client.get(reverse("web:category", args=["labour"]))) == ["Rail strike over in Dunmore"]


def test_topic_and_source_pages_collapse_too(client, strike):
    _, articles = strike
    union = TopicFactory(name="Dunmore Rail Union")
    for article in articles:
        ArticleTopicFactory(article=article, topic=union)
    assert titles(client.get(union.get_absolute_url())) == ["Commuters back on Dunmore trains"]
    courier = source("Dunmore Courier")
    ArticleFactory(source=courier, headline="Courier: a second strike piece", published_at=articles[1].published_at)
    assert titles(client.get(courier.get_absolute_url())) == [
        "Courier: a second strike piece",
        "Rail strike over in Dunmore",
    ]


def test_a_lone_article_has_no_story_link(client):
    story, _ = story_of(("Harbour Herald", "Only one report", 1))
    body = client.get(reverse("web:home")).content.decode()
    assert "Only one report" in body
    assert reverse("web:story", args=[story.pk]) not in body


def test_first_of_each_story_keeps_order_and_lone_articles(strike):
    _, articles = strike
    lone = ArticleFactory()
    ids = [articles[1].pk, lone.pk, articles[2].pk, articles[0].pk]
    assert first_of_each_story(ids) == [articles[1].pk, lone.pk]


def test_my_news_web_and_api_show_the_same_one_card_per_story(client, strike):
    _, articles = strike
    user = UserFactory()
    climate = TopicFactory(name="climate")
    set_follow(profile_for_user(user), climate)
    for article in articles:
        ArticleTopicFactory(article=article, topic=climate)
    ArticleTopicFactory(article=ArticleFactory(headline="Climate summit opens"), topic=climate)
    _, token = ApiToken.issue(user)
    feed = client.get("/api/me/feed", headers={"Authorization": f"Bearer {token}"}).json()
    client.force_login(user)
    web = titles(client.get(reverse("web:my_news")))
    assert [item["headline"] for item in feed["items"]] == web
    assert web == ["Commuters back on Dunmore trains", "Climate summit opens"]  # three outlets outweigh an hour
    assert feed["count"] == 2
