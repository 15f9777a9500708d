"""assign_stories: stored articles join, start or merge stories in the database."""

from __future__ import annotations

import math
from datetime import timedelta

import numpy as np
import pytest
from django.utils import timezone

from tests.articles.factories import ArticleFactory
from tests.sources.factories import SourceFactory
from tests.taxonomy.factories import ArticleTopicFactory, TopicFactory
from tidings.articles.models import Article
from tidings.enrichment.embeddings import DIMENSIONS
from tidings.enrichment.vectors import store_embeddings
from tidings.stories import assign
from tidings.stories.article_signals import article_signals
from tidings.stories.assign import assign_stories
from tidings.stories.models import ArticleStory, Story
from tidings.taxonomy.models import Topic, TopicKind

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_index() -> None:
    assign.reset()


def vector(cosine: float, other_axis: int = 1) -> np.ndarray:
    v = np.zeros(DIMENSIONS, dtype=np.float32)
    v[0], v[other_axis] = cosine, math.sqrt(1 - cosine**2)
    return v


def stored(headline: str, vec: np.ndarray | None, names: list[str], hours_ago: float = 1.0) -> Article:
    article = ArticleFactory(
        source=SourceFactory(), headline=headline, published_at=timezone.now() - timedelta(hours=hours_ago)
    )
    if vec is not None:
        store_embeddings({article.pk: vec})
    for name in names:
        topic = Topic.objects.filter(name=name).first() or TopicFactory(name=name, kind=TopicKind.PERSON)
        ArticleTopicFactory(article=article, topic=topic)
    return article


def story_of(article: Article) -> Story:
    return ArticleStory.objects.select_related("story").get(article=article).story


def test_coverage_of_one_event_is_one_story() -> None:
    first = stored("Dunmore rail strike ends", vector(1.0), ["Ada Okafor", "Dunmore Rail Union"], hours_ago=5)
    second = stored("Rail strike over in Dunmore", vector(0.95), ["Ada Okafor", "Dunmore Rail Union"])
    assert assign_stories([first.pk]) == 1
    assert assign_stories([second.pk]) == 1
    story = story_of(first)
    assert story_of(second) == story
    assert story.headline == "Dunmore rail strike ends"
    assert story.article_count == 2
    assert story.first_published_at == first.published_at and story.last_published_at == second.published_at


def test_another_event_starts_another_story() -> None:
    first = stored("Dunmore rail strike ends", vector(1.0), ["Ada Okafor"])
    other = stored("Kestrel Bay floods", vector(0.2, other_axis=2), ["Kestrel Bay"])
    assert assign_stories([first.pk, other.pk]) == 2
    assert story_of(first) != story_of(other)
    # other tests' stories may be stored (module-scoped fixtures): count only these articles' stories
    assert Story.objects.filter(article_links__article__in=[first, other]).distinct().count() == 2


def test_a_bridging_article_merges_two_stories() -> None:
    left = stored("Strike talks", vector(0.6, 1), ["Ada Okafor", "Dunmore Rail Union"], hours_ago=3)
    right = stored("Union vote", vector(0.6, 2), ["Ben Idris", "Coast Line"], hours_ago=2)
    assign_stories([left.pk, right.pk])
    before = {story_of(left).pk, story_of(right).pk}
    assert len(before) == 2
    bridge = stored("Strike ends", vector(1.0), ["Ada Okafor", "Ben Idris", "Dunmore Rail Union", "Coast Line"])
    assert assign_stories([bridge.pk]) == 1
    kept = story_of(bridge)
    assert story_of(left) == story_of(right) == kept
    assert kept.article_count == 3
    assert kept.pk in before
    absorbed = Story.objects.get(pk__in=before - {kept.pk})
    assert absorbed.merged_into_id == kept.pk and absorbed.article_count == 0


def test_without_an_embedding_the_article_waits_and_is_assigned_once() -> None:
    waiting = stored("No vector yet", None, [])
    assert assign_stories([waiting.pk, 999_999]) == 0
    assert not ArticleStory.objects.filter(article=waiting).exists()
    store_embeddings({waiting.pk: vector(1.0)})
    assert assign_stories([waiting.pk]) == 1
    assert assign_stories([waiting.pk]) == 0
    assert ArticleStory.objects.filter(article=waiting).count() == 1


def test_a_fresh_process_reads_the_stored_stories() -> None:
    first = stored("Dunmore rail strike ends", vector(1.0), ["Ada Okafor"], hours_ago=5)
    assign_stories([first.pk])
    assign.reset()  # another worker process: its index is filled from the database
    second = stored("Rail strike over in Dunmore", vector(0.95), ["Ada Okafor"])
    assign_stories([second.pk])
    assert story_of(second) == story_of(first)


# A backlog of older articles (an archive import, the demo corpus's 14 days): the index a worker fills when it
# starts or refills must hold the stories these articles can join, not only those of the last window before now.
DAYS_AGO = 6 * 24  # hours: older than the 3-day window before now


def test_a_process_started_midway_through_a_backlog_sees_its_older_stories() -> None:
    first = stored("Dunmore rail strike ends", vector(1.0), ["Ada Okafor"], hours_ago=DAYS_AGO + 2)
    assign_stories([first.pk])
    assign.reset()  # the worker restarts (or another one takes the next task)
    second = stored("Rail strike over in Dunmore", vector(0.95), ["Ada Okafor"], hours_ago=DAYS_AGO)
    assign_stories([second.pk])
    assert story_of(second) == story_of(first)
    assert story_of(first).article_count == 2


def test_an_older_article_after_newer_ones_finds_its_story() -> None:
    first = stored("Dunmore rail strike ends", vector(1.0), ["Ada Okafor"], hours_ago=DAYS_AGO + 2)
    assign_stories([first.pk])
    assign.reset()
    recent = stored("Kestrel Bay floods", vector(0.2, other_axis=2), ["Ben Idris"])
    assign_stories([recent.pk])  # this process's index is filled for a recent article first
    second = stored("Rail strike over in Dunmore", vector(0.95), ["Ada Okafor"], hours_ago=DAYS_AGO)
    assign_stories([second.pk])
    assert story_of(second) == story_of(first)
    assert story_of(recent) != story_of(first)


def test_a_story_another_worker_stores_while_this_one_reads_is_joined(monkeypatch: pytest.MonkeyPatch) -> None:
    first = stored("Dunmore rail strike ends", vector(1.0), ["Ada Okafor"], hours_ago=5)
    second = stored("Rail strike over in Dunmore", vector(0.95), ["Ada Okafor"])
    fill = assign._fill

    def fill_then_another_worker_assigns(*args: object) -> None:
        fill(*args)  # type: ignore[arg-type]
        if not ArticleStory.objects.filter(article=first).exists():  # it stores its story right after our read
            when = first.published_at
            story = Story.objects.create(headline=first.headline, first_published_at=when, last_published_at=when)
            ArticleStory.objects.create(article=first, story=story, score=0.0)

    monkeypatch.setattr(assign, "_fill", fill_then_another_worker_assigns)
    assign_stories([second.pk])
    assert story_of(second) == story_of(first)


def test_enrichment_enqueues_story_assignment(django_capture_on_commit_callbacks) -> None:
    from tidings.articles.signals import articles_enriched

    article = stored("Dunmore rail strike ends", vector(1.0), ["Ada Okafor"])
    with django_capture_on_commit_callbacks(execute=True):
        articles_enriched.send(sender=None, article_ids=[article.pk])
    assert story_of(article).article_count == 1


def test_signals_hold_kinded_names_and_the_leads_figures() -> None:
    article = ArticleFactory(
        source=SourceFactory(),
        headline="Quake of 6.1 hits Dunmore",
        standfirst="Felt on Tuesday",
        body_text="About 1,200 homeless.\n\nSecond.\n\nThird.\n\nA fourth paragraph with 99 is past the lead.",
    )
    store_embeddings({article.pk: vector(1.0)})
    for name, kind in (("Ada Okafor", TopicKind.PERSON), ("Dunmore", TopicKind.PLACE)):
        topic = Topic.objects.filter(name=name, kind=kind).first() or TopicFactory(name=name, kind=kind)
        ArticleTopicFactory(article=article, topic=topic)
    keys = article_signals([article.pk])[article.pk].entities
    assert keys == {"person:ada okafor", "place:dunmore", "number:6.1", "date:tuesday", "number:1200"}
