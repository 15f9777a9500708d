"""The search backend contract and the query-text helpers both backends share (pure)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from django.db.models import Max, Min, QuerySet

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
# newest_matches's first id range (the newest this many ids) when nothing estimates the matches, and the most
# one try widens its range by.
FIRST_SPAN = 5 * RANK_WINDOW
SPAN_GROWTH = 16

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


def first_span(ids: int, expected: float | None, window: int) -> int:
    """The first id range newest_matches reads, of a table spanning `ids` ids: the range an estimate of the
    table's matches (`expected`) says holds `window` of them, with a quarter more for the estimate's error (at
    most the whole table); FIRST_SPAN without an estimate."""
    if expected is None:
        return FIRST_SPAN
    if expected <= window:
        return ids
    return min(ids, math.ceil(ids * window * 1.25 / expected))


def next_span(span: int, found: int, window: int) -> int:
    """The id range newest_matches reads after `span` ids held `found` (< window) matches: what the match rate seen says
    `window` matches need, with a quarter more for the rate's variation, at least twice and at most SPAN_GROWTH
    times `span` (a range with no match says nothing of the rate: the most)."""
    if found <= 0:
        return span * SPAN_GROWTH
    wanted = -(-span * window * 5 // (found * 4))  # ceil(span * window / found * 1.25)
    return min(span * SPAN_GROWTH, max(span * 2, wanted))


def newest_ids(newest: QuerySet[Any, Any], window: int) -> list[int]:
    """The ids of the first `window` rows of `newest` (matches, newest first), in that order."""
    return list(newest.values_list("pk", flat=True)[:window])


def newest_matches(
    matches: QuerySet[Any, Any],
    window: int,
    expected: float | None = None,
    *,
    span: int | None = None,
    read: Callable[[QuerySet[Any, Any], int], list[int]] = newest_ids,
) -> list[int]:
    """The ids of the newest `window` of `matches` (all of them when fewer), newest first, found from the newest ids
    down: in the newest ids' range first (first_span, from `expected`, an estimate of how many rows of the table
    match; or `span` ids when given), that range widened (next_span) until it holds `window` matches or reaches the
    table's oldest id. Each try reads only its range, so a common word costs about its window, not every match it
    has, and an old or rare one a few tries.

    `read(newest, window)` reads a try: the ids of the first `window` of `newest` (the range's matches, newest
    first), in the order it returns them (newest_ids: newest first; a search may order them by rank in the same
    pass, so that its window's rows are read once)."""
    table = matches.model._base_manager.using(matches.db).aggregate(low=Min("pk"), high=Max("pk"))
    if table["high"] is None:
        return []
    if span is None:
        span = first_span(table["high"] - table["low"] + 1, expected, window)
    while True:
        start = table["high"] - span + 1
        found = read(matches.filter(pk__gte=start).order_by("-pk"), window)
        if len(found) >= window or start <= table["low"]:
            return found
        span = next_span(span, len(found), window)


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
