"""List pagination: every list answers {"items": [...], "count": n, "next": url-or-null}.

Two ways to page:
- paginate(): limit/offset, for short lists (sources, topics) and lists ordered by relevance;
- keyset_paginate(): for the long newest-first lists (articles, stories). `next` carries a cursor (the last
  item's time and id, lib.cursors), so every page is one index range however deep; `offset` still works for
  clients that send it (it reads every skipped row, so it slows down deep in the list), and its `next` link is
  a cursor too. `count` is counted up to COUNT_CAP (lib.counting; "count_exact": false beyond), never over the
  whole list.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.db.models import QuerySet
from django.http import HttpRequest

from tidings.lib.counting import capped_count
from tidings.lib.cursors import Position, decode, encode, older_than
from tidings.lib.errors import InvalidInput

T = TypeVar("T")


def next_url(request: HttpRequest, limit: int, offset: int, count: int) -> str | None:
    if offset + limit >= count:
        return None
    params = request.GET.copy()
    params["limit"] = str(limit)
    params["offset"] = str(offset + limit)
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


def paginate(
    request: HttpRequest,
    queryset: QuerySet[Any],
    limit: int,
    offset: int,
    serialize: Callable[[Any], T] | None = None,
    count: int | None = None,
) -> dict[str, Any]:
    """One page; `count` when the caller counted already (a search counts only up to a cap)."""
    count = queryset.count() if count is None else count
    rows: Sequence[Any] = list(queryset[offset : offset + limit]) if offset < count else []
    items = [serialize(row) for row in rows] if serialize else list(rows)
    return {"items": items, "count": count, "next": next_url(request, limit, offset, count)}


def keyset_paginate(
    request: HttpRequest,
    queryset: QuerySet[Any],
    limit: int,
    offset: int,
    cursor: str | None,
    *,
    time_field: str = "published_at",
) -> dict[str, Any]:
    """A page of `queryset`, which is ordered newest first by (time_field, id): after the cursor's position,
    or after `offset` rows. InvalidInput for a cursor this API did not give, or for both at once."""
    if cursor is not None and offset:
        raise InvalidInput("give cursor or offset, not both: a cursor already says where the page starts")
    rows = queryset.filter(older_than(decode(cursor), time_field, "pk")) if cursor is not None else queryset
    window = list(rows[offset : offset + limit + 1])
    items = window[:limit]
    count, exact = capped_count(queryset)
    following = None
    if len(window) > limit:
        last = items[-1]
        params = request.GET.copy()
        params.pop("offset", None)
        params["limit"] = str(limit)
        params["cursor"] = encode(Position(getattr(last, time_field), last.pk))
        following = request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
    return {"items": items, "count": count, "count_exact": exact, "next": following}
