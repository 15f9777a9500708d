"""My News: what the visitor follows minus what it mutes, newest and most relevant first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from tests.articles.factories import ArticleFactory
from tests.sources.factories import SourceFactory
from tests.taxonomy.factories import ArticleCategoryFactory, ArticleTopicFactory, CategoryFactory, TopicFactory
from tidings.personalization.feed import FeedCandidate, Followed, rank, recency, score

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


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


def candidate(article_id, hours_old, categories=(), topics=(), source_id=1):
    return FeedCandidate(
        article_id=article_id,
        published_at=NOW - timedelta(hours=hours_old),
        source_id=source_id,
        category_ids=frozenset(categories),
        topic_ids=frozenset(topics),
    )


def test_recency_halves_each_day():
    assert recency(NOW, NOW) == 1.0
    assert recency(NOW - timedelta(hours=24), NOW) == pytest.approx(0.5)


def test_future_dates_count_as_now():
    assert recency(NOW + timedelta(hours=5), NOW) == 1.0


def test_newer_article_wins_with_equal_matches():
    followed = Followed(category_ids=frozenset({1}))
    assert rank([candidate(1, 10, {1}), candidate(2, 1, {1})], followed, NOW) == [2, 1]


def test_extra_matches_outweigh_a_few_hours():
    followed = Followed(category_ids=frozenset({1}), topic_ids=frozenset({7}))
    fresh_single = candidate(1, 0, {1})
    older_double = candidate(2, 3, {1}, {7})
    assert score(older_double, followed, NOW) > score(fresh_single, followed, NOW)


def test_muted_states_are_not_counted_as_followed():
    followed = Followed.from_states({"category": {1: "follow", 2: "mute"}, "topic": {}, "source": {}})
    assert followed.category_ids == frozenset({1})
