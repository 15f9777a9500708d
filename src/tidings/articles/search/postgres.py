"""PostgreSQL search: websearch_to_tsquery over a weighted tsvector, GIN-indexed by migration 0002_fulltext."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import BooleanField, FloatField
from django.db.models.expressions import RawSQL

from tidings.articles.search.base import RANK_FIELD

if TYPE_CHECKING:
    from tidings.articles.models import ArticleQuerySet

# Must stay the same expression as the GIN index in 0002_fulltext, or PostgreSQL will not use the index.
VECTOR_SQL = (
    "(setweight(to_tsvector('english'::regconfig, {t}.headline), 'A') || "
    "setweight(to_tsvector('english'::regconfig, {t}.standfirst), 'B') || "
    "setweight(to_tsvector('english'::regconfig, {t}.body_text), 'D'))"
)
TSQUERY_SQL = "websearch_to_tsquery('english'::regconfig, %s)"


class PostgresSearch:
    def search(self, queryset: ArticleQuerySet, q: str) -> ArticleQuerySet:
        # websearch_to_tsquery accepts any text without syntax errors; only NUL cannot be sent.
        text = q.replace("\x00", " ").strip()
        if not text:
            return queryset.none()
        vector = VECTOR_SQL.format(t=queryset.model._meta.db_table)
        # Only constants are formatted into the SQL; the user's text is always a bound parameter.
        matches = RawSQL(f"{vector} @@ {TSQUERY_SQL}", (text,), output_field=BooleanField())  # noqa: S611
        rank = RawSQL(f"ts_rank({vector}, {TSQUERY_SQL})", (text,), output_field=FloatField())  # noqa: S611
        ranked = queryset.filter(matches).annotate(**{RANK_FIELD: rank})
        return ranked.order_by(f"-{RANK_FIELD}", "-published_at", "-id")
