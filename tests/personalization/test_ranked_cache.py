"""A reader's ranked My News is kept per reader and generation (personalization.ranked_cache): a reload reads no
candidates and lists the same articles; a follow, a mute, a hide, a read or a new article is seen at once."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.articles.factories import ArticleFactory
from tests.personalization.factories import ProfileFactory
from tests.taxonomy.factories import ArticleCategoryFactory, ArticleTopicFactory, CategoryFactory, TopicFactory
from tidings.personalization.card_feedback import give_feedback
from tidings.personalization.models import FollowAction
from tidings.personalization.my_news import load_my_news
from tidings.personalization.ranked_cache import reader_digest
from tidings.personalization.ranking_types import ReaderProfile
from tidings.personalization.reading_state import mark_read
from tidings.personalization.services import set_follow

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader():
    """A profile following a category with five articles, one of them also under a topic."""
    politics = CategoryFactory(name="politics", slug="politics")
    now = timezone.now()
    articles = [ArticleFactory(headline=f"Vote {n}", published_at=now - timedelta(minutes=n)) for n in range(5)]
    for article in articles:
        ArticleCategoryFactory(article=article, category=politics)
    gossip = TopicFactory(name="Gossip")
    ArticleTopicFactory(article=articles[4], topic=gossip)
    profile = ProfileFactory()
    set_follow(profile, politics)
    return {"profile": profile, "category": politics, "articles": articles, "topic": gossip}


def listing_queries(run):
    """The queries of run() that read the precomputed listing (the followed pool) and the result."""
    with CaptureQueriesContext(connection) as captured:
        result = run()
    return [q for q in captured.captured_queries if "taxonomy_articlelisting" in q["sql"]], result


def test_a_reload_reuses_the_ranking(reader):
    first_reads, first = listing_queries(lambda: load_my_news(reader["profile"], timezone.now()))
    again_reads, again = listing_queries(lambda: load_my_news(reader["profile"], timezone.now()))
    assert first_reads, "the first load reads the followed pool"
    assert again_reads == [] or all("MAX(id)" in q["sql"] for q in again_reads)  # only the generation's key
    assert again.article_ids == first.article_ids
    assert again.reasons == first.reasons
    assert set(first.article_ids) == {a.pk for a in reader["articles"]}


def test_what_the_reader_does_is_seen_at_once(reader):
    profile, articles = reader["profile"], reader["articles"]
    load_my_news(profile, timezone.now())
    give_feedback(profile, articles[0], "hide")
    assert articles[0].pk not in load_my_news(profile, timezone.now()).article_ids
    mark_read(profile, [articles[1].pk], timezone.now())
    assert articles[1].pk not in load_my_news(profile, timezone.now()).article_ids
    set_follow(profile, reader["topic"], FollowAction.MUTE)
    assert articles[4].pk not in load_my_news(profile, timezone.now()).article_ids
    lone = ArticleFactory(headline="Harbour news", published_at=timezone.now() - timedelta(days=3))
    harbour = TopicFactory(name="Harbour")
    ArticleTopicFactory(article=lone, topic=harbour)
    set_follow(profile, harbour)
    assert lone.pk in load_my_news(profile, timezone.now()).article_ids


def test_a_new_article_is_seen_at_once(reader):
    load_my_news(reader["profile"], timezone.now())
    fresh = ArticleFactory(headline="Vote recount")
    ArticleCategoryFactory(article=fresh, category=reader["category"])
    assert fresh.pk in load_my_news(reader["profile"], timezone.now()).article_ids


def test_nothing_is_kept_without_shared_pools(reader, settings):
    settings.SHARED_POOLS_SECONDS = 0
    first_reads, first = listing_queries(lambda: load_my_news(reader["profile"], timezone.now()))
    again_reads, again = listing_queries(lambda: load_my_news(reader["profile"], timezone.now()))
    assert len(again_reads) == len(first_reads) > 0
    assert again.article_ids == first.article_ids


FULL = ReaderProfile(
    follows={("category", 1): 0, ("topic", 2): 1},
    mutes=frozenset({("source", 3)}),
    implicit={("topic", 4): 2.5},
    taste=(0.6, 0.8),
    read_article_ids=frozenset({5, 6}),
    read_story_ids=frozenset({7}),
    hidden_story_ids=frozenset({8}),
    hidden_article_ids=frozenset({9}),
)
CHANGED = {
    "follows": {("category", 1): 1, ("topic", 2): 1},
    "mutes": frozenset(),
    "implicit": {("topic", 4): 2.0},
    "taste": (0.8, 0.6),
    "read_article_ids": frozenset({5}),
    "read_story_ids": frozenset({7, 70}),
    "hidden_story_ids": frozenset(),
    "hidden_article_ids": frozenset({9, 90}),
}


def test_the_digest_ignores_order_and_sees_every_field():
    reordered = dataclasses.replace(
        FULL,
        follows={("topic", 2): 1, ("category", 1): 0},
        read_article_ids=frozenset([6, 5]),
    )
    assert reader_digest(reordered) == reader_digest(FULL)
    assert set(CHANGED) == {f.name for f in dataclasses.fields(ReaderProfile)}, "a new field: add a change here"
    for name, value in CHANGED.items():
        assert reader_digest(dataclasses.replace(FULL, **{name: value})) != reader_digest(FULL), name
    assert reader_digest(dataclasses.replace(FULL, taste=None)) != reader_digest(FULL)


def test_a_muted_word_added_after_a_view_is_seen_at_once(reader):
    from tidings.personalization.keyword_mute_service import add_keyword_mute, remove_keyword_mute

    first = load_my_news(reader["profile"], timezone.now())
    assert reader["articles"][2].pk in first.article_ids
    rule = add_keyword_mute(reader["profile"], "Vote 2")
    muted = load_my_news(reader["profile"], timezone.now())
    assert reader["articles"][2].pk not in muted.article_ids
    assert len(muted.article_ids) == len(first.article_ids) - 1
    remove_keyword_mute(reader["profile"], rule.pk)
    assert load_my_news(reader["profile"], timezone.now()).article_ids == first.article_ids
