"""The article list indexes (migration 0004): what the planner reads for visible-newest lists and duplicates.

bench/feed_latency.py measures the effect at 10k to 1M articles; here only the plans are checked, on the
database the suite runs on (SQLite, or PostgreSQL through scripts/with-postgres).
"""

from __future__ import annotations

import importlib

import pytest
from django.db import connection

from tests.articles.factories import ArticleFactory
from tests.web.test_query_plans import only_index
from tidings.articles.models import Article

pytestmark = pytest.mark.django_db


class _Editor:
    """The two members of a schema editor the 0004 functions use (a real one cannot open inside a test's
    transaction on SQLite)."""

    connection = connection

    def execute(self, sql, params=None):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def _prefer_indexes() -> None:
    """A handful of rows: make PostgreSQL cost plans as for a large table (SQLite needs nothing)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_bitmapscan = off")


def _indexes_on(column: str) -> dict[str, dict]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Article._meta.db_table)
    return {name: info for name, info in constraints.items() if info["index"] and info["columns"] == [column]}


def test_visible_newest_page_reads_the_partial_index_in_order():
    first = ArticleFactory()
    ArticleFactory(duplicate_of=first)
    ArticleFactory()
    _prefer_indexes()
    plan = Article.objects.visible().newest_first()[:20].explain()
    assert "article_visible_newest" in plan
    assert "TEMP B-TREE" not in plan.upper()  # SQLite: no sort step
    assert "Sort" not in plan  # PostgreSQL: no sort node


def test_duplicates_of_an_article_read_the_partial_duplicate_index():
    first = ArticleFactory()
    ArticleFactory(duplicate_of=first)
    _prefer_indexes()
    query = Article.objects.filter(duplicate_of=first)
    if connection.vendor == "postgresql":  # the question is whether the partial index serves the lookup, not
        only_index(str(query.query), "article_duplicate_of_set")  # which index a 2-row table's planner prefers
    plan = query.explain()
    assert "article_duplicate_of_set" in plan


def test_no_full_index_on_duplicate_of_is_left_for_is_null_to_pick():
    assert list(_indexes_on("duplicate_of_id")) == ["article_duplicate_of_set"]


def test_visible_filter_does_not_read_the_duplicate_index():
    ArticleFactory()
    _prefer_indexes()
    plan = Article.objects.visible().newest_first()[:500].explain()
    assert "article_duplicate_of_set" not in plan


def test_migration_backwards_restores_the_foreign_key_index_once():
    migration = importlib.import_module("tidings.articles.migrations.0004_article_list_indexes")
    if connection.vendor == "postgresql":  # no DDL with deferred foreign-key checks pending (as test_search)
        _Editor().execute("SET CONSTRAINTS ALL IMMEDIATE")
    migration.restore_foreign_key_index(None, _Editor())
    migration.restore_foreign_key_index(None, _Editor())
    restored = set(_indexes_on("duplicate_of_id")) - {"article_duplicate_of_set"}
    assert restored == {"articles_article_duplicate_of_id_fa231b57"}  # the name Django gave it in 0001
    migration.drop_foreign_key_index(None, _Editor())
    assert list(_indexes_on("duplicate_of_id")) == ["article_duplicate_of_set"]
