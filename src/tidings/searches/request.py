"""What a search asks for, read from URL parameters (pure): words, filters, sort; and back to parameters."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import date

from tidings.articles.search.base import NEWEST, RELEVANCE, SORTS

__all__ = ["FILTER_NAMES", "NEWEST", "RELEVANCE", "SORTS", "SearchRequest", "parse_search"]

MAX_QUERY = 200
MAX_KEY = 300
FILTER_NAMES = ("source", "category", "topic", "speaker", "from", "to")


@dataclass(frozen=True, slots=True)
class SearchRequest:
    """A search as its URL says it. Keys name a source, category or topic by slug, id or exact name."""

    q: str = ""
    source: str = ""
    category: str = ""
    topic: str = ""
    speaker: str = ""  # a person or organisation topic quoted in the article's claims
    date_from: date | None = None
    date_to: date | None = None  # inclusive
    sort: str = ""  # "" is the default: relevance with words, newest without

    @property
    def effective_sort(self) -> str:
        if self.sort in SORTS and (self.q or self.sort != RELEVANCE):
            return self.sort
        return RELEVANCE if self.q else NEWEST  # relevance means nothing without words

    @property
    def has_filters(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self) if f.name not in ("q", "sort"))

    @property
    def is_empty(self) -> bool:
        return not self.q and not self.has_filters

    def params(self) -> dict[str, str]:
        """URL parameters, without the empty ones (the inverse of parse_search)."""
        values = {
            "q": self.q,
            "source": self.source,
            "category": self.category,
            "topic": self.topic,
            "speaker": self.speaker,
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
            "sort": self.sort if self.sort in SORTS else "",
        }
        return {k: v for k, v in values.items() if v}

    def without(self, name: str) -> SearchRequest:
        """The same search with one URL parameter (a FILTER_NAMES name, "q" or "sort") cleared."""
        if name == "from":
            return replace(self, date_from=None)
        if name == "to":
            return replace(self, date_to=None)
        return replace(self, **{name: ""})  # type: ignore[arg-type]


def parse_search(params: Mapping[str, str]) -> tuple[SearchRequest, list[str]]:
    """The request and, for a person, what was wrong with it (bad dates, an unknown sort); never raises."""
    problems: list[str] = []

    def text(name: str, limit: int) -> str:
        value = str(params.get(name) or "").replace("\x00", " ").strip()
        if len(value) > limit:
            problems.append(f"{name} is longer than {limit} characters; it was cut")
            value = value[:limit]
        return value

    def day(name: str, label: str) -> date | None:
        raw = text(name, 32)
        if not raw:
            return None
        try:
            return date.fromisoformat(raw)
        except ValueError:
            problems.append(f"the {label} date {raw!r} is not a date like 2026-11-25")
            return None

    sort = text("sort", 16)
    if sort and sort not in SORTS:
        problems.append(f"sort {sort!r} is not one of {', '.join(SORTS)}")
        sort = ""
    date_from, date_to = day("from", "from"), day("to", "to")
    if date_from and date_to and date_from > date_to:
        problems.append("the from date is after the to date")
    request = SearchRequest(
        q=text("q", MAX_QUERY),
        source=text("source", MAX_KEY),
        category=text("category", MAX_KEY),
        topic=text("topic", MAX_KEY),
        speaker=text("speaker", MAX_KEY),
        date_from=date_from,
        date_to=date_to,
        sort=sort,
    )
    return request, problems
