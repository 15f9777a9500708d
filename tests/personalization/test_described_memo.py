"""The followed pool's descriptions are read once per generation of the shared pools in a process
(personalization.candidates.described), and a new story link starts a new generation."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.articles.factories import ArticleFactory
from tests.taxonomy.factories import ArticleTopicFactory, TopicFactory
from tidings.personalization.candidates import describe, described, pools_generation
from tidings.stories.models import ArticleStory, Story


def _rows(articles):
    return [(a.pk, a.published_at, a.source_id) for a in articles]


@pytest.mark.django_db
def test_descriptions_are_read_once_per_generation(django_assert_num_queries):
    topic = TopicFactory(name="harbour")
    articles = [ArticleFactory() for _ in range(3)]
    for article in articles:
        ArticleTopicFactory(article=article, topic=topic)
    with django_assert_num_queries(3):
        first = described(_rows(articles), "g1")
    with django_assert_num_queries(0):
        again = described(_rows(articles[:2]), "g1")
    assert again == {pk: first[pk] for pk in again}
    assert first == {c.article_id: c for c in describe(_rows(articles))}
    assert all(c.topic_ids == {topic.pk} for c in first.values())
    with django_assert_num_queries(3):
        described(_rows(articles), "g2")


@pytest.mark.django_db
def test_without_a_generation_nothing_is_kept(django_assert_num_queries):
    rows = _rows([ArticleFactory()])
    for _ in range(2):
        with django_assert_num_queries(3):
            described(rows, None)


@pytest.mark.django_db
def test_a_new_story_link_is_a_new_generation(settings):
    settings.SHARED_POOLS_SECONDS = 60
    now = timezone.now()
    first, second = ArticleFactory(), ArticleFactory()
    story = Story.objects.create(headline="Harbour fire", first_published_at=now, last_published_at=now)
    ArticleStory.objects.create(article=first, story=story, score=0.0)
    before = pools_generation(now)
    assert pools_generation(now) == before
    ArticleStory.objects.create(article=second, story=story, score=0.7)
    assert pools_generation(now) != before
    settings.SHARED_POOLS_SECONDS = 0
    assert pools_generation(now) is None
