"""Full-text search over articles behind one function; the backend follows the database vendor."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db import connections

from tidings.articles.search.base import RANK_FIELD, RELEVANCE, SORTS, SearchBackend
from tidings.articles.search.postgres import PostgresSearch
from tidings.articles.search.sqlite import SQLiteSearch
from tidings.lib.errors import TidingsError

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from tidings.articles.models import ArticleQuerySet

__all__ = ["RANK_FIELD", "RELEVANCE", "SORTS", "SearchBackend", "SearchUnavailable", "backend_for", "search_articles"]

_BACKENDS: dict[str, SearchBackend] = {"sqlite": SQLiteSearch(), "postgresql": PostgresSearch()}


class SearchUnavailable(TidingsError):
    """No full-text backend exists for this database vendor."""


def backend_for(vendor: str) -> SearchBackend:
    try:
        return _BACKENDS[vendor]
    except KeyError:
        raise SearchUnavailable(f"full-text search is not available on {vendor}") from None


def search_articles(
    queryset: ArticleQuerySet, q: str, sort: str = RELEVANCE, within: Sequence[QuerySet[Any, int]] = ()
) -> ArticleQuerySet:
    """Articles of `queryset` matching `q`, most relevant first (or newest/oldest, see base.SORTS); an empty `q`
    returns the queryset unchanged. `within`: id queries of selective filters (base.SearchBackend says more)."""
    if not q or not q.strip():
        return queryset
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r}")
    vendor = connections[queryset.db].vendor
    return backend_for(vendor).search(queryset, q, sort, within)
