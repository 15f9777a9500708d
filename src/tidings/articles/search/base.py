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


class SearchBackend(Protocol):
    """Filters a queryset to articles matching `q` and orders it by relevance, best first."""

    def search(self, queryset: ArticleQuerySet, q: str) -> ArticleQuerySet: ...


def query_terms(q: str) -> list[str]:
    """The words of a user's query, in order, with operators and punctuation dropped."""
    return _WORD.findall(q.replace("\x00", " "))[:MAX_TERMS]
