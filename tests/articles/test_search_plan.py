"""Search ranks and limits inside the index: the query plans, read with EXPLAIN on each database (issue 17)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.articles.factories import ArticleFactory
from tests.taxonomy.factories import ArticleCategoryFactory, ArticleTopicFactory, CategoryFactory, TopicFactory
from tidings.articles.models import Article
from tidings.articles.search import search_articles
from tidings.searches.filters import filtered, resolve
from tidings.searches.request import SearchRequest

pytestmark = pytest.mark.django_db

sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5 exists on SQLite only")
postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the tsvector column is PostgreSQL's")


def _sqlite_plan(queryset) -> list[str]:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return [row[-1] for row in cursor.fetchall()]


@pytest.fixture
def articles():
    ArticleFactory(headline="Election results are in", body_text="The election was close.")
    ArticleFactory(headline="Budget vote", body_text="Before the election.")
    ArticleFactory(headline="Flood waters rise")


@sqlite_only
def test_sqlite_relevance_order_is_done_by_fts5_not_a_sort(articles):
    plan = _sqlite_plan(search_articles(Article.objects.visible(), "election")[:20])
    assert plan[0].startswith("SCAN articles_article_fts VIRTUAL TABLE"), plan  # the index drives the query
    assert any("articles_article USING INTEGER PRIMARY KEY" in step for step in plan), plan
    assert not any("TEMP B-TREE" in step for step in plan), plan  # no sort of every match


@sqlite_only
def test_sqlite_filters_do_not_take_the_drive_away_from_the_index(articles, monkeypatch):
    from tidings.articles.search import base

    monkeypatch.setattr(base, "SMALL_SET", 0)  # broad filters (test_search_small.py has the selective ones)
    topic = TopicFactory(name="Vote", slug="vote")
    match = Article.objects.get(headline="Election results are in")  # a match passing the filters: a page to plan
    ArticleTopicFactory(article=match, topic=topic)
    category = CategoryFactory(slug="politics")
    ArticleCategoryFactory(article=match, category=category)
    resolved = resolve(SearchRequest(q="election", topic="vote", category="politics", date_from=date(2026, 1, 1)))
    assert (resolved.topic, resolved.category) == (topic, category)
    plan = _sqlite_plan(filtered(resolved)[:20])
    assert plan[0].startswith("SCAN articles_article_fts VIRTUAL TABLE"), plan
    assert not any("TEMP B-TREE" in step for step in plan), plan


@sqlite_only
def test_sqlite_relevance_order_puts_the_headline_match_first(articles):
    found = [a.headline for a in search_articles(Article.objects.visible(), "election")]
    assert found == ["Election results are in", "Budget vote"]


@postgres_only
def test_postgres_search_reads_the_gin_index_and_limits_a_top_n_sort(articles):
    # Enough other rows, analysed, that the planner weighs the indexes by cost as on a real table; a test table
    # still fits in a few pages, where reading it all is cheapest, so plain table scans are off.
    source = Article.objects.first().source
    Article.objects.bulk_create(
        Article(source=source, headline=f"Council budget item {n}", content_hash=f"bulk{n}", url=f"https://x.org/{n}")
        for n in range(3000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article")
        cursor.execute("SET LOCAL enable_seqscan = off")
    with CaptureQueriesContext(connection) as captured:
        page = search_articles(Article.objects.visible(), "election")[:20]
    # The window's matches are found through the GIN index (articles.search.base.newest_matches; a rare word's
    # range is the whole table)...
    # ranked as they are found (one query)...
    [found] = [q["sql"] for q in captured if "ORDER BY" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + found)
        found_plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "articles_article_search_vector_gin" in found_plan, found_plan
    # ...and the page reads its own rows by id (test_search_window.py has more).
    plan = page.explain()
    assert "articles_article_pkey" in plan, plan
    assert any("Index Cond: (" in line and "id = ANY (" in line for line in plan.splitlines()), plan
    assert "article_source_newest" not in plan and "article_visible_newest" not in plan, plan


def test_relevance_ranks_only_the_newest_matches_past_the_window(monkeypatch):
    from tidings.articles.search import base

    monkeypatch.setattr(base, "RANK_WINDOW", 2)
    oldest_best = ArticleFactory(headline="Flood flood flood", body_text="Flood.")
    middle = ArticleFactory(headline="Council notes", body_text="A flood is possible.")
    newest = ArticleFactory(headline="Flood waters rise", body_text="Rain.")
    assert list(search_articles(Article.objects.visible(), "flood")) == [newest, middle]
    assert oldest_best in search_articles(Article.objects.visible(), "flood", "oldest")  # from its own end


def test_under_the_window_every_match_is_ranked(monkeypatch):
    from tidings.articles.search import base

    monkeypatch.setattr(base, "RANK_WINDOW", 5)
    made = [ArticleFactory(headline=f"Flood report {n}") for n in range(3)]
    assert set(search_articles(Article.objects.visible(), "flood")) == set(made)


@sqlite_only
def test_sqlite_window_bound_is_applied_by_fts5_and_its_floor_query_streams(articles, monkeypatch):
    from tidings.articles.search import base
    from tidings.articles.search.sqlite import FTS_TABLE

    monkeypatch.setattr(base, "RANK_WINDOW", 1)
    ranked = search_articles(Article.objects.visible(), "election")[:20]
    plan = _sqlite_plan(ranked)
    assert plan[0].startswith("SCAN articles_article_fts VIRTUAL TABLE"), plan
    assert not any("TEMP B-TREE" in step for step in plan), plan
    floor = (
        Article.objects.visible()
        .extra(  # the floor query as the backend builds it
            tables=[FTS_TABLE],
            where=[f"{FTS_TABLE}.rowid = articles_article.id", f"{FTS_TABLE} MATCH %s"],
            params=['"election"'],
            order_by=[f"-{FTS_TABLE}.rowid"],
        )
        .values_list("pk", flat=True)[4999:5000]
    )
    floor_plan = _sqlite_plan(floor)
    assert floor_plan[0].startswith("SCAN articles_article_fts VIRTUAL TABLE"), floor_plan
    assert not any("TEMP B-TREE" in step for step in floor_plan), floor_plan


@sqlite_only
def test_sqlite_date_sorts_take_the_window_from_their_own_end(monkeypatch):
    from tidings.articles.search import base

    monkeypatch.setattr(base, "RANK_WINDOW", 2)
    now = timezone.now()
    first, second, third = (
        ArticleFactory(headline=f"Flood report {n}", published_at=now - timedelta(hours=10 - n)) for n in range(3)
    )
    assert list(search_articles(Article.objects.visible(), "flood", "newest")) == [third, second]
    assert list(search_articles(Article.objects.visible(), "flood", "oldest")) == [first, second]
