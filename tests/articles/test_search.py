"""Full-text search through search_articles, on whichever database the suite runs against."""

from __future__ import annotations

import importlib

import pytest
from django.db import connection

from tests.articles.factories import ArticleFactory
from tidings.articles.models import Article
from tidings.articles.search import RANK_FIELD, search_articles
from tidings.articles.search.base import MAX_TERMS, query_terms
from tidings.articles.search.sqlite import match_expression

pytestmark = pytest.mark.django_db

FTS_SYNTAX = ['"unbalanced', "AND OR NOT", "*", "NEAR(", "headline:flood", "-", "^flood", "flood AND", "(", "'", "\\"]


def test_empty_query_returns_queryset_unchanged():
    ArticleFactory.create_batch(2)
    queryset = Article.objects.all()
    assert search_articles(queryset, "") is queryset
    assert search_articles(queryset, "   ") is queryset


def test_headline_match_ranks_above_body_match():
    body_only = ArticleFactory(headline="Weather report", body_text="Rain later; a flood is unlikely.")
    headline = ArticleFactory(headline="Flood waters reach the town centre", body_text="Residents left.")
    ArticleFactory(headline="Council approves budget", body_text="Taxes stay the same.")

    results = list(search_articles(Article.objects.all(), "flood"))

    assert results == [headline, body_only]


def test_unrelated_article_is_not_returned():
    ArticleFactory(headline="Council approves budget", standfirst="", body_text="Taxes stay the same.")
    assert list(search_articles(Article.objects.all(), "earthquake")) == []


def test_every_word_must_match():
    both = ArticleFactory(headline="Harbour bridge closed for repairs")
    ArticleFactory(headline="Harbour festival opens")
    assert list(search_articles(Article.objects.all(), "harbour repairs")) == [both]


def test_results_carry_a_rank():
    ArticleFactory(headline="Flood waters rise")
    [result] = search_articles(Article.objects.all(), "flood")
    assert getattr(result, RANK_FIELD) > 0


def test_stemmed_word_matches():
    article = ArticleFactory(headline="Rivers flooding after storms")
    assert list(search_articles(Article.objects.all(), "flooded")) == [article]


def test_edited_headline_is_searchable():
    article = ArticleFactory(headline="Budget vote delayed")
    Article.objects.filter(pk=article.pk).update(headline="Volcano erupts near village")
    assert list(search_articles(Article.objects.all(), "volcano")) == [article]
    assert list(search_articles(Article.objects.all(), "budget")) == []


def test_deleted_article_is_not_found():
    article = ArticleFactory(headline="Volcano erupts near village")
    article.delete()
    assert list(search_articles(Article.objects.all(), "volcano")) == []


def test_search_keeps_earlier_filters():
    kept = ArticleFactory(headline="Flood in the north")
    other = ArticleFactory(headline="Flood in the south")
    results = search_articles(Article.objects.exclude(pk=other.pk), "flood")
    assert list(results) == [kept]


@pytest.mark.parametrize("q", FTS_SYNTAX)
def test_query_syntax_characters_never_raise(q):
    ArticleFactory(headline="Flood waters rise")
    assert isinstance(list(search_articles(Article.objects.all(), q)), list)


def test_operator_words_are_searched_as_words():
    article = ArticleFactory(headline="Not guilty, says jury")
    assert list(search_articles(Article.objects.all(), "NOT guilty")) == [article]


def test_quoted_query_with_unbalanced_quote_finds_the_word():
    article = ArticleFactory(headline="Flood waters rise")
    assert list(search_articles(Article.objects.all(), '"flood')) == [article]


def test_query_terms_drop_operators_and_punctuation():
    assert query_terms('"unbalanced (NEAR* headline:flood') == ["unbalanced", "NEAR", "headline", "flood"]


def test_query_terms_are_bounded():
    assert len(query_terms("word " * 100)) == MAX_TERMS


def test_match_expression_quotes_each_term():
    assert match_expression('flood" OR *') == '"flood" "OR"'


def test_match_expression_of_only_punctuation_is_empty():
    assert match_expression('"*()^') == ""


class _Editor:
    """The two members of a schema editor the 0002_fulltext functions use."""

    connection = connection

    def execute(self, sql, params=None):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def _fulltext_migration():
    return importlib.import_module("tidings.articles.migrations.0002_fulltext")


def _search_objects():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE name LIKE 'articles_article_fts%%'")
        else:
            cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname = 'articles_article_fts_gin'")
        return {row[0] for row in cursor.fetchall()}


def test_fulltext_migration_reverses_cleanly():
    operation = _fulltext_migration().Migration.operations[0]
    operation.reverse_code(None, _Editor())
    assert _search_objects() == set()


def test_fulltext_migration_indexes_articles_that_already_exist():
    operation = _fulltext_migration().Migration.operations[0]
    operation.reverse_code(None, _Editor())
    article = ArticleFactory(headline="Volcano erupts near village")
    if connection.vendor == "postgresql":
        # PostgreSQL refuses DDL on a table with deferred foreign-key checks pending in this transaction.
        _Editor().execute("SET CONSTRAINTS ALL IMMEDIATE")
    operation.code(None, _Editor())
    assert list(search_articles(Article.objects.all(), "volcano")) == [article]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN index exists on PostgreSQL only")
def test_postgres_search_uses_the_gin_index():
    ArticleFactory(headline="Flood waters rise")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    # The matches, in no order (relevance finds its window's matches so: test_search_plan.py has its plans).
    plan = search_articles(Article.objects.all(), "flood", "newest").order_by().explain()
    assert "articles_article_search_vector_gin" in plan


def test_admin_search_box_uses_full_text(admin_client):
    ArticleFactory(headline="Flooding closes the coast road")
    ArticleFactory(headline="Budget passes")
    response = admin_client.get("/admin/articles/article/", {"q": "flooded"})
    assert response.status_code == 200
    assert [a.headline for a in response.context["cl"].result_list] == ["Flooding closes the coast road"]
