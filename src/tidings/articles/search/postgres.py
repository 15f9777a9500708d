"""PostgreSQL search: websearch_to_tsquery over a stored, GIN-indexed tsvector column (migration 0006).

`search_vector` is a generated column (weighted headline A, standfirst B, body D) that Django's model does not
list; ranking reads it instead of re-parsing every matching article's text, and ORDER BY ts_rank ... LIMIT keeps
only a page's rows in the top-N sort.

With a selective filter (`within` naming at most base.SMALL_SET articles) the query is limited to the filter's
articles by primary key, so the plan starts there and ts_rank reads only their vectors (no rank window needed).

Otherwise relevance ranks the newest base.RANK_WINDOW matches, found first (base.newest_matches: recent id ranges,
the first sized by the planner's estimate of the matches) and then named by id, or by their id range when most of
it matches: the count and the page read the window's rows alone. Fewer matches than the window are all ranked,
with no bound; none at all (a filter and a word never together) is answered at once. Finding the window by
ordering every match by id read every article down to its oldest one (a word in 2% of 1M articles: 260,000 rows),
and the count and the page then read them again.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

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
# The window's rows are read as an id range when at least 1 in DENSE of the range's rows are its matches, by id
# otherwise.
DENSE = 2


def estimated_rows(queryset: QuerySet[Any, Any]) -> float | None:
    """How many rows the planner expects `queryset` to give (its statistics of the lexemes, no rows read); None
    when the plan does not say."""
    try:
        plan = json.loads(queryset.order_by().values("pk").explain(format="json"))
        return float(plan[0]["Plan"]["Plan Rows"])
    except (ValueError, LookupError, TypeError):
        return None


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
            # then named by id: the count and the page read those rows alone, not every article down to the
            # oldest of them (which costs as many rows again as the window's range, each match tested again).
            ids = newest_matches(matched, base.RANK_WINDOW, estimated_rows(matched))
            if not ids:
                return queryset.none()
            if len(ids) < base.RANK_WINDOW:
                pass  # every match is ranked: no bound (naming a few hundred ids cost more than the index's way)
            elif ids[0] - ids[-1] < DENSE * len(ids):
                # Most rows of the range match (a word in nearly every article): its rows in id order cost less
                # than looking each id up.
                ranked = ranked.filter(pk__gte=ids[-1])
            else:
                among = RawSQL(f"{table}.id = ANY(%s)", (ids,), output_field=BooleanField())  # noqa: S611
                ranked = ranked.filter(among)
        if sort == RELEVANCE:
            return ranked.order_by(f"-{RANK_FIELD}", "-published_at", "-id")
        return ordered(ranked, sort)
