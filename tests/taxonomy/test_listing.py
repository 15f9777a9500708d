"""The precomputed listing (taxonomy.ArticleListing) stays in step with taxonomy.membership and the topic links,
and My News's followed pool reads it through its index."""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.articles.factories import ArticleFactory
from tests.taxonomy.factories import ArticleCategoryFactory, ArticleTopicFactory, CategoryFactory, TopicFactory
from tests.web.test_query_plans import only_index
from tidings.articles.models import Article
from tidings.personalization.followed import newest_followed
from tidings.taxonomy.editing import merge_topics
from tidings.taxonomy.linking import correct_category, store_category_links
from tidings.taxonomy.listing import relist_all
from tidings.taxonomy.models import ArticleCategory, ArticleListing, ArticleTopic, Category, ListingKind, Origin

pytestmark = pytest.mark.django_db


def table() -> set[tuple[int, str, int]]:
    return set(ArticleListing.objects.values_list("article_id", "kind", "target_id"))


def expected() -> set[tuple[int, str, int]]:
    """What the rule says, asked category by category through Article.objects.in_category (membership)."""
    rows = {
        (article_id, ListingKind.CATEGORY.value, category.pk)
        for category in Category.objects.all()
        for article_id in Article.objects.in_category(category.pk).values_list("pk", flat=True)
    }
    rows |= {(a, ListingKind.TOPIC.value, t) for a, t in ArticleTopic.objects.values_list("article_id", "topic_id")}
    return rows


@pytest.fixture
def world():
    politics = CategoryFactory(name="politics", slug="politics")
    election = CategoryFactory(name="election", slug="election", parent=politics)
    sport = CategoryFactory(name="sport", slug="sport")
    articles = [ArticleFactory(headline=f"Article {i}") for i in range(5)]
    ArticleCategoryFactory(article=articles[0], category=election)  # listed in election and politics
    ArticleCategoryFactory(article=articles[1], category=politics, score=0.1)  # too weak: listed nowhere
    ArticleCategoryFactory(article=articles[2], category=sport, score=0.2, origin=Origin.PUBLISHER)
    ArticleTopicFactory(article=articles[3])
    return politics, election, sport, articles


def test_single_link_saves_and_deletes_keep_the_listing_in_step(world):
    politics, _election, _sport, articles = world
    assert table() == expected()
    assert (articles[0].pk, "category", politics.pk) in table()
    assert not any(row[0] == articles[1].pk for row in table())
    ArticleCategory.objects.filter(article=articles[0]).delete()
    ArticleTopic.objects.filter(article=articles[3]).first().delete()
    assert table() == expected()
    assert not any(row[0] in (articles[0].pk, articles[3].pk) for row in table())


def test_bulk_writers_and_editor_corrections_keep_the_listing_in_step(world):
    politics, election, _sport, articles = world
    store_category_links(articles[4].pk, [{"qcode": election.qcode, "score": 0.8}])
    assert (articles[4].pk, "category", politics.pk) in table()
    correct_category(articles[4].pk, politics.qcode, belongs=False)  # out of politics, still in election
    assert (articles[4].pk, "category", politics.pk) not in table()
    assert (articles[4].pk, "category", election.pk) in table()
    correct_category(articles[1].pk, politics.qcode, belongs=True)  # an editor lists the weak one
    assert (articles[1].pk, "category", politics.pk) in table()
    store_category_links(articles[2].pk, [])  # the publisher link replaced by nothing
    assert not any(row[0] == articles[2].pk for row in table())
    survivor, merged = TopicFactory(), ArticleTopic.objects.get(article=articles[3]).topic
    merge_topics([merged.pk], survivor.pk)
    assert (articles[3].pk, "topic", survivor.pk) in table()
    assert table() == expected()


def test_relist_all_and_the_fill_migration_agree_with_the_rule(world):
    politics, _election, _sport, articles = world
    correct_category(articles[0].pk, politics.qcode, belongs=False)
    want = expected()
    relist_all()
    assert table() == want
    fill = importlib.import_module("tidings.taxonomy.migrations.0004_fill_article_listing")
    ArticleListing.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(fill.FILL_CATEGORIES)
        cursor.execute(fill.FILL_TOPICS)
    assert table() == want


def test_a_duplicate_mark_takes_the_article_out_of_the_followed_pool_and_unmarking_brings_it_back(world):
    politics, election, _sport, articles = world
    ArticleCategoryFactory(article=articles[4], category=election)
    assert [row[0] for row in newest_followed([("category", politics.pk)], [], timezone.now())] == sorted(
        [articles[0].pk, articles[4].pk], key=lambda pk: Article.objects.get(pk=pk).published_at, reverse=True
    )
    Article.objects.filter(pk=articles[4].pk).update(duplicate_of=articles[0])
    assert [row[0] for row in newest_followed([("category", politics.pk)], [], timezone.now())] == [articles[0].pk]
    Article.objects.filter(pk=articles[4].pk).update(duplicate_of=None)
    assert articles[4].pk in [row[0] for row in newest_followed([("category", politics.pk)], [], timezone.now())]


def test_the_followed_pool_widens_its_window_until_it_has_enough_and_applies_mutes():
    sport = CategoryFactory(name="sport", slug="sport")
    muted = TopicFactory()
    now = timezone.now()
    ages = [timedelta(hours=1), timedelta(days=2), timedelta(days=30), timedelta(days=200)]
    found = []
    for age in ages:
        article = ArticleFactory(published_at=now - age)
        ArticleCategoryFactory(article=article, category=sport)
        found.append(article.pk)
    ArticleTopicFactory(article_id=found[1], topic=muted)
    assert [row[0] for row in newest_followed([("category", sport.pk)], [], now, limit=3)] == found[:3]
    assert [row[0] for row in newest_followed([("category", sport.pk)], [("topic", muted.pk)], now, limit=3)] == [
        found[0],
        found[2],
        found[3],
    ]


def _plan(sql: str, params: object) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # a test table is tiny; ask which index it would use
            cursor.execute(f"EXPLAIN {sql}", params)
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return "\n".join(str(row) for row in cursor.fetchall())


def test_the_followed_pool_reads_the_listing_index(world):
    politics, _election, sport, articles = world
    topic = ArticleTopic.objects.get(article=articles[3]).topic
    with CaptureQueriesContext(connection) as captured:
        newest_followed([("category", politics.pk), ("topic", topic.pk)], [("category", sport.pk)], timezone.now())
    listing = [q["sql"] for q in captured.captured_queries if ArticleListing._meta.db_table in q["sql"]]
    assert listing
    first = listing[0]
    if connection.vendor == "postgresql":
        only_index(first, "article_listing_newest")  # which index gives the order, not which the planner prefers
    # CaptureQueriesContext gives the SQL with its values in; EXPLAIN it as it ran.
    assert "article_listing_newest" in _plan(first, None)
