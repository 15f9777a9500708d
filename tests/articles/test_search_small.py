"""Search within a selective filter's articles (`within`, base.SMALL_SET): the same matches and a sensible order as
the index-driven path, on whichever database the suite runs against; the pure bm25 parts on their own."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.articles.factories import ArticleFactory
from tests.taxonomy.factories import ArticleCategoryFactory, CategoryFactory
from tidings.articles.models import Article
from tidings.articles.search import RANK_FIELD, base, search_articles
from tidings.articles.search.bm25 import TableTotals, bm25, idf, score_case_sql, varints
from tidings.searches.filters import filtered, resolve
from tidings.searches.request import SearchRequest

pytestmark = pytest.mark.django_db

sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5 exists on SQLite only")
postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the tsvector column is PostgreSQL's")


@pytest.fixture(autouse=True)
def from_the_small_set(monkeypatch):
    """On SQLite a word with few matches per candidate goes the index's way (sqlite.SEEK_COST); the tests' words
    have few matches, so the small set's way is taken whenever it is offered, unless a test says otherwise."""
    from tidings.articles.search import sqlite

    monkeypatch.setattr(sqlite, "SEEK_COST", 0)


def every_id():
    return [Article.objects.values_list("pk", flat=True)]


# --- pure parts ---


def test_varints_read_sqlite_encoding():
    assert varints(bytes([0x05, 0x81, 0x00, 0x7F])) == [5, 128, 127]
    assert varints(bytes([0x83, 0x68])) == [488]
    assert varints(bytes([0xFF] * 8 + [0x01])) == [(2**56 - 1) << 8 | 1]  # the 9th byte keeps all 8 bits
    assert varints(bytes([0x81])) == []  # truncated: nothing made up


def test_table_totals_from_the_averages_record():
    totals = TableTotals.from_averages(bytes([10, 20, 30, 50]))
    assert (totals.rows, totals.tokens, totals.average_size) == (10, 100, 10.0)
    assert TableTotals.from_averages(None).average_size == 1.0


def test_bm25_prefers_more_instances_shorter_rows_and_heavier_columns():
    weights = (10.0, 4.0, 1.0)
    one = idf(1000, 10)

    def score(counts, size=20):
        return bm25([counts], size, [one], weights, 20.0)

    assert score([0, 0, 2]) > score([0, 0, 1])
    assert score([0, 0, 1], size=10) > score([0, 0, 1], size=40)
    assert score([1, 0, 0]) > score([0, 1, 0]) > score([0, 0, 1])
    assert idf(1000, 900) == pytest.approx(1e-6)  # as FTS5: a word in most rows still counts a little


def test_score_case_sql_gives_each_id_its_score():
    scores = {pk: pk / 7 for pk in range(3, 400, 3)}
    expression = score_case_sql("id", scores)
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t(id INTEGER PRIMARY KEY)")
    db.executemany("INSERT INTO t VALUES (?)", [(n,) for n in range(1, 410)])
    found = dict(db.execute(f"SELECT id, {expression} FROM t"))
    assert {pk: v for pk, v in found.items() if v is not None} == pytest.approx(scores)
    assert found[4] is None and found[405] is None
    assert score_case_sql("id", {}) == "NULL"


# --- both paths on the database ---


@pytest.fixture
def flood_articles():
    now = timezone.now()
    made = {
        "headline twice": ArticleFactory(headline="Flood flood warning", body_text="Rain.", published_at=now),
        "headline": ArticleFactory(headline="Flood waters rise", body_text="Rain all week.", published_at=now),
        "body thrice": ArticleFactory(headline="Weather", body_text="Flood. Flood. Flood.", published_at=now),
        "body long": ArticleFactory(
            headline="Council report",
            body_text="The council met. " * 30 + "A flood is possible.",
            published_at=now - timedelta(hours=1),
        ),
    }
    ArticleFactory(headline="Budget vote", body_text="No water here.")
    return made


def test_small_path_finds_the_same_matches_in_the_same_order(flood_articles):
    broad = list(search_articles(Article.objects.visible(), "flood"))
    small = list(search_articles(Article.objects.visible(), "flood", within=every_id()))
    assert small == broad
    assert small[0] == flood_articles["headline twice"]
    assert small[-1] == flood_articles["body long"]  # one mention in a long body is the weakest match
    assert set(small) == set(flood_articles.values())


@sqlite_only
def test_small_path_scores_are_fts5_bm25_for_one_word(flood_articles):
    broad = {a.pk: getattr(a, RANK_FIELD) for a in search_articles(Article.objects.visible(), "flood")}
    small = {
        a.pk: getattr(a, RANK_FIELD) for a in search_articles(Article.objects.visible(), "flood", within=every_id())
    }
    assert small.keys() == broad.keys()
    # Scaled by one shared IDF factor (bm25.py): the ratios between rows are FTS5's own.
    first = next(iter(broad))
    for pk in broad:
        assert small[pk] / small[first] == pytest.approx(broad[pk] / broad[first], rel=1e-6)


def test_small_path_needs_every_word_and_ranks_the_better_match_first():
    both_headline = ArticleFactory(headline="Harbour bridge repairs begin", body_text="Work starts.")
    both_body = ArticleFactory(headline="Notice", body_text="The harbour bridge needs repairs next year.")
    ArticleFactory(headline="Harbour festival opens", body_text="Music all day.")
    found = list(search_articles(Article.objects.visible(), "harbour repairs", within=every_id()))
    assert found == [both_headline, both_body]
    assert found == list(search_articles(Article.objects.visible(), "harbour repairs"))


def test_small_path_weighs_the_rarer_word_as_the_index_does():
    # "council" is in every article, "volcano" in two: on SQLite more volcano beats more council, on both paths.
    for n in range(8):
        ArticleFactory(headline=f"Council notes {n}", body_text="The council met.")
    volcano_twice = ArticleFactory(headline="Volcano alert: volcano", body_text="The council met.")
    council_thrice = ArticleFactory(headline="Council, council, council", body_text="A volcano was seen.")
    broad = list(search_articles(Article.objects.visible(), "council volcano"))
    small = list(search_articles(Article.objects.visible(), "council volcano", within=every_id()))
    assert small == broad
    assert set(small) == {volcano_twice, council_thrice}
    if connection.vendor == "sqlite":  # bm25 weighs words by rarity; PostgreSQL's ts_rank has no IDF
        assert small == [volcano_twice, council_thrice]


@sqlite_only
def test_small_path_scores_are_fts5_bm25_for_several_words_where_counts_are_exact():
    for n in range(6):
        ArticleFactory(headline=f"Harbour notes {n}", body_text="The harbour bridge is open." * (n + 1))
    ArticleFactory(headline="Harbour bridge repairs", body_text="Repairs to the harbour bridge.")
    broad = {a.pk: getattr(a, RANK_FIELD) for a in search_articles(Article.objects.visible(), "harbour repairs bridge")}
    small = {
        a.pk: getattr(a, RANK_FIELD)
        for a in search_articles(Article.objects.visible(), "harbour repairs bridge", within=every_id())
    }
    assert small == pytest.approx(broad, rel=1e-6)
    broad = {a.pk: getattr(a, RANK_FIELD) for a in search_articles(Article.objects.visible(), "harbour bridge")}
    small = {
        a.pk: getattr(a, RANK_FIELD)
        for a in search_articles(Article.objects.visible(), "harbour bridge", within=every_id())
    }
    assert small == pytest.approx(broad, rel=1e-6)


def test_small_path_keeps_every_filter_of_the_queryset(flood_articles):
    kept = Article.objects.visible().exclude(pk=flood_articles["headline twice"].pk)
    found = list(search_articles(kept, "flood", within=every_id()))
    assert flood_articles["headline twice"] not in found
    assert found[0] == flood_articles["headline"]


def test_small_path_date_sorts(flood_articles):
    newest = list(search_articles(Article.objects.visible(), "flood", "newest", within=every_id()))
    assert newest[-1] == flood_articles["body long"]
    assert newest == list(search_articles(Article.objects.visible(), "flood", "newest"))
    oldest = list(search_articles(Article.objects.visible(), "flood", "oldest", within=every_id()))
    assert oldest[0] == flood_articles["body long"]


def test_no_match_in_the_small_set_is_an_empty_result(flood_articles):
    assert list(search_articles(Article.objects.visible(), "volcano", within=every_id())) == []
    assert (
        list(
            search_articles(
                Article.objects.visible(), "flood", within=[Article.objects.none().values_list("pk", flat=True)]
            )
        )
        == []
    )


def test_category_filter_searches_from_its_articles_below_the_cap_and_by_the_index_above(flood_articles, monkeypatch):
    politics = CategoryFactory(slug="politics", name="Politics")
    for key in ("headline", "body thrice", "body long"):
        ArticleCategoryFactory(article=flood_articles[key], category=politics)
    request = SearchRequest(q="flood", category="politics")
    small = list(filtered(resolve(request)))
    assert small == [flood_articles["headline"], flood_articles["body thrice"], flood_articles["body long"]]
    monkeypatch.setattr(base, "SMALL_SET", 2)  # the category names 3 articles: the index-driven path
    assert list(filtered(resolve(request))) == small


@postgres_only
def test_postgres_small_set_plan_starts_from_the_filters_articles(flood_articles):
    source = Article.objects.first().source
    Article.objects.bulk_create(
        Article(source=source, headline=f"Flood item {n}", content_hash=f"bulk{n}", url=f"https://x.org/{n}")
        for n in range(3000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article")
    few = [a.pk for a in flood_articles.values()]
    plan = search_articles(
        Article.objects.visible(), "flood", within=[Article.objects.filter(pk__in=few).values_list("pk", flat=True)]
    )[:20].explain()
    assert "articles_article_pkey" in plan, plan  # the few ids, by primary key
    assert "search_vector_gin" not in plan, plan  # not every match of a common word


@sqlite_only
def test_sqlite_small_set_page_reads_articles_by_primary_key_not_the_index(flood_articles):
    page = search_articles(Article.objects.visible(), "flood", within=every_id())[:20]
    sql, params = page.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = [row[-1] for row in cursor.fetchall()]
    assert any("articles_article USING INTEGER PRIMARY KEY" in step for step in plan), plan
    assert not any("articles_article_fts" in step for step in plan), plan  # matched and scored already


@sqlite_only
def test_sqlite_takes_the_small_sets_way_only_for_words_with_many_matches_per_candidate(monkeypatch):
    from tidings.articles.search import sqlite

    monkeypatch.setattr(sqlite, "SEEK_COST", 3)
    for n in range(6):
        ArticleFactory(headline=f"Flood report {n}", body_text="Rain." if n % 2 else "Rain and a storm.")
    kept = Article.objects.visible().filter(headline="Flood report 0")  # the filter, and its own ids below
    one = [kept.values_list("pk", flat=True)]

    def plan(q):
        sql, params = search_articles(kept, q, within=one)[:20].query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            return " ".join(row[-1] for row in cursor.fetchall())

    assert "articles_article_fts" not in plan("flood")  # 6 matches for 1 candidate: from the candidate
    assert "articles_article_fts" in plan("storm")  # 3 matches, not more than 3 per candidate: by the index
    assert [a.headline for a in search_articles(kept, "storm", within=one)] == ["Flood report 0"]
    assert [a.headline for a in search_articles(kept, "flood", within=one)] == ["Flood report 0"]


# --- a broad filter that few of the words' matches pass (SQLite: ranked from the matches' ids) ---


@pytest.fixture
def broad_politics(flood_articles):
    """Many matches of "flood", two of them listed in a category the filter names; SMALL_SET=0 makes the filter
    broad (not searched from its own articles), SEEK_COST=1 says 2 matches are few next to the word's 24."""
    for n in range(20):
        ArticleFactory(headline=f"Flood bulletin {n}", body_text="Rain again.")
    politics = CategoryFactory(slug="politics", name="Politics")
    for key in ("body thrice", "headline twice"):
        ArticleCategoryFactory(article=flood_articles[key], category=politics)
    return SearchRequest(q="flood", category="politics")


def test_broad_filter_with_few_passing_matches_ranks_them_as_the_index_does(
    broad_politics, flood_articles, monkeypatch
):
    from tidings.articles.search import sqlite

    monkeypatch.setattr(base, "SMALL_SET", 0)
    monkeypatch.setattr(sqlite, "SEEK_COST", 1)
    few = list(filtered(resolve(broad_politics)))
    assert few == [flood_articles["headline twice"], flood_articles["body thrice"]]
    # The same rows in the same order as the index's way ranks them (every match ranked, then filtered).
    monkeypatch.setattr(sqlite, "SEEK_COST", 10_000)
    assert list(filtered(resolve(broad_politics))) == few


@sqlite_only
def test_broad_filter_with_few_passing_matches_reads_them_by_primary_key(broad_politics, monkeypatch):
    from tidings.articles.search import sqlite

    monkeypatch.setattr(base, "SMALL_SET", 0)
    monkeypatch.setattr(sqlite, "SEEK_COST", 1)
    sql, params = filtered(resolve(broad_politics))[:20].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = [row[-1] for row in cursor.fetchall()]
    assert not any("articles_article_fts" in step for step in plan), plan  # not every match of the word ranked
    monkeypatch.setattr(sqlite, "SEEK_COST", 10_000)  # matches too many next to the words': the index's way
    sql, params = filtered(resolve(broad_politics))[:20].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        assert any("articles_article_fts" in row[-1] for row in cursor.fetchall())


def test_a_filter_no_match_passes_is_an_empty_result_without_counting(
    broad_politics, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(base, "SMALL_SET", 0)
    found = filtered(resolve(SearchRequest(q="budget", category="politics")))  # its one match is not listed there
    with django_assert_max_num_queries(0):  # known while looking for the rank window: no count, no page query
        assert list(found) == [] and found.count() == 0


@sqlite_only
def test_small_set_looks_up_only_the_candidates_among_the_streamed_matches(flood_articles, monkeypatch):
    from tidings.articles.search import sqlite

    def search(within_ids):
        return list(search_articles(Article.objects.visible(), "flood", within=[within_ids]))

    every = Article.objects.values_list("pk", flat=True)
    monkeypatch.setattr(sqlite, "STREAM_COST", 0)  # no stream: every candidate looked up by rowid
    looked_up = search(every)
    monkeypatch.setattr(sqlite, "STREAM_COST", 1000)  # every match streamed first
    assert search(every) == looked_up and len(looked_up) == 4
    dry = Article.objects.filter(headline="Budget vote").values_list("pk", flat=True)  # no flood in it
    with CaptureQueriesContext(connection) as captured:
        assert search(dry) == []
    assert not any("highlight(" in q["sql"] for q in captured.captured_queries)  # nothing left to look up
