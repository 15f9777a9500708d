"""Muted words leave articles out of My News, the home page, category and topic pages and the private feed; they
are managed on My interests and one reader's words never touch another's lists."""

from __future__ import annotations

import re
from datetime import timedelta

import feedparser
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.accounts.factories import UserFactory
from tests.articles.factories import ArticleFactory
from tests.taxonomy.factories import ArticleCategoryFactory, ArticleTopicFactory, CategoryFactory, TopicFactory
from tidings.feeds.service import rotate_token
from tidings.personalization.keyword_mute_service import add_keyword_mute
from tidings.personalization.models import KeywordMute
from tidings.personalization.my_news import load_my_news, load_top_stories
from tidings.personalization.services import profile_for_user, set_follow
from tidings.stories.models import ArticleStory, Story

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return re.findall(r'class="card-title"><a href="[^"]*">([^<]*)</a>', response.content.decode())


@pytest.fixture
def politics_news():
    politics = CategoryFactory(name="politics", slug="politics")
    budget = TopicFactory(name="budget", slug="budget")
    now = timezone.now()
    made = {}
    for n, headline in enumerate(["Budget vote passes", "Celebrity gossip at the vote", "Minister resigns"]):
        article = ArticleFactory(headline=headline, published_at=now - timedelta(hours=n + 1))
        ArticleCategoryFactory(article=article, category=politics)
        ArticleTopicFactory(article=article, topic=budget)
        made[headline] = article
    return politics, budget, made


@pytest.fixture
def ana(politics_news):
    user = UserFactory(username="ana")
    profile = profile_for_user(user)
    set_follow(profile, politics_news[0])
    add_keyword_mute(profile, "gossip")
    client = Client()
    client.force_login(user)
    return profile, client


@pytest.fixture
def ben(politics_news):
    user = UserFactory(username="ben")
    set_follow(profile_for_user(user), politics_news[0])
    client = Client()
    client.force_login(user)
    return client


def test_my_news_leaves_out_a_muted_word(ana, politics_news):
    profile, _ = ana
    _, _, made = politics_news
    news = load_my_news(profile, timezone.now())
    assert made["Celebrity gossip at the vote"].pk not in news.article_ids
    assert made["Budget vote passes"].pk in news.article_ids


def test_home_leaves_out_a_muted_word(ana, politics_news):
    profile, _ = ana
    ids = load_top_stories(profile, timezone.now()).article_ids
    assert politics_news[2]["Celebrity gossip at the vote"].pk not in ids


def test_category_and_topic_pages_hide_it_and_say_so(ana):
    _, client = ana
    for url in (reverse("web:category", args=["politics"]), reverse("web:topic", args=["budget"])):
        response = client.get(url)
        assert titles(response) == ["Budget vote passes", "Minister resigns"]
        assert "1 article on this page hidden by your" in response.content.decode()


def test_another_reader_sees_everything(ana, ben):
    assert "Celebrity gossip at the vote" in titles(ben.get(reverse("web:category", args=["politics"])))
    assert "gossip" not in ben.get(reverse("web:interests")).content.decode()


def test_private_feed_leaves_it_out(ana):
    profile, _ = ana
    token = rotate_token(profile)
    parsed = feedparser.parse(Client().get(reverse("feeds:private", args=[token, "rss"])).content)
    assert not parsed.bozo
    assert parsed.entries and "Celebrity gossip at the vote" not in [e.title for e in parsed.entries]


def test_a_regex_mute_from_my_interests(ana):
    _, client = ana
    response = client.post(reverse("web:keyword_mute_add"), {"pattern": r"minist(er|ry)", "regex": "1"})
    assert response.status_code == 302
    assert titles(client.get(reverse("web:category", args=["politics"]))) == ["Budget vote passes"]
    assert "minist(er|ry)" in client.get(reverse("web:interests")).content.decode()


def test_a_bad_regex_is_refused_with_its_reason(ana):
    _, client = ana
    response = client.post(reverse("web:keyword_mute_add"), {"pattern": "(oops", "regex": "1"}, follow=True)
    assert "is not a valid regular expression" in response.content.decode()
    assert not KeywordMute.objects.filter(pattern="(oops").exists()


def test_unmute_and_another_readers_mute_cannot_be_removed(ana, ben):
    profile, client = ana
    mute = KeywordMute.objects.get(profile=profile)
    assert ben.post(reverse("web:keyword_mute_remove", args=[mute.pk])).status_code == 404
    assert client.post(reverse("web:keyword_mute_remove", args=[mute.pk])).status_code == 302
    assert "Celebrity gossip at the vote" in titles(client.get(reverse("web:category", args=["politics"])))


def test_my_news_page_is_full_when_muted_articles_would_rank_first(ana, politics_news):
    politics = politics_news[0]
    now = timezone.now()
    for n in range(8):  # the newest articles of the followed category all hold the muted word
        article = ArticleFactory(headline=f"Gossip column {n}", published_at=now - timedelta(minutes=n + 1))
        ArticleCategoryFactory(article=article, category=politics)
    for n in range(25):
        article = ArticleFactory(headline=f"Committee report {n}", published_at=now - timedelta(hours=5, minutes=n))
        ArticleCategoryFactory(article=article, category=politics)
    _, client = ana
    shown = titles(client.get(reverse("web:my_news")))
    assert len(shown) == 20
    assert not [t for t in shown if "gossip" in t.lower()]


def test_a_story_is_shown_through_an_article_no_muted_word_hides(ana, politics_news):
    profile, _ = ana
    politics = politics_news[0]
    now = timezone.now()
    story = Story.objects.create(headline="Harbour fire", first_published_at=now, last_published_at=now)
    muted = ArticleFactory(headline="Gossip from the harbour fire", published_at=now - timedelta(minutes=5))
    plain = ArticleFactory(headline="Harbour fire put out", published_at=now - timedelta(hours=4))
    for article in (muted, plain):
        ArticleCategoryFactory(article=article, category=politics)
        ArticleStory.objects.create(article=article, story=story, score=0.0)
    ids = load_my_news(profile, now).article_ids
    assert muted.pk not in ids
    assert plain.pk in ids  # the story's best article is muted: the story stands on its other article
