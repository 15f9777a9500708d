"""The search backend contract and the query-text helpers both backends share (pure)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

from django.db.models import QuerySet

if TYPE_CHECKING:
    from tidings.articles.models import ArticleQuerySet

# The rank annotation every backend adds: higher is more relevant.
RANK_FIELD = "search_rank"
# More words than this add little to a news search and only slow the match down.
MAX_TERMS = 32
_WORD = re.compile(r"\w+", re.UNICODE)

# Relevance ranks at most this many matches: the most recently stored ones (ids rise as articles arrive). Ranking
# scores each ranked row, so a word found in every article would otherwise cost as much as the whole corpus.
RANK_WINDOW = 5000

# A filter whose own table names at most this many articles (a category, a topic, a speaker, a source) is
# searched from its side: its articles first, then which of them match (see SearchBackend).
SMALL_SET = 2000

RELEVANCE, NEWEST, OLDEST = "relevance", "newest", "oldest"
SORTS = (RELEVANCE, NEWEST, OLDEST)


class SearchBackend(Protocol):
    """Filters a queryset to articles matching `q`, ordered by `sort` (one of SORTS).

    For RELEVANCE the order must come from the index itself (FTS5's rank, a ts_rank over the stored tsvector), so
    that a page is a LIMIT on the index's ordered matches, not a sort of every article.

    `within`, when given, are id queries (each a filter's own table: a category's listing, a topic's links) whose
    rows include every article of `queryset`; the first naming at most SMALL_SET articles is where the search starts.
    """

    def search(
        self, queryset: ArticleQuerySet, q: str, sort: str = RELEVANCE, within: Sequence[QuerySet[Any, int]] = ()
    ) -> ArticleQuerySet: ...


def small_set(within: Sequence[QuerySet[Any, int]]) -> list[int] | None:
    """The ids of the first of `within` that names at most SMALL_SET articles (each read no further than that), or
    None when none does."""
    for ids in within:
        found = list(ids.order_by()[: SMALL_SET + 1])
        if len(found) <= SMALL_SET:
            return sorted(set(found))
    return None


def window_floor(newest_ids: QuerySet[Any, int], window: int) -> int | None:
    """The id of the `window`-th newest match (ids in descending order), or None when there are fewer."""
    found = list(newest_ids[window - 1 : window])
    return found[0] if found else None


def query_terms(q: str) -> list[str]:
    """The words of a user's query, in order, with operators and punctuation dropped."""
    return _WORD.findall(q.replace("\x00", " "))[:MAX_TERMS]


def ordered(queryset: ArticleQuerySet, sort: str) -> ArticleQuerySet:
    """NEWEST or OLDEST order by publication (id breaks ties); ValueError for another sort."""
    if sort == NEWEST:
        return queryset.order_by("-published_at", "-id")
    if sort == OLDEST:
        return queryset.order_by("published_at", "id")
    raise ValueError(f"unknown sort {sort!r}")
