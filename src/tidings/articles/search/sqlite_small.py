"""SQLite search within a small filtered set: the filter's articles first, then which of them match, ranked here.

For a common word with a selective filter (a category of a few hundred articles), the index-driven query checks the
filter on every match until a page is full, and its rank window's floor checks it on every match too (843 ms for
"said" in a 150-article category at 100k). Driving from the filter side through FTS5's rank instead re-reads the
word's whole doclist per row (bm25's IDF, see bm25.py). Here:
1. the candidates (at most base.SMALL_SET ids from the filter's own table) that pass every filter of the queryset;
2. which of them match, by MATCH with `rowid IN (...)` (a seek per row, no doclist pass; only the candidates among
   the words' matches when those were all streamed first, sqlite.STREAM_COST), with each phrase's instances per
   column counted from highlight() markers;
3. each row's token count from `_docsize`, the table's totals from the averages record; with several words, each
   word's row count (its IDF), counted or estimated from its newest matches (_rows_with);
4. bm25.bm25 per row; the queryset comes back limited to the matches and ordered by that score (a CASE tree).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tidings.articles.search import base
from tidings.articles.search.bm25 import TableTotals, bm25, idf, scaled_idfs, score_case_sql, varints

if TYPE_CHECKING:
    from django.db.backends.utils import CursorWrapper

    from tidings.articles.models import ArticleQuerySet

MARK = "\x01"  # highlight()'s opening mark; text holding this byte itself would count one instance more per byte
# A phrase's row count (for its IDF) is counted up to this many rows, estimated past it (_rows_with).
DF_SAMPLE = 20_000
# SQLite's default limit on bound parameters is 32,766 since 3.32; a chunk stays well under it.
CHUNK = 900


def _chunks(ids: list[int]) -> list[list[int]]:
    return [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]


def _instances(
    cursor: CursorWrapper, table: str, columns: int, expression: str, ids: list[int]
) -> dict[int, list[int]]:
    """rowid -> instances of `expression`'s phrases per column, for the rows of `ids` it matches."""
    marks = ", ".join(f"highlight({table}, {i}, char(1), '')" for i in range(columns))
    found: dict[int, list[int]] = {}
    for chunk in _chunks(ids):
        holders = ", ".join("%s" for _ in chunk)
        # Only constants are formatted into the SQL; the user's text is always a bound parameter.
        cursor.execute(
            f"SELECT rowid, {marks} FROM {table} WHERE {table} MATCH %s AND rowid IN ({holders})",  # noqa: S608
            [expression, *chunk],
        )
        for rowid, *texts in cursor.fetchall():
            found[rowid] = [(text or "").count(MARK) for text in texts]
    return found


def _sizes(cursor: CursorWrapper, table: str, ids: list[int]) -> dict[int, int]:
    sizes: dict[int, int] = {}
    for chunk in _chunks(ids):
        holders = ", ".join("%s" for _ in chunk)
        cursor.execute(f"SELECT id, sz FROM {table}_docsize WHERE id IN ({holders})", chunk)  # noqa: S608
        sizes.update((pk, sum(varints(bytes(blob or b"")))) for pk, blob in cursor.fetchall())
    return sizes


def _rows_with(cursor: CursorWrapper, table: str, phrase: str, newest_id: int) -> float:
    """How many rows hold `phrase`: counted up to DF_SAMPLE; past that, estimated from how far back (in ids) its
    newest DF_SAMPLE matches reach. Streamed rowids only: no doclist pass for a common word."""
    cursor.execute(
        f"SELECT count(*), min(rowid) FROM (SELECT rowid FROM {table} WHERE {table} MATCH %s "  # noqa: S608
        "ORDER BY rowid DESC LIMIT %s)",
        [phrase, DF_SAMPLE],
    )
    found, oldest = cursor.fetchone()
    if found < DF_SAMPLE or not oldest or newest_id < oldest:
        return float(found)
    return found * newest_id / (newest_id - oldest + 1)


def search_small(
    queryset: ArticleQuerySet,
    candidates: list[int],
    phrases: list[str],
    sort: str,
    table: str,
    weights: tuple[float, ...],
    matching: set[int] | None = None,
) -> ArticleQuerySet:
    """`queryset` searched within `candidates` (a superset of its rows that may match): `phrases` are FTS5 phrases
    (quoted words), all of which must match. `matching`, when known, holds every rowid they match: only the
    candidates among them are looked up."""
    from django.db import connections

    passing = list(queryset.filter(pk__in=candidates).order_by().values_list("pk", flat=True))
    expression = " ".join(phrases)
    looked_up = passing if matching is None else [pk for pk in passing if pk in matching]
    if not looked_up:
        return queryset.none()
    with connections[queryset.db].cursor() as cursor:
        matched = _instances(cursor, table, len(weights), expression, looked_up)
        ids = list(matched)
        if not ids:
            return queryset.none()
        if sort != base.RELEVANCE:
            return base.ordered(queryset.filter(pk__in=ids), sort)
        sizes = _sizes(cursor, table, ids)
        cursor.execute(f"SELECT block FROM {table}_data WHERE id = 1")  # noqa: S608
        row = cursor.fetchone()
        totals = TableTotals.from_averages(bytes(row[0]) if row and row[0] else None)
        if len(phrases) == 1:
            # One phrase: the instances just counted are its own, and its IDF is one factor for every row; the
            # share of the filter's rows it is in, scaled to the table, gives a score of FTS5's size.
            per_phrase = [matched]
            idfs = scaled_idfs([len(ids)], len(passing), totals)
        else:
            per_phrase = [_instances(cursor, table, len(weights), p, ids) for p in phrases]
            newest = queryset.model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            idfs = [idf(totals.rows, _rows_with(cursor, table, p, newest)) for p in phrases]
    columns = len(weights)
    scores = {
        pk: bm25(
            [found.get(pk, [0] * columns) for found in per_phrase], sizes.get(pk, 0), idfs, weights, totals.average_size
        )
        for pk in ids
    }
    rank = score_case_sql(f"{queryset.model._meta.db_table}.id", scores)
    limited: ArticleQuerySet = queryset.filter(pk__in=ids).extra(select={base.RANK_FIELD: rank})  # type: ignore[assignment]  # noqa: S610
    return limited.order_by(f"-{base.RANK_FIELD}", "-published_at", "-id")
