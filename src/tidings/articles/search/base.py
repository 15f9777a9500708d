"""The search backend contract and the query-text helpers both backends share (pure)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from tidings.articles.models import ArticleQuerySet

# The rank annotation every backend adds: higher is more relevant.
RANK_FIELD = "search_rank"
# More words than this add little to a news search and only slow the match down.
MAX_TERMS = 32
_WORD = re.compile(r"\w+", re.UNICODE)

RELEVANCE, NEWEST, OLDEST = "relevance", "newest", "oldest"
SORTS = (RELEVANCE, NEWEST, OLDEST)


class SearchBackend(Protocol):
    """Filters a queryset to articles matching `q`, ordered by `sort` (one of SORTS).

    For RELEVANCE the order must come from the index itself (FTS5's rank, a ts_rank over the stored tsvector), so
    that a page is a LIMIT on the index's ordered matches, not a sort of every article.
    """

    def search(self, queryset: ArticleQuerySet, q: str, sort: str = RELEVANCE) -> ArticleQuerySet: ...


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
