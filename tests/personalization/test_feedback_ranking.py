"""Feedback changes the next page in the expected direction; the home page ranks stories by coverage and freshness.

Through the stored rows the rest of Tidings writes (Interest, Follow.weight, HiddenStory, ArticleState) and the
pages and API that read them (personalization.candidates, my_news, web and /api/me/feed).
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.accounts.factories import UserFactory
from tests.articles.factories import ArticleFactory
from tests.stories.helpers import story_of
from tests.taxonomy.factories import ArticleCategoryFactory, CategoryFactory
from tidings.accounts.models import ApiToken
from tidings.personalization.models import ArticleState, Follow, HiddenStory, Interest
from tidings.personalization.my_news import load_my_news, load_top_stories
from tidings.personalization.services import profile_for_user, set_follow

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    assert response.status_code == 200
    return re.findall(r'class="card-title"><a href="[^"]*">([^<]*)</a>', response.content.decode())


def whys(response) -> list[str]:
    return re.findall(r'<p class="card-why">([^<]*)</p>', response.content.decode())


@pytest.fixture
def reader():
    """A reader following sport and science, with one article in each (science one hour older)."""
    user = UserFactory()
    profile = profile_for_user(user)
    sport = CategoryFactory(name="Sport", slug="sport")
    science = CategoryFactory(name="Science", slug="science")
    set_follow(profile, sport)
    set_follow(profile, science)
    now = timezone.now()
    for headline, category, hours in (("Cup final tonight", sport, 1), ("Comet seen over the bay", science, 2)):
        ArticleCategoryFactory(
            article=ArticleFactory(headline=headline, published_at=now - timedelta(hours=hours)), category=category
        )
    return user, profile, sport, science


def order(profile) -> list[str]:
    from tidings.articles.models import Article

    ids = load_my_news(profile, timezone.now()).article_ids
    headlines = dict(Article.objects.filter(pk__in=ids).values_list("pk", "headline"))
    return [headlines[i] for i in ids]


def test_follow_weight_more_lifts_the_followed_category(reader):
    _user, profile, _sport, science = reader
    assert order(profile) == ["Cup final tonight", "Comet seen over the bay"]
    Follow.objects.filter(profile=profile, category=science).update(weight=1)
    assert order(profile) == ["Comet seen over the bay", "Cup final tonight"]


def test_follow_weight_less_lowers_it(reader):
    _user, profile, sport, _science = reader
    ArticleCategoryFactory(
        article=ArticleFactory(headline="Tennis results", published_at=timezone.now() - timedelta(hours=2.5)),
        category=sport,
    )
    Follow.objects.filter(profile=profile, category=sport).update(weight=-1)
    assert order(profile)[0] == "Comet seen over the bay"


def test_a_learned_interest_lifts_what_the_reader_reads(reader):
    _user, profile, _sport, science = reader
    Interest.objects.create(profile=profile, kind="category", target_id=science.pk, score=6.0)
    assert order(profile) == ["Comet seen over the bay", "Cup final tonight"]


def test_a_learned_dislike_lowers_it(reader):
    _user, profile, sport, _science = reader
    Interest.objects.create(profile=profile, kind="category", target_id=sport.pk, score=-8.0)
    assert order(profile) == ["Comet seen over the bay", "Cup final tonight"]


def test_a_learned_interest_alone_fills_my_news_and_says_so(client):
    """No follows at all: an Interest row brings in candidates, and the card says the reader often reads it."""
    user = UserFactory()
    profile = profile_for_user(user)
    science = CategoryFactory(name="Science", slug="science")
    ArticleCategoryFactory(article=ArticleFactory(headline="New moon found"), category=science)
    client.force_login(user)
    assert titles(client.get(reverse("web:my_news"))) == []
    Interest.objects.create(profile=profile, kind="category", target_id=science.pk, score=3.0)
    response = client.get(reverse("web:my_news"))
    assert titles(response) == ["New moon found"]
    assert whys(response) == ["You often read Science"]


def test_hiding_a_story_removes_it_from_my_news_and_home(client, reader):
    user, profile, sport, _science = reader
    story, articles = story_of(("Harbour Herald", "Derby ends level", 3), ("Evening Post", "Derby draw", 2))
    for article in articles:
        ArticleCategoryFactory(article=article, category=sport)
    client.force_login(user)
    assert "Derby draw" in titles(client.get(reverse("web:my_news")))
    assert "Derby draw" in titles(client.get(reverse("web:home")))
    HiddenStory.objects.create(profile=profile, story=story)
    assert not {"Derby draw", "Derby ends level"} & set(titles(client.get(reverse("web:my_news"))))
    assert not {"Derby draw", "Derby ends level"} & set(titles(client.get(reverse("web:home"))))


def test_a_read_article_leaves_my_news(reader):
    _user, profile, _sport, _science = reader
    from tidings.articles.models import Article

    cup = Article.objects.get(headline="Cup final tonight")
    ArticleState.objects.create(profile=profile, article=cup, read_at=timezone.now())
    assert order(profile) == ["Comet seen over the bay"]


def test_a_muted_source_leaves_home_for_that_visitor_only(client):
    _story, articles = story_of(("Harbour Herald", "Bridge opens", 2), ("Evening Post", "New bridge open", 1))
    ArticleFactory(headline="Market report", source=articles[0].source)
    user = UserFactory()
    set_follow(profile_for_user(user), articles[0].source, "mute")
    assert set(titles(client.get(reverse("web:home")))) == {"New bridge open", "Market report"}
    client.force_login(user)
    assert titles(client.get(reverse("web:home"))) == ["New bridge open"]


def test_api_feed_items_say_why(client, reader):
    user, _profile, _sport, _science = reader
    _, token = ApiToken.issue(user)
    items = client.get("/api/me/feed", headers={"Authorization": f"Bearer {token}"}).json()["items"]
    assert [(i["headline"], i["why"]) for i in items] == [
        ("Cup final tonight", "You follow Sport"),
        ("Comet seen over the bay", "You follow Science"),
    ]


def test_home_ranks_wide_coverage_above_a_newer_lone_article(client):
    story_of(*((f"Outlet {n}", f"Summit report {n}", 5 + n * 0.1) for n in range(6)))
    ArticleFactory(headline="Lone newer item", published_at=timezone.now() - timedelta(hours=2))
    ArticleFactory(headline="Lone old item", published_at=timezone.now() - timedelta(hours=30))
    response = client.get(reverse("web:home"))
    assert titles(response) == ["Summit report 0", "Lone newer item", "Lone old item"]
    assert whys(response) == ["Top story: 6 sources", "Latest news", "Latest news"]


def test_home_freshness_wins_over_coverage_that_is_days_old(client):
    story_of(*((f"Outlet {n}", f"Old summit {n}", 70 + n) for n in range(4)))
    ArticleFactory(headline="Fresh lone item", published_at=timezone.now() - timedelta(hours=1))
    assert titles(client.get(reverse("web:home")))[0] == "Fresh lone item"


def test_top_stories_ignore_interests_but_keep_mutes(reader):
    _user, profile, sport, science = reader
    Follow.objects.filter(profile=profile, category=science).update(weight=1)
    top = load_top_stories(profile, timezone.now())
    from tidings.articles.models import Article

    headlines = dict(Article.objects.values_list("pk", "headline"))
    assert [headlines[i] for i in top.article_ids] == ["Cup final tonight", "Comet seen over the bay"]
    set_follow(profile, sport, "mute")
    assert [headlines[i] for i in load_top_stories(profile, timezone.now()).article_ids] == ["Comet seen over the bay"]
