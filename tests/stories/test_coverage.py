"""Story.source_count (stories.coverage) stays the distinct outlets of a story's visible articles through every
writer: assignment and its merges, editors' moves, merges and splits, a near-duplicate marked, an article
deleted; and two writers of one story on PostgreSQL leave it exact. The expected count is taken from the
articles here, never from the stored column."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction
from django.test import TestCase

from tests.articles.factories import ArticleFactory
from tests.sources.factories import SourceFactory
from tests.stories.helpers import source, story_of
from tests.stories.test_assign import stored as assignable
from tests.stories.test_assign import vector
from tests.stories.test_neardup import BODY, HEADLINE
from tests.stories.test_neardup_service import REWRITE
from tests.stories.test_split_edge import mixed  # noqa: F401 (fixture)
from tidings.articles.models import Article
from tidings.stories import assign, coverage, neardup_service
from tidings.stories.assign import assign_stories
from tidings.stories.editing import merge_stories, move_article, move_to_new_story, refresh_story, split_story
from tidings.stories.models import ArticleStory, Story


def outlets(story: Story | int) -> int:
    """Distinct sources of the story's visible articles, from the articles."""
    pk = story if isinstance(story, int) else story.pk
    links = ArticleStory.objects.filter(story_id=pk).values_list("article_id", flat=True)
    return len(set(Article.objects.filter(pk__in=list(links), duplicate_of__isnull=True).values_list("source_id")))


def stored_count(story: Story | int) -> int:
    return Story.objects.get(pk=story if isinstance(story, int) else story.pk).source_count


@pytest.fixture(autouse=True)
def fresh_state(monkeypatch: pytest.MonkeyPatch) -> None:
    assign.reset()
    monkeypatch.setattr(neardup_service, "_window", neardup_service._Window())


@pytest.mark.django_db
def test_assignment_counts_outlets_and_a_merge_moves_them() -> None:
    left = assignable("Strike talks", vector(0.6, 1), ["Ada Okafor", "Dunmore Rail Union"], hours_ago=3)
    right = assignable("Union vote", vector(0.6, 2), ["Ben Idris", "Coast Line"], hours_ago=2)
    assign_stories([left.pk, right.pk])
    stories = {ArticleStory.objects.get(article=a).story_id for a in (left, right)}
    assert [stored_count(pk) for pk in sorted(stories)] == [1, 1]
    bridge = assignable("Strike ends", vector(1.0), ["Ada Okafor", "Ben Idris", "Dunmore Rail Union", "Coast Line"])
    assign_stories([bridge.pk])
    kept = ArticleStory.objects.get(article=bridge).story_id
    assert stored_count(kept) == outlets(kept) == 3  # three articles, each from an outlet of its own
    [absorbed] = stories - {kept}
    assert stored_count(absorbed) == 0


@pytest.mark.django_db
def test_editors_moves_and_merges_recount_every_story_they_touch() -> None:
    first, (_a, _b, c) = story_of(("Harbour Herald", "A", 1), ("Harbour Herald", "B", 2), ("Evening Post", "C", 3))
    second, (d,) = story_of(("Daily Wire", "D", 1))
    assert (stored_count(first), stored_count(second)) == (2, 1)  # two articles of one outlet count once
    move_article(c.pk, second.pk)
    assert (stored_count(first), stored_count(second)) == (outlets(first), outlets(second)) == (1, 2)
    alone = move_to_new_story(d.pk)
    assert (stored_count(second), stored_count(alone)) == (1, 1)
    merge_stories(first.pk, [second.pk, alone.pk])
    assert stored_count(first) == outlets(first) == 3
    assert stored_count(second) == stored_count(alone) == 0


@pytest.mark.django_db
def test_a_split_recounts_both_halves(mixed) -> None:  # noqa: F811 (the fixture)
    story, _fire, _flood = mixed
    assert stored_count(story) == 5  # every article of `mixed` has an outlet of its own
    new = split_story(story.pk)
    assert new is not None
    assert (stored_count(story), stored_count(new)) == (outlets(story), outlets(new)) == (3, 2)


@pytest.mark.django_db
def test_a_deleted_article_leaves_its_story_recounted_after_the_commit() -> None:
    story, (a, _b) = story_of(("Harbour Herald", "A", 1), ("Evening Post", "B", 2))
    with TestCase.captureOnCommitCallbacks(execute=True):
        a.delete()
    story.refresh_from_db()
    assert (story.source_count, story.article_count) == (outlets(story), 1) == (1, 1)


@pytest.mark.django_db
def test_a_source_deleted_with_its_articles_leaves_the_stories_recounted() -> None:
    story, _articles = story_of(("Harbour Herald", "A", 1), ("Evening Post", "B", 2), ("Evening Post", "C", 3))
    with TestCase.captureOnCommitCallbacks(execute=True):
        source("Evening Post").delete()
    story.refresh_from_db()
    assert (story.source_count, story.article_count) == (1, 1)


@pytest.mark.django_db
def test_a_near_duplicate_marked_stops_counting_after_the_commit() -> None:
    original = ArticleFactory(source=SourceFactory(), headline=HEADLINE, body_text=BODY)
    rewrite = ArticleFactory(source=SourceFactory(), headline=f"Update: {HEADLINE}", body_text=REWRITE)
    story = Story.objects.create(headline="placeholder")
    for article in (original, rewrite):
        ArticleStory.objects.create(article=article, story=story, score=0.8)
    refresh_story(story.pk)
    assert stored_count(story) == 2
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert neardup_service.link_near_duplicates([rewrite.pk]) == 1
    assert stored_count(story) == outlets(story) == 1


@pytest.mark.django_db
def test_recount_all_equals_the_per_story_counts() -> None:
    made = [
        story_of(("Harbour Herald", "A", 1), ("Evening Post", "B", 2))[0],
        story_of(("Harbour Herald", "C", 1), ("Harbour Herald", "D", 2))[0],
        Story.objects.create(headline="empty"),
    ]
    Story.objects.update(source_count=99)
    coverage.recount_all()
    assert [stored_count(s) for s in made] == [outlets(s) for s in made] == [2, 1, 0]


@pytest.mark.django_db(transaction=True)
def test_two_writers_of_one_story_leave_it_exact_on_postgresql() -> None:
    """Writer one adds an article and refreshes the story, then waits before committing; writer two moves
    another article in meanwhile. Writer two's count must wait for writer one's commit (the row lock taken
    before counting), or it would count without writer one's article and write last."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time: the race needs PostgreSQL")
    story, _found = story_of(("Harbour Herald", "A", 1))
    other, (moved,) = story_of(("Evening Post", "B", 1))
    joining = ArticleFactory(source=source("Daily Wire"))
    counted, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def writer_one() -> None:
        try:
            with transaction.atomic():
                ArticleStory.objects.create(article=joining, story=story, score=0.8)
                refresh_story(story.pk)
                counted.set()
                release.wait(10)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    def writer_two() -> None:
        try:
            counted.wait(10)
            move_article(moved.pk, story.pk)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer_one), threading.Thread(target=writer_two)]
    for thread in threads:
        thread.start()
    counted.wait(10)
    threads[1].join(1.0)  # writer two waits on the story's row lock (or, unlocked, has counted already)
    release.set()
    for thread in threads:
        thread.join(20)
    assert not errors, errors
    assert stored_count(story) == outlets(story) == 3
    assert stored_count(other) == 0


@pytest.mark.django_db
def test_a_duplicate_saved_or_freed_by_its_canonical_articles_delete_is_recounted() -> None:
    story, (_a, b) = story_of(("Harbour Herald", "A", 1), ("Evening Post", "B", 2))
    other, (canonical,) = story_of(("Daily Wire", "C", 3))
    with TestCase.captureOnCommitCallbacks(execute=True):
        b.duplicate_of = canonical
        b.save()
    assert stored_count(story) == outlets(story) == 1
    with TestCase.captureOnCommitCallbacks(execute=True):
        canonical.delete()  # b is visible again (its duplicate_of is set to NULL without a save)
    assert stored_count(story) == outlets(story) == 2
    assert stored_count(other) == 0
