"""Counting a list no further than a cap: every list (the API's pages, the search and saved-search pages) says
"N" or "more than N" instead of counting every match (a common word's full count is most of a search's cost,
and nobody pages that far).

    found = capped_count(articles)      # Capped(total=1000, exact=False): more than 1,000
"""

from __future__ import annotations

from collections.abc import Sized
from typing import Any, NamedTuple

from django.db.models import QuerySet

COUNT_CAP = 1000


class Capped(NamedTuple):
    """How many rows, up to the cap; exact is False when there are more than that."""

    total: int
    exact: bool


def capped_count(queryset: QuerySet[Any], cap: int | None = None, known: Sized | None = None) -> Capped:
    """Reads at most cap + 1 rows (cap: COUNT_CAP when not given), unordered; none when `known`, the queryset's
    rows as read already (ArticleQuerySet.known_order: a ranked search's window), is given."""
    cap = COUNT_CAP if cap is None else cap
    found = len(known) if known is not None else queryset.order_by()[: cap + 1].count()
    return Capped(min(found, cap), found <= cap)
