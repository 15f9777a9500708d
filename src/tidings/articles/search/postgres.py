"""PostgreSQL search: websearch_to_tsquery over a stored, GIN-indexed tsvector column (migration 0006).

`search_vector` is a generated column (weighted headline A, standfirst B, body D) that Django's model does not
list; ranking reads it instead of re-parsing every matching article's text, and ORDER BY ts_rank ... LIMIT keeps
only a page's rows in the top-N sort.

With a selective filter (`within` naming at most base.SMALL_SET articles) the query is limited to the filter's
articles by primary key, so the plan starts there and ts_rank reads only their vectors (no rank window needed).

Otherwise relevance ranks the newest base.RANK_WINDOW matches, found first (base.newest_matches: recent id ranges,
the first sized by the planner's estimate of the matches) and ranked in the same pass (ranked_ids: the query that
reads the window's rows also orders them by ts_rank and gives their ids in that order). The queryset returned is
bounded to the window by its oldest id and knows that order (ArticleQuerySet.known_order): a page reads its own
rows by id and the count is the window's length, so each window row is read once, not three times (finding,
counting, ranking; at 1M articles "minister" took 21 + 9 + 29 ms for those). Fewer matches than the window are
all ranked, with no bound; none at all (a filter and a word never together) is answered at once. Finding the
window by ordering every match by id read every article down to its oldest one (a word in 2% of 1M articles:
260,000 rows).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db import connections
from django.db.models import BooleanField, FloatField
from django.db.models.expressions import RawSQL

from tidings.articles.search import base
from tidings.articles.search.base import RANK_FIELD, RELEVANCE, newest_matches, ordered, small_set

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from tidings.articles.models import ArticleQuerySet

VECTOR_COLUMN = "search_vector"
# The generated column's expression (migration 0006 creates the column from it).
VECTOR_SQL = (
    "(setweight(to_tsvector('english'::regconfig, coalesce(headline, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(standfirst, '')), 'B') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(body_text, '')), 'D'))"
)
TSQUERY_SQL = "websearch_to_tsquery('english'::regconfig, %s)"


def estimated_rows(queryset: QuerySet[Any, Any]) -> float | None:
    """How many rows the planner expects `queryset` to give (its statistics of the lexemes, no rows read); None
    when the plan does not say."""
    try:
        plan = json.loads(queryset.order_by().values("pk").explain(format="json"))
        return float(plan[0]["Plan"]["Plan Rows"])
    except (ValueError, LookupError, TypeError):
        return None


def ranked_ids(newest: QuerySet[Any, Any], window: int) -> list[int]:
    """base.newest_matches's reader for relevance: the ids of the first `window` rows of `newest` (matches newest
    first, annotated with RANK_FIELD) ordered as the search orders them (rank, then newest), in one query: each
    row's vector is read once, by the scan that finds it."""
    rows = newest.values_list("pk", "published_at", RANK_FIELD)[:window]
    sql, params = rows.query.get_compiler(rows.db).as_sql()
    with connections[rows.db].cursor() as cursor:
        # Only this constant SQL wraps the compiled query; its parameters stay bound.
        cursor.execute(
            f"SELECT w.id FROM ({sql}) AS w (id, published_at, rank) "  # noqa: S608
            "ORDER BY w.rank DESC, w.published_at DESC, w.id DESC",
            params,
        )
        return [row[0] for row in cursor.fetchall()]


class PostgresSearch:
    def search(
        self, queryset: ArticleQuerySet, q: str, sort: str = RELEVANCE, within: Sequence[QuerySet[Any, int]] = ()
    ) -> ArticleQuerySet:
        # websearch_to_tsquery accepts any text without syntax errors; only NUL cannot be sent.
        text = q.replace("\x00", " ").strip()
        if not text:
            return queryset.none()
        table = queryset.model._meta.db_table
        vector = f"{table}.{VECTOR_COLUMN}"
        # Only constants are formatted into the SQL; the user's text is always a bound parameter.
        matches = RawSQL(f"{vector} @@ {TSQUERY_SQL}", (text,), output_field=BooleanField())  # noqa: S611
        rank = RawSQL(f"ts_rank({vector}, {TSQUERY_SQL})", (text,), output_field=FloatField())  # noqa: S611
        candidates = small_set(within)
        if candidates == []:
            return queryset.none()
        if candidates is not None:
            queryset = queryset.filter(pk__in=candidates)
        matched = queryset.filter(matches)
        ranked = matched.annotate(**{RANK_FIELD: rank})
        if sort == RELEVANCE and candidates is None:
            # Rank only the newest RANK_WINDOW matches (base.RANK_WINDOW): ts_rank reads each ranked vector. They
            # are looked for in recent id ranges, the first sized by the planner's estimate of the matches, and
            # ranked by the query that finds them (ranked_ids), so a page and the count read nothing more of them.
            order = newest_matches(ranked, base.RANK_WINDOW, estimated_rows(matched), read=ranked_ids)
            if not order:
                return queryset.none()
            if len(order) >= base.RANK_WINDOW:
                # The window is every match from its oldest id up: read another way than by a slice (all of
                # it, say), it is bounded by that id.
                ranked = ranked.filter(pk__gte=min(order))
            return ranked.order_by(f"-{RANK_FIELD}", "-published_at", "-id").with_known_order(order)
        if sort == RELEVANCE:
            return ranked.order_by(f"-{RANK_FIELD}", "-published_at", "-id")
        return ordered(ranked, sort)
