"""The rank window's matches found from recent id ranges (base.newest_matches, PostgreSQL's relevance path, issue
17): the same ids as ordering every match by id, on whichever database the suite runs against."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.articles.factories import ArticleFactory
from tidings.articles.models import Article
from tidings.articles.search import base, search_articles
from tidings.articles.search.base import SPAN_GROWTH, first_span, newest_matches, next_span

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the tsvector column is PostgreSQL's")


# --- pure parts ---


def test_first_span_is_the_range_the_estimate_says_holds_the_window_with_a_margin():
    assert first_span(1_000_000, 100_000, 5000) == 62_500  # 1 in 10 match: 50,000 ids, a quarter more


def test_first_span_is_the_whole_table_when_the_estimate_is_under_the_window():
    assert first_span(1_000_000, 4000, 5000) == 1_000_000
    assert first_span(1_000_000, 4500, 5000) == 1_000_000
    assert first_span(1000, 900, 5) == 7  # the margin rounds up


def test_first_span_without_an_estimate_is_the_default():
    assert first_span(1_000_000, None, 5000) == base.FIRST_SPAN


def test_next_span_sizes_the_range_from_the_match_rate_seen_with_a_margin():
    assert next_span(1000, 100, 500) == 6250  # 500 matches at 1 in 10 need 5000 ids; a quarter more


def test_next_span_at_least_doubles():
    assert next_span(1000, 499, 500) == 2000


def test_next_span_grows_at_most_span_growth_times():
    assert next_span(1000, 1, 500) == 1000 * SPAN_GROWTH
    assert next_span(1000, 0, 500) == 1000 * SPAN_GROWTH  # no match seen: no rate to go by


# --- the floor against the database ---

WORDS = {
    # word: which of the 40 articles (oldest first) have it
    "common": range(0, 40, 2),
    "old": range(0, 6),  # only in the oldest articles
    "new": range(34, 40),
    "rare": [17],
    "none": [],
}


@pytest.fixture
def corpus():
    made = []
    for n in range(40):
        words = [word for word, where in WORDS.items() if n in where]
        made.append(ArticleFactory(headline=" ".join(["Report", *words, f"item{n}"])))
    return made


def _matches(word: str):
    return Article.objects.filter(headline__contains=f" {word} ")


def _newest(word: str, window: int) -> list[int]:
    """The reference: every match ordered by id."""
    return list(_matches(word).order_by("-pk").values_list("pk", flat=True)[:window])


@pytest.mark.parametrize("word", WORDS)
def test_newest_matches_are_those_of_every_match_by_id(corpus, word):
    where = sorted(WORDS[word], reverse=True)
    for window in (1, 2, 3, 6, 7, 20, 21):
        everything = _newest(word, window)
        assert everything == [corpus[n].pk for n in where[:window]], window  # the reference is what the fixture says
        for span in (1, 3, 10, 1000):
            assert newest_matches(_matches(word), window, span=span) == everything, (window, span)
        for expected in (0, 1, 5, 20, 40, 1000):  # estimates too low, right and too high
            assert newest_matches(_matches(word), window, expected) == everything, (window, expected)


def test_a_window_found_in_the_first_range_takes_one_try(corpus):
    with CaptureQueriesContext(connection) as captured:
        found = newest_matches(_matches("common"), 3, span=6)
    assert found == [corpus[38].pk, corpus[36].pk, corpus[34].pk]
    assert len(captured) == 2  # the table's id bounds, then one range


def test_an_estimate_sizes_the_first_range(corpus):
    with CaptureQueriesContext(connection) as captured:
        found = newest_matches(_matches("common"), 3, expected=20)  # 20 of 40: 6 ids, 8 with the margin
    assert found == [corpus[38].pk, corpus[36].pk, corpus[34].pk]
    assert len(captured) == 2
    assert f">= {corpus[32].pk}" in captured[1]["sql"]


def test_tries_for_a_word_only_in_old_articles_grow_geometrically(corpus):
    with CaptureQueriesContext(connection) as captured:
        found = newest_matches(_matches("old"), 2, span=1)
    assert found == [corpus[5].pk, corpus[4].pk]
    assert len(captured) == 1 + 3  # spans of 1, 16 and 256 ids: the third holds the whole table


def test_an_empty_table_has_no_matches():
    assert newest_matches(Article.objects.all(), 5, span=1) == []


def test_the_widening_ends_at_the_oldest_id():
    made = [ArticleFactory(headline=f"Report item{n}") for n in range(3)]
    Article.objects.filter(pk=made[0].pk).update(headline="Report old item")
    with CaptureQueriesContext(connection) as captured:
        found = newest_matches(Article.objects.filter(headline__contains=" old "), 2, span=1)
    assert found == [made[0].pk]  # fewer than the window: all of them
    assert len(captured) == 1 + 2  # 1 id, then 16: past the oldest


# --- through search_articles: the window as before, whichever range found it ---


@pytest.fixture
def small_window(monkeypatch):
    monkeypatch.setattr(base, "RANK_WINDOW", 3)
    monkeypatch.setattr(base, "FIRST_SPAN", 2)


def test_a_word_only_in_old_articles_ranks_its_newest_window(small_window):
    old = [ArticleFactory(headline=f"Flood warning {n}", body_text="Rain.") for n in range(5)]
    for n in range(60):
        ArticleFactory(headline=f"Council budget {n}", body_text="Taxes.")
    assert set(search_articles(Article.objects.visible(), "flood")) == set(old[2:])


def test_a_rare_word_is_ranked_whole(small_window):
    ArticleFactory(headline="Volcano erupts", body_text="Ash.")
    rare = [ArticleFactory(headline=f"Flood warning {n}") for n in range(2)]
    for n in range(30):
        ArticleFactory(headline=f"Council budget {n}")
    assert set(search_articles(Article.objects.visible(), "flood")) == set(rare)


def test_a_word_with_no_match_finds_nothing(small_window):
    for n in range(10):
        ArticleFactory(headline=f"Council budget {n}")
    assert list(search_articles(Article.objects.visible(), "earthquake")) == []


def test_the_window_counts_only_articles_the_queryset_keeps(small_window):
    made = [ArticleFactory(headline=f"Flood warning {n}") for n in range(8)]
    hidden = made[5:7]
    Article.objects.filter(pk__in=[a.pk for a in hidden]).update(duplicate_of=made[0])
    # The 3 newest visible matches: hidden ones are not counted in the window.
    assert set(search_articles(Article.objects.visible(), "flood")) == {made[7], made[4], made[3]}


def test_the_newest_window_is_ranked_best_first(small_window):
    ArticleFactory(headline="Flood flood flood", body_text="Flood.")  # best, but outside the window
    middle = ArticleFactory(headline="Council notes", body_text="A flood is possible.")
    strong = ArticleFactory(headline="Flood waters rise", body_text="Flood defences hold.")
    for n in range(20):
        ArticleFactory(headline=f"Council budget {n}")
    newest = ArticleFactory(headline="Weather", body_text="No flood today.")
    found = list(search_articles(Article.objects.visible(), "flood"))
    assert found[0] == strong
    assert set(found) == {strong, middle, newest}


@pytest.fixture
def analysed_table(corpus, monkeypatch):
    """3,000 more rows, "council" in each and "flood" in one of ten, analysed, so that the planner weighs the indexes
    by cost as on a real table; a window of 100."""
    monkeypatch.setattr(base, "RANK_WINDOW", 100)
    source = corpus[0].source
    Article.objects.bulk_create(
        Article(
            source=source,
            headline=f"Council budget item {n}" + (" flood" if n % 10 == 0 else ""),
            content_hash=f"bulk{n}",
            url=f"https://x.org/{n}",
        )
        for n in range(3000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article")
        cursor.execute("SET LOCAL enable_seqscan = off")


def _search_queries(word: str) -> tuple[list[str], list]:
    with CaptureQueriesContext(connection) as captured:
        page = list(search_articles(Article.objects.visible(), word)[:20])
    return [q["sql"] for q in captured], page


def _plan(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def _newest_with(word: str, n: int) -> set[int]:
    return set(Article.objects.filter(headline__icontains=word).order_by("-pk").values_list("pk", flat=True)[:n])


def _ranking_query(sql: list[str]) -> str:
    [ranking] = [q for q in sql if q.startswith("SELECT w.id FROM (")]
    return ranking


@postgres_only
@pytest.mark.parametrize("word", ["flood", "council"])  # 1 in 10 rows; every row
def test_postgres_finds_and_ranks_the_window_in_one_query_and_a_page_reads_its_own_rows(analysed_table, word):
    sql, page = _search_queries(word)
    ranking = _ranking_query(sql)
    assert "LIMIT 100)" in ranking, ranking  # one try: the planner's estimate sized the first range
    assert "articles_article_pkey" in _plan(ranking)  # the id range bounds what is read
    # Then only the page, by its 20 ids: no count, no second ranking of the window.
    [page_sql] = [q for q in sql if "ts_rank" in q and q != ranking]
    assert page_sql.count(", ") < 60 and '"articles_article"."id" IN (' in page_sql, page_sql
    assert {a.pk for a in page} <= _newest_with(word, 100) and len(page) == 20


@postgres_only
def test_postgres_page_query_names_only_the_pages_ids(analysed_table):
    found = search_articles(Article.objects.visible(), "flood")
    assert found.known_order is not None and len(found.known_order) == 100
    with CaptureQueriesContext(connection) as captured:
        page = list(found.for_cards()[20:40])
    [page_sql] = [q["sql"] for q in captured if "ts_rank" in q["sql"]]
    assert f'"articles_article"."id" IN ({", ".join(str(pk) for pk in found.known_order[20:40])})' in page_sql
    plan = _plan(page_sql)
    # The page's ids bound what is read (by primary key, or as a filter when the planner reads this small table's
    # one source by its index instead: seen once in CI); the word's index is not searched again.
    assert "id = ANY (" in plan and "search_vector_gin" not in plan, plan
    assert [a.pk for a in page] == found.known_order[20:40]


def _old_definition(word: str, window: int) -> list[int]:
    """The ranking as defined before the window was ranked while found: the newest `window` matches by id, ordered
    by ts_rank, then newest, in SQL."""
    from django.db.models import BooleanField, FloatField
    from django.db.models.expressions import RawSQL

    query = "websearch_to_tsquery('english'::regconfig, %s)"
    matched = Article.objects.visible().filter(
        RawSQL(f"articles_article.search_vector @@ {query}", (word,), output_field=BooleanField())
    )
    newest = list(matched.order_by("-pk").values_list("pk", flat=True)[:window])
    rank = RawSQL(f"ts_rank(articles_article.search_vector, {query})", (word,), output_field=FloatField())
    return list(
        Article.objects.filter(pk__in=newest)
        .annotate(r=rank)
        .order_by("-r", "-published_at", "-id")
        .values_list("pk", flat=True)
    )


@postgres_only
@pytest.mark.parametrize("word", ["flood", "council", "item", "budget flood", "nothing"])
def test_postgres_known_order_is_the_old_definitions_ranking(analysed_table, word):
    found = search_articles(Article.objects.visible(), word)
    expected = _old_definition(word, 100)
    assert (found.known_order or []) == expected
    assert [a.pk for a in found] == expected  # read whole, by the window's bound, in the same order


# --- the known order (ArticleQuerySet.known_order): slices and counts, on either database ---


@pytest.mark.parametrize("word", ["flood", "council", "volcano"])
def test_every_slice_and_count_is_that_of_the_whole_ranked_list(small_window, word):
    from tidings.lib.counting import capped_count

    ArticleFactory(headline="Volcano erupts", body_text="Ash and a flood.")
    for n in range(12):
        ArticleFactory(headline=f"Council budget {n}" + (" flood" if n % 3 == 0 else ""), body_text="Taxes.")
    found = search_articles(Article.objects.visible(), word)
    whole = list(found.all())  # a clone: read without the known order
    assert found.all().known_order is None
    for start, stop in [(0, 1), (0, 2), (1, 3), (2, 20), (5, 9), (0, 0)]:
        assert list(found[start:stop]) == whole[start:stop], (start, stop)
        assert list(found.for_cards()[start:stop]) == whole[start:stop], (start, stop)
        assert list(found.for_web_cards()[start:stop]) == whole[start:stop], (start, stop)
    for cap in (0, 1, 2, 3, 10):
        expected = capped_count(found.values("pk"), cap)
        assert capped_count(found, cap, known=found.known_order) == expected, cap


def test_known_order_slices_by_id_and_only_column_choices_keep_it():
    made = [ArticleFactory(headline=f"Report {n}") for n in range(4)]
    newest = Article.objects.order_by("-pk")
    known = newest.with_known_order([a.pk for a in reversed(made)])
    assert known.for_cards().known_order == known.for_listing().known_order == known.for_web_cards().known_order
    assert known.filter(pk__gt=0).known_order is None and known.order_by("pk").known_order is None
    with CaptureQueriesContext(connection) as captured:
        assert list(known[1:3]) == [made[2], made[1]]
    assert " IN (" in captured[0]["sql"] and "LIMIT" not in captured[0]["sql"]
    assert known[0] == made[3]  # an index is the queryset's own
    assert list(known) == list(newest)
