"""What the search page shows besides the results: filter choices, active-filter chips, sort links (pure-ish)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from tidings.searches.filters import ResolvedSearch
from tidings.searches.request import SORTS, SearchRequest

SORT_LABELS = {"relevance": "Most relevant", "newest": "Newest", "oldest": "Oldest"}


@dataclass(frozen=True, slots=True)
class FilterChip:
    label: str  # "Source: BBC News"
    remove_url: str  # the same search without this filter


@dataclass(frozen=True, slots=True)
class SortLink:
    label: str
    url: str
    current: bool


def search_url(request: SearchRequest, **extra: str) -> str:
    params = {**request.params(), **extra}
    return "?" + urlencode(params) if params else "?"


def filter_chips(resolved: ResolvedSearch) -> list[FilterChip]:
    """One chip per active filter, named as a person reads it, each with the link that removes it."""
    request = resolved.request
    named = {
        "source": ("Source", resolved.source.name if resolved.source else request.source),
        "category": ("Category", resolved.category.name if resolved.category else request.category),
        "topic": ("Topic", resolved.topic.name if resolved.topic else request.topic),
        "speaker": ("Quoting", resolved.speaker.name if resolved.speaker else request.speaker),
        "from": ("From", request.date_from.isoformat() if request.date_from else ""),
        "to": ("To", request.date_to.isoformat() if request.date_to else ""),
    }
    return [
        FilterChip(f"{label}: {value}", search_url(request.without(name)))
        for name, (label, value) in named.items()
        if value
    ]


def sort_links(request: SearchRequest) -> list[SortLink]:
    """Relevance only means something with words; without them the choice is newest or oldest."""
    sorts = SORTS if request.q else tuple(s for s in SORTS if s != "relevance")
    current = request.effective_sort
    return [SortLink(SORT_LABELS[s], search_url(request, sort=s), s == current) for s in sorts]


def page_query(request: SearchRequest) -> str:
    """The URL parameters of this search, for page links to add `&page=N` to."""
    return urlencode(request.params())


def category_options(rows: list[tuple[int, int | None, str, str]]) -> list[tuple[str, str]]:
    """(slug, label) for a select: each top-level category by name, its sub-categories indented under it.

    `rows` are (id, parent id, slug, name)."""
    children: dict[int, list[tuple[str, str]]] = {}
    tops: list[tuple[str, str, int]] = []
    for pk, parent_id, slug, name in rows:
        if parent_id is None:
            tops.append((name, slug, pk))
        else:
            children.setdefault(parent_id, []).append((name, slug))
    options: list[tuple[str, str]] = []
    for name, slug, pk in sorted(tops):
        options.append((slug, name))
        options += [(child_slug, f"— {child}") for child, child_slug in sorted(children.get(pk, []))]
    return options
