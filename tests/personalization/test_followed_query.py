"""The followed pool's listing query (personalization.followed._listed) in both its forms returns the rows the
rule describes, on random data: the newest visible articles listed under the followed targets, in the window,
minus muted sources, categories and topics, newest first (ties: the higher id). On PostgreSQL the probing form
(_listed_probing) must equal the ORM's join (_listed_joined) too, and its plan must probe Article by primary key
instead of joining the whole table."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.articles.factories import ArticleFactory
from tests.sources.factories import SourceFactory
from tests.taxonomy.factories import ArticleCategoryFactory, ArticleTopicFactory, CategoryFactory, TopicFactory
from tidings.articles.models import Article
from tidings.personalization import followed
from tidings.taxonomy.models import ArticleListing

pytestmark = pytest.mark.django_db


def _expected(kind, ids, mutes, since, limit):
    """The rule, in Python, from the listing rows and the articles as stored."""
    listed: dict[int, set[tuple[str, int]]] = {}
    for article_id, row_kind, target_id in ArticleListing.objects.values_list("article_id", "kind", "target_id"):
        listed.setdefault(article_id, set()).add((row_kind, target_id))
    muted = {(k, t) for k in ("category", "topic") for t in mutes.get(k, [])}
    rows = []
    for article in Article.objects.filter(duplicate_of__isnull=True):
        under = listed.get(article.pk, set())
        if not any((kind, t) in under for t in ids) or under & muted:
            continue
        if article.source_id in mutes.get("source", []) or (since is not None and article.published_at < since):
            continue
        rows.append((article.pk, article.published_at, article.source_id))
    return sorted(rows, key=lambda row: (row[1], row[0]), reverse=True)[:limit]


@pytest.fixture
def corpus():
    rng = random.Random(15)
    now = timezone.now().replace(microsecond=0)
    sources = [SourceFactory() for _ in range(5)]
    parent = CategoryFactory(name="Society")
    categories = [parent, *(CategoryFactory(name=f"Society {n}", parent=parent) for n in range(3))]
    topics = [TopicFactory() for _ in range(8)]
    articles = []
    for _ in range(80):
        # Whole minutes, so some articles share a published_at and the tie-break (the higher id) is exercised.
        at = now - timedelta(minutes=rng.randrange(0, 72 * 60, 7))
        article = ArticleFactory(source=rng.choice(sources), published_at=at)
        for category in rng.sample(categories[1:], rng.randrange(0, 3)):
            ArticleCategoryFactory(article=article, category=category, score=rng.choice([0.1, 0.5, 0.9]))
        for topic in rng.sample(topics, rng.randrange(0, 4)):
            ArticleTopicFactory(article=article, topic=topic)
        articles.append(article)
    for article in rng.sample(articles[10:], 8):
        Article.objects.filter(pk=article.pk).update(duplicate_of=articles[rng.randrange(0, 10)])
    return rng, now, sources, categories, topics


def _cases(rng, now, sources, categories, topics):
    pools = {"category": [c.pk for c in categories], "topic": [t.pk for t in topics]}
    for _ in range(30):
        kind = rng.choice(["category", "topic"])
        ids = sorted(rng.sample(pools[kind], rng.randrange(1, len(pools[kind]) + 1)))
        mutes = {
            "source": [s.pk for s in rng.sample(sources, rng.randrange(0, 3))],
            "category": rng.sample(pools["category"], rng.randrange(0, 2)),
            "topic": rng.sample(pools["topic"], rng.randrange(0, 3)),
        }
        mutes = {k: sorted(v) for k, v in mutes.items() if v}
        since = rng.choice([None, now - timedelta(hours=6), now - timedelta(hours=30)])
        yield kind, ids, mutes, since, rng.choice([3, 20, 500])


def test_it_returns_the_rows_of_the_rule_on_random_data(corpus):
    checked = 0
    for kind, ids, mutes, since, limit in _cases(*corpus):
        expected = _expected(kind, ids, mutes, since, limit)
        assert followed._listed(kind, ids, mutes, since, limit) == expected, (kind, ids, mutes, since, limit)
        assert followed._listed_joined(kind, ids, mutes, since, limit) == expected
        if connection.vendor == "postgresql":
            assert followed._listed_probing("default", kind, ids, mutes, since, limit) == expected
        checked += bool(expected)
    assert checked >= 20  # most cases found something: the comparison is not between empty lists


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the probing form is PostgreSQL's")
def test_it_probes_articles_by_primary_key_on_postgresql():
    # A few rows only: the plan is asked with sequential scans off, and a larger rolled-back corpus gets tables
    # analysed by autovacuum mid-run, which moved the plans tests/web/test_query_plans.py checks.
    now = timezone.now()
    sources, categories = [SourceFactory(), SourceFactory()], [CategoryFactory(), CategoryFactory()]
    topics = [TopicFactory() for _ in range(3)]
    for n in range(6):
        article = ArticleFactory(source=sources[n % 2], published_at=now - timedelta(hours=n))
        ArticleTopicFactory(article=article, topic=topics[n % 3])
    mutes = {"source": [sources[0].pk], "category": [categories[1].pk], "topic": [topics[0].pk]}
    with CaptureQueriesContext(connection) as captured:
        followed._listed_probing("default", "topic", [t.pk for t in topics[1:]], mutes, now - timedelta(hours=6), 50)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_nestloop = off")  # it stays a nested loop even when the planner is told not to
        cursor.execute("EXPLAIN " + captured.captured_queries[-1]["sql"])
        found = "\n".join(row[0] for row in cursor.fetchall())
    # Article is read by one index probe per listing row (its id the listing row's), never scanned or joined whole.
    assert "Index Cond: (id = taxonomy_articlelisting.article_id)" in found, found
    assert "Hash Join" not in found and "Merge Join" not in found and "Seq Scan" not in found, found
    assert "article_listing_newest" in found, found


def test_the_whole_pool_is_the_rule_over_every_kind_at_once(corpus):
    """newest_followed (one statement per window: categories and topics in one listing read on PostgreSQL, a
    UNION with the sources' part) gives the newest `limit` visible articles under any followed category, topic
    or source and no muted one."""
    rng, now, sources, categories, topics = corpus
    checked = 0
    for _ in range(30):
        follows = [("category", c.pk) for c in rng.sample(categories, rng.randrange(0, 3))]
        follows += [("topic", t.pk) for t in rng.sample(topics, rng.randrange(0, 4))]
        follows += [("source", s.pk) for s in rng.sample(sources, rng.randrange(0, 2))]
        mutes = {"source": [s.pk for s in rng.sample(sources, rng.randrange(0, 2))], "topic": []}
        mutes["topic"] = [t.pk for t in rng.sample(topics, rng.randrange(0, 2)) if ("topic", t.pk) not in follows]
        mutes["source"] = [pk for pk in mutes["source"] if ("source", pk) not in follows]
        limit = rng.choice([3, 20, 500])
        expected: dict[int, tuple] = {}
        for kind in ("category", "topic"):
            ids = [pk for k, pk in follows if k == kind]
            if ids:
                expected.update((row[0], row) for row in _expected(kind, ids, mutes, None, 10_000))
        followed_sources = [pk for k, pk in follows if k == "source"]
        for article in Article.objects.filter(duplicate_of__isnull=True, source_id__in=followed_sources):
            if article.source_id not in mutes["source"] and not ArticleListing.objects.filter(
                article=article, kind="topic", target_id__in=mutes["topic"]
            ):
                expected[article.pk] = (article.pk, article.published_at, article.source_id)
        want = sorted(expected.values(), key=lambda row: (row[1], row[0]), reverse=True)[:limit]
        muted = [("source", pk) for pk in mutes["source"]] + [("topic", pk) for pk in mutes["topic"]]
        assert followed.newest_followed(follows, muted, now, limit) == want, (follows, mutes, limit)
        checked += bool(want)
    assert checked >= 15
