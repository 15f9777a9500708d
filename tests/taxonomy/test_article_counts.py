"""The stored article counts of sources and categories (taxonomy.article_counts) follow every writer: ingest, a
link written, a near-duplicate marked and unmarked, an article deleted; they stop at the cap; a target without a
row is counted live; the fill migration and the periodic recount set them right; the Sources list and Browse
read them in one query. The expected counts are taken from the articles here, never from the stored rows."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.articles.factories import ArticleFactory
from tests.sources.factories import SourceFactory
from tests.taxonomy.factories import ArticleCategoryFactory, CategoryFactory
from tidings.articles.models import Article
from tidings.ingest.store import store_articles
from tidings.ingest.types import ExtractedArticle
from tidings.sources.models import Source
from tidings.taxonomy import article_counts
from tidings.taxonomy.models import ArticleCategory, ArticleCount, ArticleListing, Category, CountKind, ListingKind
from tidings.taxonomy.tasks import recount_article_counts_task

SOURCE, CATEGORY = CountKind.SOURCE.value, CountKind.CATEGORY.value
pytestmark = pytest.mark.django_db


def visible_of_source(source_id: int) -> int:
    return Article.objects.filter(source_id=source_id, duplicate_of__isnull=True).count()


def visible_of_category(category_id: int) -> int:
    listed = ArticleListing.objects.filter(kind=ListingKind.CATEGORY, target_id=category_id)
    return Article.objects.filter(pk__in=listed.values("article_id"), duplicate_of__isnull=True).count()


def stored(kind: str, target_id: int) -> int | None:
    return ArticleCount.objects.filter(kind=kind, target_id=target_id).values_list("count", flat=True).first()


@pytest.fixture
def world():
    """Two sources, a parent category with a child; five articles of the first source listed in the child (so
    in the parent too), two of the second source in the parent only."""
    gazette, post = SourceFactory(name="Gazette"), SourceFactory(name="Post")
    parent = CategoryFactory(name="Politics")
    child = CategoryFactory(name="Elections", parent=parent)
    with TestCase.captureOnCommitCallbacks(execute=True):
        made = [ArticleFactory(source=gazette) for _ in range(5)]
        for article in made:
            ArticleCategoryFactory(article=article, category=child)
        others = [ArticleFactory(source=post) for _ in range(2)]
        for article in others:
            ArticleCategoryFactory(article=article, category=parent)
    return gazette, post, parent, child, made, others


def assert_exact(sources: list[Source], categories: list[Category]) -> None:
    for source in sources:
        assert stored(SOURCE, source.pk) == visible_of_source(source.pk), source
    for category in categories:
        assert stored(CATEGORY, category.pk) == visible_of_category(category.pk), category


def test_writers_of_articles_and_links_store_the_counts(world):
    gazette, post, parent, child, _made, _others = world
    assert [stored(SOURCE, gazette.pk), stored(SOURCE, post.pk)] == [5, 2]
    assert [stored(CATEGORY, parent.pk), stored(CATEGORY, child.pk)] == [7, 5]
    assert_exact([gazette, post], [parent, child])


def test_ingest_recounts_the_source_of_the_stored_articles():
    source = Source.objects.create(name="Harbour Times", url="https://harbour.example.org/feed")
    items = [
        ExtractedArticle(
            headline=f"Council approves plan {n} for the harbour",
            paragraphs=(f"The council voted on the plan number {n} on Tuesday.",),
            url=f"https://harbour.example.org/news/{n}",
        )
        for n in range(3)
    ]
    with TestCase.captureOnCommitCallbacks(execute=True):
        store_articles(source, items, enrich=False)
    assert stored(SOURCE, source.pk) == visible_of_source(source.pk) == 3


def test_marking_and_unmarking_a_duplicate_recounts_its_source_and_categories(world):
    gazette, post, parent, child, made, others = world
    with TestCase.captureOnCommitCallbacks(execute=True):
        made[1].duplicate_of = others[0]
        made[1].save()
    assert [stored(SOURCE, gazette.pk), stored(CATEGORY, parent.pk), stored(CATEGORY, child.pk)] == [4, 6, 4]
    assert_exact([gazette, post], [parent, child])
    with TestCase.captureOnCommitCallbacks(execute=True):
        made[1].duplicate_of = None
        made[1].save(update_fields=["duplicate_of"])
    assert [stored(SOURCE, gazette.pk), stored(CATEGORY, parent.pk), stored(CATEGORY, child.pk)] == [5, 7, 5]


def test_the_near_duplicate_service_recounts_what_it_changed(world):
    from tidings.stories import neardup_service

    gazette, post, parent, child, made, others = world
    with TestCase.captureOnCommitCallbacks(execute=True):
        neardup_service._write({made[2].pk: others[1].pk, made[3].pk: others[1].pk}, {})
    assert [stored(SOURCE, gazette.pk), stored(CATEGORY, child.pk), stored(CATEGORY, parent.pk)] == [3, 3, 5]
    assert_exact([gazette, post], [parent, child])


def test_deleting_articles_recounts_and_their_duplicates_come_back(world):
    gazette, post, parent, child, made, others = world
    with TestCase.captureOnCommitCallbacks(execute=True):
        Article.objects.filter(pk=made[0].pk).update(duplicate_of=others[0].pk)  # no signal: counts now stale
    with TestCase.captureOnCommitCallbacks(execute=True):
        others[0].delete()  # its duplicate made[0] becomes visible again
        Article.objects.filter(pk__in=[made[3].pk, made[4].pk]).delete()
    assert [stored(SOURCE, gazette.pk), stored(SOURCE, post.pk)] == [3, 1]
    assert [stored(CATEGORY, parent.pk), stored(CATEGORY, child.pk)] == [4, 3]
    assert_exact([gazette, post], [parent, child])


def test_counts_stop_at_the_cap(world, monkeypatch):
    gazette, post, parent, child, _made, _others = world
    monkeypatch.setattr(article_counts, "COUNT_CAP", 3)
    article_counts.recount(SOURCE, [gazette.pk, post.pk])
    article_counts.recount(CATEGORY, [parent.pk, child.pk])
    assert [stored(SOURCE, gazette.pk), stored(SOURCE, post.pk)] == [3, 2]
    assert [stored(CATEGORY, parent.pk), stored(CATEGORY, child.pk)] == [3, 3]


def test_a_target_without_a_row_is_counted_live(world):
    gazette, post, parent, _child, _made, _others = world
    ArticleCount.objects.filter(kind=SOURCE, target_id=gazette.pk).delete()
    ArticleCount.objects.filter(kind=SOURCE, target_id=post.pk).update(count=40)  # a stored row is read as it is
    assert article_counts.counts(SOURCE, [gazette.pk, post.pk]) == {gazette.pk: 5, post.pk: 40}
    ArticleCount.objects.filter(kind=CATEGORY, target_id=parent.pk).delete()
    assert article_counts.counts(CATEGORY, [parent.pk])[parent.pk] == 7


def test_the_fill_migration_and_fill_all_store_every_count(world):
    gazette, post, parent, child, made, others = world
    empty = CategoryFactory(name="Weather")
    Article.objects.filter(pk=made[0].pk).update(duplicate_of=others[0].pk)
    fill = importlib.import_module("tidings.taxonomy.migrations.0010_fill_article_count")
    for run in (lambda: fill.fill(apps, connection.schema_editor()), article_counts.fill_all):
        ArticleCount.objects.all().delete()
        run()
        assert_exact([gazette, post], [parent, child, empty])
        assert stored(CATEGORY, empty.pk) == 0 and stored(SOURCE, gazette.pk) == 4


def test_the_periodic_recount_repairs_drift_and_drops_rows_of_targets_gone(world):
    gazette, post, parent, child, made, _others = world
    gone = [a.pk for a in made[:2]]
    for model in (ArticleCategory, ArticleListing, Article):  # a bulk delete that reaches no signal
        field = "pk" if model is Article else "article_id"
        model.objects.filter(**{f"{field}__in": gone})._raw_delete(connection.alias)
    ArticleCount.objects.filter(kind=CATEGORY, target_id=parent.pk).update(count=999)
    ArticleCount.objects.create(kind=SOURCE, target_id=10_000_000, count=3)  # a source that is gone
    recount_article_counts_task.call()
    assert_exact([gazette, post], [parent, child])
    assert stored(SOURCE, gazette.pk) == 3 and stored(CATEGORY, parent.pk) == 5
    assert stored(SOURCE, 10_000_000) is None


def test_the_pages_read_the_stored_counts_in_one_query(client, world):
    gazette, _post, _parent, _child, _made, _others = world
    ArticleCount.objects.filter(kind=SOURCE, target_id=gazette.pk).update(count=1000)  # shown as "1,000+"
    for url, shown in ((reverse("web:sources"), "1,000+"), (reverse("web:browse"), "7")):
        with CaptureQueriesContext(connection) as captured:
            body = client.get(url).content.decode()
        assert shown in body, url
        reads = [q["sql"] for q in captured.captured_queries if "taxonomy_articlecount" in q["sql"]]
        assert len(reads) == 1, reads
        counted = [
            q["sql"]
            for q in captured.captured_queries
            # (trending's ranking, taxonomy.trend_read, has a COUNT and a LIMIT too: not a capped count)
            if "LIMIT" in q["sql"] and "COUNT(" in q["sql"] and "taxonomy_trendbaselinecount" not in q["sql"]
        ]
        assert not counted, counted  # every target has a row: nothing counted live


@pytest.mark.django_db(transaction=True)
def test_two_recounts_of_one_source_leave_it_exact_on_postgresql(monkeypatch):
    """Recount one counts, then waits before committing; an article arrives and recount two runs. Recount two must
    wait for recount one's row lock before it counts, or recount one's older count would be written last."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time: the race needs PostgreSQL")
    import threading

    source = SourceFactory(name="Gazette")
    for _ in range(2):
        ArticleFactory(source=source)
    counted, release = threading.Event(), threading.Event()
    real_count_of = article_counts.count_of
    errors: list[BaseException] = []

    def slow_count_of(kind: str, target_id: int, cap: int | None = None) -> int:
        n = real_count_of(kind, target_id, cap)
        if threading.current_thread().name == "one":
            counted.set()
            release.wait(10)
        return n

    monkeypatch.setattr(article_counts, "count_of", slow_count_of)

    def recount() -> None:
        try:
            article_counts.recount(SOURCE, [source.pk])
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    one, two = threading.Thread(target=recount, name="one"), threading.Thread(target=recount, name="two")
    one.start()
    assert counted.wait(10)
    ArticleFactory(source=source)  # committed (autocommit) after recount one counted 2
    two.start()
    two.join(1.0)  # recount two waits on the row lock (or, unlocked, has counted 3 and written already)
    release.set()
    for thread in (one, two):
        thread.join(20)
    assert not errors, errors
    assert stored(SOURCE, source.pk) == visible_of_source(source.pk) == 3


def test_a_count_at_the_cap_is_not_recounted_for_new_articles_but_is_for_a_removal(world, monkeypatch):
    gazette, _post, _parent, child, made, others = world
    monkeypatch.setattr(article_counts, "COUNT_CAP", 3)
    article_counts.recount(SOURCE, [gazette.pk])
    article_counts.recount(CATEGORY, [child.pk])
    assert [stored(SOURCE, gazette.pk), stored(CATEGORY, child.pk)] == [3, 3]
    with CaptureQueriesContext(connection) as captured, TestCase.captureOnCommitCallbacks(execute=True):
        ArticleCategoryFactory(article=ArticleFactory(source=gazette), category=child)
    counted = [q["sql"] for q in captured.captured_queries if "LIMIT" in q["sql"] and "COUNT(" in q["sql"]]
    assert not counted, counted  # both at the cap, and the new article only adds to them
    with TestCase.captureOnCommitCallbacks(execute=True):
        for article in made:  # removals from both, noted in one transaction with another addition
            article.duplicate_of = others[0]
            article.save()
        ArticleCategoryFactory(article=ArticleFactory(source=gazette), category=child)
    assert [stored(SOURCE, gazette.pk), stored(CATEGORY, child.pk)] == [2, 2]
    assert_exact([gazette], [child])
