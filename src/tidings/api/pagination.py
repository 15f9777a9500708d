"""limit/offset pagination: every list answers {"items": [...], "count": n, "next": url-or-null}."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.db.models import QuerySet
from django.http import HttpRequest

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
