"""My News: what the visitor follows minus what it mutes, newest and most relevant first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from tests.articles.factories import ArticleFactory
from tests.sources.factories import SourceFactory
from tests.taxonomy.factories import ArticleCategoryFactory, ArticleTopicFactory, CategoryFactory, TopicFactory
from tidings.personalization.feed import Followed


def follow(client, kind, target):
    client.post(reverse("web:follow", args=[kind, target.pk]))


@pytest.mark.django_db
def test_followed_category_article_appears(client):
    politics = CategoryFactory(name="politics", slug="politics")
    ArticleCategoryFactory(category=politics, article=ArticleFactory(headline="Parliament votes"))
    ArticleFactory(headline="Unrelated sports story")
    follow(client, "category", politics)
    body = client.get(reverse("web:my_news")).content.decode()
    assert "Parliament votes" in body
    assert "Unrelated sports story" not in body


@pytest.mark.django_db
def test_muted_topic_hides_article(client):
    politics = CategoryFactory(name="politics", slug="politics")
    noise = TopicFactory(name="Celebrity gossip")
    hidden = ArticleFactory(headline="Minister's wedding")
    ArticleCategoryFactory(category=politics, article=hidden)
    ArticleTopicFactory(topic=noise, article=hidden)
    ArticleCategoryFactory(category=politics, article=ArticleFactory(headline="Budget passes"))
    follow(client, "category", politics)
    from tidings.personalization.models import Profile
    from tidings.personalization.services import set_follow

    set_follow(Profile.objects.get(), noise, "mute")
    body = client.get(reverse("web:my_news")).content.decode()
    assert "Budget passes" in body
    assert "Minister&#x27;s wedding" not in body and "Minister's wedding" not in body
    assert "Muted" in body


@pytest.mark.django_db
def test_my_news_lists_what_is_followed_with_its_button(client):
    source = SourceFactory(name="Evening Post")
    follow(client, "source", source)
    body = client.get(reverse("web:my_news")).content.decode()
    assert 'aria-label="Unfollow Evening Post"' in body


@pytest.mark.django_db
def test_my_news_empty_state_sends_reader_to_browse(client):
    body = client.get(reverse("web:my_news")).content.decode()
    assert "Make this page yours" in body
    assert reverse("web:browse") in body


@pytest.mark.django_db
def test_my_news_view_does_not_create_a_profile_for_a_passer_by(client):
    from tidings.personalization.models import Profile

    client.get(reverse("web:my_news"))
    assert not Profile.objects.exists()


@pytest.mark.django_db
def test_article_matching_more_follows_ranks_first(client):
    politics = CategoryFactory(name="politics", slug="politics")
    topic = TopicFactory(name="Elections")
    now = datetime.now(UTC)
    ArticleCategoryFactory(category=politics, article=ArticleFactory(headline="Newer, one match", published_at=now))
    both = ArticleFactory(headline="Older, two matches", published_at=now - timedelta(hours=1))
    ArticleCategoryFactory(category=politics, article=both)
    ArticleTopicFactory(topic=topic, article=both)
    follow(client, "category", politics)
    follow(client, "topic", topic)
    body = client.get(reverse("web:my_news")).content.decode()
    assert body.index("Older, two matches") < body.index("Newer, one match")


def test_muted_states_are_not_counted_as_followed():
    followed = Followed.from_states({"category": {1: "follow", 2: "mute"}, "topic": {}, "source": {}})
    assert followed.category_ids == frozenset({1})


@pytest.mark.django_db
def test_the_side_panel_lists_the_newest_follows_and_counts_the_rest(client, settings):
    from tidings.web.views import front

    sources = [SourceFactory(name=f"Outlet {n:02d}") for n in range(front.SIDE_PANEL_FOLLOWS + 3)]
    for source in sources:
        follow(client, "source", source)
    muted = SourceFactory(name="Shouting Daily")
    client.post(reverse("web:follow", args=["source", muted.pk]), {"control": "mute"})
    body = client.get(reverse("web:my_news")).content.decode()
    panel = body[body.index('id="following-title"') :]
    listed = [s.name for s in sources if f'aria-label="Unfollow {s.name}"' in panel]
    assert listed == [s.name for s in sources[3:]]  # the newest SIDE_PANEL_FOLLOWS
    assert ">3 more you follow</a>" in panel
    assert 'aria-label="Unmute Shouting Daily"' in panel and "more you mute" not in panel
