"""editing.split_story and the admin's "Split if it holds two events": stored stories, embeddings and names."""

from __future__ import annotations

import math
from datetime import timedelta

import numpy as np
import pytest
from django.db.models import Max
from django.utils import timezone

from tests.articles.factories import ArticleFactory
from tests.sources.factories import SourceFactory
from tests.taxonomy.factories import ArticleTopicFactory, TopicFactory
from tidings.articles.models import Article
from tidings.enrichment.embeddings import DIMENSIONS
from tidings.enrichment.vectors import store_embeddings
from tidings.lib.errors import InvalidInput
from tidings.stories import assign
from tidings.stories.editing import refresh_story, split_story
from tidings.stories.models import ArticleStory, Story
from tidings.taxonomy.models import Topic, TopicKind

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_index() -> None:
    assign.reset()


def near(axis: int, cosine: float, wobble: int) -> np.ndarray:
    v = np.zeros(DIMENSIONS, dtype=np.float32)
    v[axis], v[wobble] = cosine, math.sqrt(1 - cosine**2)
    return v


def stored(headline: str, vec: np.ndarray, person: str, hours_ago: float) -> Article:
    article = ArticleFactory(
        source=SourceFactory(), headline=headline, published_at=timezone.now() - timedelta(hours=hours_ago)
    )
    store_embeddings({article.pk: vec})
    topic = Topic.objects.filter(name=person).first() or TopicFactory(name=person, kind=TopicKind.PERSON)
    ArticleTopicFactory(article=article, topic=topic)
    return article


def one_story(*articles: Article) -> Story:
    story = Story.objects.create(headline="placeholder")
    for article in articles:
        ArticleStory.objects.create(article=article, story=story, score=0.8)
    refresh_story(story.pk)
    return Story.objects.get(pk=story.pk)


@pytest.fixture
def mixed() -> tuple[Story, list[Article], list[Article]]:
    fire = [stored(f"Dunmore mill fire {i}", near(0, 0.95, 10 + i), "Ada Okafor", 10 - i) for i in range(3)]
    flood = [stored(f"Kestrel Bay flood {i}", near(1, 0.95, 20 + i), "Ivo Brandt", 5 - i) for i in range(2)]
    return one_story(*fire, *flood), fire, flood


def test_a_story_of_two_events_is_split_and_both_recounted(mixed) -> None:
    story, _fire, flood = mixed
    newest = ArticleStory.objects.aggregate(n=Max("id"))["n"]
    new = split_story(story.pk)
    assert new is not None and new.pk != story.pk
    story = Story.objects.get(pk=story.pk)
    assert story.article_count == 3 and story.headline == "Dunmore mill fire 0"
    assert new.article_count == 2 and new.headline == "Kestrel Bay flood 0"
    assert new.first_published_at == flood[0].published_at
    assert set(ArticleStory.objects.filter(story=new).values_list("article_id", flat=True)) == {a.pk for a in flood}
    assert min(ArticleStory.objects.filter(story=new).values_list("id", flat=True)) > newest  # workers refill


def test_the_index_sees_the_split(mixed) -> None:
    story, _fire, _flood = mixed
    assign.assign_stories([])  # fill this process's index with the unsplit story
    new = split_story(story.pk)
    assert new is not None
    late = stored("Kestrel Bay flood: more rain", near(1, 0.95, 30), "Ivo Brandt", 0.5)
    assert assign.assign_stories([late.pk]) == 1
    assert ArticleStory.objects.get(article=late).story_id == new.pk


def test_a_story_of_one_event_is_left_whole() -> None:
    articles = [stored(f"Dunmore mill fire {i}", near(0, 0.95, 10 + i), "Ada Okafor", 5 - i) for i in range(3)]
    story = one_story(*articles)
    assert split_story(story.pk) is None
    assert Story.objects.get(pk=story.pk).article_count == 3 and Story.objects.count() == 1


def test_unknown_story_is_an_input_error() -> None:
    with pytest.raises(InvalidInput):
        split_story(999_999)


def test_admin_split_action(admin_client, mixed) -> None:
    story, _fire, _flood = mixed
    whole = one_story(stored("Lone report", near(2, 1.0, 40), "Ada Okafor", 1))
    response = admin_client.post(
        "/admin/stories/story/",
        {"action": "split_selected", "_selected_action": [story.pk, whole.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert f"Split: {story.pk} → new story" in page and f"Left whole (one event): {whole.pk}" in page
    assert Story.objects.get(pk=story.pk).article_count == 3
