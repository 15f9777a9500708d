"""Search ranks and limits inside the index: the query plans, read with EXPLAIN on each database (issue 17)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection

from tests.articles.factories import ArticleFactory
from tests.taxonomy.factories import CategoryFactory, TopicFactory
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
def test_sqlite_filters_do_not_take_the_drive_away_from_the_index(articles):
    topic = TopicFactory(name="Vote", slug="vote")
    category = CategoryFactory(slug="politics")
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
    plan = search_articles(Article.objects.visible(), "election")[:20].explain()
    assert "articles_article_search_vector_gin" in plan, plan
    assert plan.lstrip().startswith("Limit"), plan  # ranked, then cut to the page: no full ordered result
    assert "article_source_newest" not in plan and "article_visible_newest" not in plan, plan
