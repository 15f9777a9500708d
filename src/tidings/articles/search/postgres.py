"""PostgreSQL search: websearch_to_tsquery over a stored, GIN-indexed tsvector column (migration 0006).

`search_vector` is a generated column (weighted headline A, standfirst B, body D) that Django's model does not
list; ranking reads it instead of re-parsing every matching article's text, and ORDER BY ts_rank ... LIMIT keeps
only a page's rows in the top-N sort.

With a selective filter (`within` naming at most base.SMALL_SET articles) the query is limited to the filter's
articles by primary key, so the plan starts there and ts_rank reads only their vectors (no rank window needed).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db.models import BooleanField, FloatField
from django.db.models.expressions import RawSQL

from tidings.articles.search import base
from tidings.articles.search.base import RANK_FIELD, RELEVANCE, ordered, recent_window_floor, small_set

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


class PostgresSearch:
    def search(
        self, queryset: ArticleQuerySet, q: str, sort: str = RELEVANCE, within: Sequence[QuerySet[Any, int]] = ()
    ) -> ArticleQuerySet:
        # websearch_to_tsquery accepts any text without syntax errors; only NUL cannot be sent.
        text = q.replace("\x00", " ").strip()
        if not text:
            return queryset.none()
        vector = f"{queryset.model._meta.db_table}.{VECTOR_COLUMN}"
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
            # Past RANK_WINDOW matches, rank only the newest (base.RANK_WINDOW): ts_rank reads each ranked vector.
            # The floor is looked for in recent id ranges first: ordering every match by id read each one's row.
            floor = recent_window_floor(matched, base.RANK_WINDOW)
            if floor is not None:
                ranked = ranked.filter(pk__gte=floor)
        if sort == RELEVANCE:
            return ranked.order_by(f"-{RANK_FIELD}", "-published_at", "-id")
        return ordered(ranked, sort)
