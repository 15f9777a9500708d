"""SQLite search: an FTS5 external-content table (migration 0002_fulltext) ranked inside the index.

Past base.RANK_WINDOW matches, relevance and newest look at the newest that many (oldest: the oldest), by a rowid
bound FTS5 applies itself.

The article table is joined to the FTS5 table by rowid and ordered by the FTS5 `rank` column, whose function is
set once by migration 0006 to bm25 with column weights (BM25_WEIGHTS). Ordered that way, SQLite hands the ORDER BY
to FTS5 (no temporary B-tree for the sort), the articles are read by primary key in rank order and a page's LIMIT
stops the scan: checked with EXPLAIN QUERY PLAN in tests/articles/test_search_plan.py.

With a selective filter (`within` naming at most base.SMALL_SET articles) and words with more than SEEK_COST
matches per article of it, the search starts from the filter's articles instead and ranks them itself:
sqlite_small.py. With a broad filter, looking for the rank window lists every match that passes the filters when
there are fewer than the window: none ends the search there, and a few (FEW_MATCHES, and few next to the words'
matches) are ranked from their ids the same way, instead of FTS5 ranking every match of the words first.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from tidings.articles.search import base
from tidings.articles.search.base import RANK_FIELD, RELEVANCE, ordered, query_terms, small_set
from tidings.articles.search.sqlite_small import search_small

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from tidings.articles.models import ArticleQuerySet

FTS_TABLE = "articles_article_fts"
# bm25 column weights: headline, standfirst, body_text (the rank function set by migration 0006).
BM25_WEIGHTS = (10.0, 4.0, 1.0)
RANK_FUNCTION = "bm25(" + ", ".join(str(w) for w in BM25_WEIGHTS) + ")"


def match_expression(q: str) -> str:
    """An FTS5 query that matches every word of `q`; each word is quoted, so user text is never syntax."""
    return " ".join(phrases(q))


# Looking one row up by rowid in FTS5 costs about as much as streaming, ranking and filter-checking this many
# matches (measured at 100k articles, bench/search.py's corpus): the small set is searched from its side only when
# the words have more matches than this many times its size. A rarer word goes the index's way, which then checks
# every match against the filter but there are few.
SEEK_COST = 4
# Streaming the words' rowids costs less than a hundredth of a rowid lookup per row (1M articles: 67,000 rowids of
# "police" in 25 ms, 1,770 lookups of "election" in ~180 ms): for a small set, up to this many matches per
# candidate are streamed, so that only the candidates among them are looked up (none: no lookup at all).
STREAM_COST = 40
# A broad filter's matches, all found while looking for the rank window, are ranked from their ids (sqlite_small)
# when they are at most this many (its cost per row, like base.SMALL_SET's) and few next to the words' matches.
FEW_MATCHES = 2000


def _matches_up_to(alias: str, expression: str, cap: int) -> list[int] | None:
    """The rowids `expression` matches when there are at most `cap` of them (streamed, not ranked), else None."""
    from django.db import connections

    with connections[alias].cursor() as cursor:
        # Only constants are formatted into the SQL; the user's text is always a bound parameter.
        cursor.execute(
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s LIMIT %s",  # noqa: S608
            [expression, cap + 1],
        )
        found = [row[0] for row in cursor.fetchall()]
    return found if len(found) <= cap else None


def _more_matches_than(alias: str, expression: str, cap: int) -> bool:
    """Whether `expression` matches more than `cap` rows: its first cap + 1 rowids streamed and counted in SQL."""
    from django.db import connections

    with connections[alias].cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s LIMIT %s)",  # noqa: S608
            [expression, cap + 1],
        )
        return int(cursor.fetchone()[0]) > cap


def phrases(q: str) -> list[str]:
    """Each word of `q` as a quoted FTS5 phrase."""
    return [f'"{term}"' for term in query_terms(q)]


class SQLiteSearch:
    def search(
        self, queryset: ArticleQuerySet, q: str, sort: str = RELEVANCE, within: Sequence[QuerySet[Any, int]] = ()
    ) -> ArticleQuerySet:
        expression = match_expression(q)
        if not expression:
            return queryset.none()
        candidates = small_set(within)
        if candidates == []:
            return queryset.none()
        if candidates is not None:
            streamed = _matches_up_to(queryset.db, expression, STREAM_COST * len(candidates))
            if streamed is None or len(streamed) > SEEK_COST * len(candidates):
                # Each of a few thousand candidates is looked up by rowid, unless every match of the words came
                # in the stream: then only the candidates among them are.
                known = None if streamed is None else set(streamed)
                return search_small(queryset, candidates, phrases(q), sort, FTS_TABLE, BM25_WEIGHTS, known)
        table = queryset.model._meta.db_table
        # Only constants are formatted into the SQL; the user's text is always a bound parameter.
        matched: ArticleQuerySet = queryset.extra(  # type: ignore[assignment]  # noqa: S610
            tables=[FTS_TABLE],
            where=[f"{FTS_TABLE}.rowid = {table}.id", f"{FTS_TABLE} MATCH %s"],
            params=[expression],
            # rank is lower for better matches; negated so that higher means more relevant.
            select={RANK_FIELD: f"-{FTS_TABLE}.rank"},
        )
        # Past RANK_WINDOW matches, rank or sort only the newest (for "oldest", the oldest) by storage order: FTS5
        # streams rowids in either direction without scoring, and a rowid bound keeps the rest out before any
        # score or sort. SQLite has no statistics to choose a date-index plan for common words by itself.
        oldest_first = sort == base.OLDEST
        direction = "" if oldest_first else "-"
        ends = matched.order_by().extra(order_by=[f"{direction}{FTS_TABLE}.rowid"]).values_list("pk", flat=True)
        window = list(ends[: base.RANK_WINDOW])
        if not window:
            return queryset.none()  # no match passes the filters: the count and the page need not look again
        if len(window) == base.RANK_WINDOW:
            operator = "<=" if oldest_first else ">="
            matched = matched.extra(where=[f"{FTS_TABLE}.rowid {operator} %s"], params=[window[-1]])  # type: ignore[assignment]  # noqa: S610
        elif (
            within
            and len(window) <= FEW_MATCHES
            and _more_matches_than(queryset.db, expression, SEEK_COST * len(window))
        ):
            # Every match that passes the filters is known now, and they are few next to the words' matches: FTS5
            # would rank every match of the words before the filters leave these (a common word in a broad
            # category it seldom meets: ~900 ms for 66,000 matches at 1M). Rank these rows from their ids instead.
            return search_small(queryset, window, phrases(q), sort, FTS_TABLE, BM25_WEIGHTS)
        if sort == RELEVANCE:
            # ORDER BY the FTS5 column alone: any second key would make SQLite sort every match itself.
            return matched.order_by().extra(order_by=[f"{FTS_TABLE}.rank"])  # type: ignore[return-value]
        return ordered(matched, sort)
