"""The editor-rejection index (taxonomy 0002): membership checks find "not in this category" links through an
index, on SQLite and on PostgreSQL. bench/feed_latency.py measures the effect; here only plans are checked."""

from __future__ import annotations

import pytest
from django.db import connection

from tests.taxonomy.factories import ArticleCategoryFactory, CategoryFactory
from tidings.articles.models import Article
from tidings.taxonomy.membership import listed_in_category
from tidings.taxonomy.models import ArticleCategory, Origin

pytestmark = pytest.mark.django_db


def _plan_of_category_filter() -> str:
    parent = CategoryFactory()
    child = CategoryFactory(parent=parent)
    link = ArticleCategoryFactory(category=child)
    ArticleCategoryFactory(article=link.article, category=parent, origin=Origin.EDITOR, score=0.0)
    if connection.vendor == "postgresql":  # a handful of rows: cost plans as for a large table
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
    return Article.objects.visible().filter(listed_in_category([parent.pk])).newest_first()[:500].explain()


def test_the_rejection_index_holds_only_editor_rejections():
    parent = CategoryFactory()
    ArticleCategoryFactory(category=parent)
    ArticleCategoryFactory(category=parent, origin=Origin.EDITOR, score=0.0)
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, ArticleCategory._meta.db_table)
    assert constraints["article_category_rejections"]["columns"] == ["article_id", "category_id"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite reads rejections per row (next test)")
def test_postgres_reads_rejections_through_the_partial_index():
    plan = _plan_of_category_filter()
    assert "article_category_rejections" in plan
    assert "Seq Scan on taxonomy_articlecategory" not in plan


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL: previous test")
def test_sqlite_never_scans_the_link_table_for_rejections():
    plan = _plan_of_category_filter()
    assert "SCAN taxonomy_articlecategory" not in plan
    assert "SCAN U0" not in plan and "SCAN V0" not in plan  # the link table under its subquery aliases
