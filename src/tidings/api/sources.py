"""GET /api/sources (with health) and POST /api/sources (signed-in users add a feed or page)."""

from __future__ import annotations

import logging
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from tidings.api.auth import user_auth
from tidings.api.pagination import paginate
from tidings.api.schemas import Error, PageParams, SourceIn, SourceOut, SourcePage
from tidings.sources.models import Source

log = logging.getLogger(__name__)

router = Router(tags=["sources"])

SOURCE_FIELDS = (
    "id",
    "name",
    "slug",
    "url",
    "site_url",
    "kind",
    "language",
    "is_active",
    "last_fetched_at",
    "last_success_at",
    "next_fetch_at",
    "last_status",
    "last_error",
    "error_count",
    "fetch_count",
    "paused_reason",
)


def source_out(source: Source) -> dict[str, Any]:
    values = {name: getattr(source, name) for name in SOURCE_FIELDS}
    values["health"] = source.health
    return values


@router.get("/sources", response={200: SourcePage, 422: Error}, summary="List sources with their health")
def list_sources(request: HttpRequest, page: Query[PageParams]) -> dict[str, Any]:
    return paginate(request, Source.objects.order_by("name", "pk"), page.limit, page.offset, source_out)


@router.post(
    "/sources",
    auth=user_auth,
    response={201: SourceOut, 400: Error, 401: Error, 403: Error, 422: Error},
    summary="Add a feed or page",
)
def create_source(request: HttpRequest, payload: SourceIn) -> Status[dict[str, Any]]:
    # Imported here: the sources service pulls in fetching code the read-only routes do not need.
    from tidings.sources.services import add_source

    source = add_source(payload.url, payload.name or "")
    log.info("api.source_added source_id=%s user_id=%s", source.pk, request.user.pk)
    return Status(201, source_out(source))
