"""SQLite search: an FTS5 external-content table (migration 0002_fulltext) ranked with bm25."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import BooleanField, FloatField
from django.db.models.expressions import RawSQL

from tidings.articles.search.base import RANK_FIELD, query_terms

if TYPE_CHECKING:
    from tidings.articles.models import ArticleQuerySet

FTS_TABLE = "articles_article_fts"
# bm25 column weights: headline, standfirst, body_text.
BM25_WEIGHTS = (10.0, 4.0, 1.0)


def match_expression(q: str) -> str:
    """An FTS5 query that matches every word of `q`; each word is quoted, so user text is never syntax."""
    return " ".join(f'"{term}"' for term in query_terms(q))


class SQLiteSearch:
    def search(self, queryset: ArticleQuerySet, q: str) -> ArticleQuerySet:
        expression = match_expression(q)
        if not expression:
            return queryset.none()
        table = queryset.model._meta.db_table
        # Only constants are formatted into the SQL; the user's text is always a bound parameter.
        matches = RawSQL(  # noqa: S611
            f"{table}.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)",  # noqa: S608
            (expression,),
            output_field=BooleanField(),
        )
        weights = ", ".join(str(w) for w in BM25_WEIGHTS)
        # bm25() is lower for better matches; negate it so that higher means more relevant.
        rank = RawSQL(  # noqa: S611
            f"SELECT -bm25({FTS_TABLE}, {weights}) FROM {FTS_TABLE} "  # noqa: S608
            f"WHERE {FTS_TABLE} MATCH %s AND {FTS_TABLE}.rowid = {table}.id",
            (expression,),
            output_field=FloatField(),
        )
        ranked = queryset.filter(matches).annotate(**{RANK_FIELD: rank})
        return ranked.order_by(f"-{RANK_FIELD}", "-published_at", "-id")
