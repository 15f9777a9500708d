"""Article counts for the Browse tree and the Sources list, counted up to COUNT_CAP: a page never counts
every article of a large category or source (each count is one index range that stops at the cap), and a
capped count shows as "1,000+".

- per source: visible articles, from the article_source_newest index alone (it holds only visible rows);
- per category: first the listing rows (taxonomy.ArticleListing's newest-first index, no table reads); a
  category under the cap is then counted exactly, leaving out near-duplicates as its page does (its rows less
  those of duplicate articles, read from the duplicates). The cap's rows of a category at the cap may include
  a few duplicates, which a "1,000+" does not show.
"""

from __future__ import annotations

from django.db import connections, router

from tidings.articles.models import Article
from tidings.sources.models import Source
from tidings.taxonomy.models import ArticleListing, Category, ListingKind

COUNT_CAP = 1000


def _table(model: type) -> str:
    return str(model._meta.db_table)  # type: ignore[attr-defined]


def _rows(model: type, sql: str, params: list[str | int]) -> dict[int, int]:
    with connections[router.db_for_read(model)].cursor() as cursor:
        cursor.execute(sql, params)
        return {int(pk): int(n) for pk, n in cursor.fetchall()}


def source_counts(cap: int | None = None) -> dict[int, int]:
    """Visible articles per source, up to the cap (one query, one index range per source)."""
    cap = COUNT_CAP if cap is None else cap
    sql = (
        f"SELECT s.id, (SELECT COUNT(*) FROM (SELECT 1 FROM {_table(Article)} a "  # noqa: S608 (model tables)
        f"WHERE a.source_id = s.id AND a.duplicate_of_id IS NULL LIMIT %s) capped) FROM {_table(Source)} s"
    )
    return _rows(Source, sql, [cap])


def category_counts(cap: int | None = None) -> dict[int, int]:
    """Visible articles listed in each category (sub-categories included, taxonomy.membership's rule, through
    the precomputed listing), up to the cap; at most two queries."""
    cap = COUNT_CAP if cap is None else cap
    listing, article, category = _table(ArticleListing), _table(Article), _table(Category)
    rows = (
        f"SELECT c.id, (SELECT COUNT(*) FROM (SELECT 1 FROM {listing} l "  # noqa: S608 (model tables)
        f"WHERE l.kind = %s AND l.target_id = c.id LIMIT %s) capped) FROM {category} c"
    )
    counts = _rows(Category, rows, [ListingKind.CATEGORY.value, cap])
    small = [pk for pk, n in counts.items() if 0 < n < cap]
    if small:
        # A count under the cap is every listing row of the category: the visible ones are those less the rows
        # of near-duplicates. Those are read from the duplicates (article_duplicate_of_set, about 1% of the
        # articles) to their listing rows, not from every listed row to its article: that join read tens of
        # thousands of rows for the small categories together. CROSS JOIN keeps SQLite (no statistics) in that
        # order; PostgreSQL plans it as the inner join it is.
        duplicates = (
            f"SELECT l.target_id, COUNT(*) FROM {article} a CROSS JOIN {listing} l "  # noqa: S608 (model tables)
            f"WHERE l.article_id = a.id AND a.duplicate_of_id IS NOT NULL AND l.kind = %s GROUP BY l.target_id"
        )
        hidden = _rows(Category, duplicates, [ListingKind.CATEGORY.value])
        counts.update({pk: counts[pk] - hidden.get(pk, 0) for pk in small})
    return counts
