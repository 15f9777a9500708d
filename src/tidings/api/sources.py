"""Sources: list with health, add and change settings, health, OPML import and export.

Who may do what is sources.permissions: a reader adds sources up to a quota and changes those they added;
staff and editors change every source; only they and the source's adder see its feed address.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import Query, Router, Status
from ninja.errors import AuthenticationError, HttpError

from tidings.accounts.tokens import user_for_token
from tidings.api.auth import user_auth
from tidings.api.errors import NotFound, PayloadTooLarge, body_limit_message
from tidings.api.pagination import paginate
from tidings.api.params import id_or_slug
from tidings.api.schemas import (
    Error,
    ImportReportOut,
    PageParams,
    SourceHealthOut,
    SourceIn,
    SourceOut,
    SourcePage,
    SourceSettingsIn,
    Text,
)
from tidings.lib.errors import InvalidInput
from tidings.lib.urls import safe_http_url
from tidings.sources.access import NotAllowed, check_can_add, check_can_change, reader_for, view_of
from tidings.sources.fetch_state import PUBLIC_FETCH_STATE_FIELDS
from tidings.sources.health import source_health
from tidings.sources.models import Source
from tidings.sources.opml import MAX_OPML_BYTES
from tidings.sources.permissions import Reader

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
    "folder",
    "full_text",
    *PUBLIC_FETCH_STATE_FIELDS,
)


def source_out(source: Source, reader: Reader) -> dict[str, Any]:
    """A source as this reader may see it: `url` null and addresses taken out of errors unless they may.

    Its links pass the storage rule again on the way out: "" for one that is not absolute http(s).
    """
    view = view_of(source, reader)
    values = {name: getattr(source, name) for name in SOURCE_FIELDS}
    values.update(
        url=None if view.url is None else safe_http_url(view.url),
        site_url=safe_http_url(view.site_url),
        last_error=view.last_error,
        paused_reason=view.paused_reason,
        health=source.health,
        can_change=view.can_change,
    )
    return values


def ensure(check: Callable[..., object], *args: Any) -> None:
    """Run a sources.access check; what it refuses becomes a JSON 403 with its message."""
    try:
        check(*args)
    except NotAllowed as err:
        raise HttpError(403, err.message) from None


def request_reader(request: HttpRequest) -> Reader:
    """Who asks on a route open to everyone: a bearer token's user (401 when the token is bad), else the session."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        user = user_for_token(header[len("bearer ") :].strip())
        if user is None:
            raise AuthenticationError()
        return reader_for(user)
    return reader_for(request.user)


@router.get("/sources", response={200: SourcePage, 401: Error, 422: Error}, summary="List sources with their health")
def list_sources(request: HttpRequest, page: Query[PageParams]) -> dict[str, Any]:
    reader = request_reader(request)
    sources = Source.objects.order_by("name", "pk")
    return paginate(request, sources, page.limit, page.offset, lambda source: source_out(source, reader))


@router.post(
    "/sources",
    auth=user_auth,
    response={201: SourceOut, 400: Error, 401: Error, 403: Error, 422: Error},
    summary="Add a feed or page",
)
def create_source(request: HttpRequest, payload: SourceIn) -> Status[dict[str, Any]]:
    # Imported here: the sources service pulls in fetching code the read-only routes do not need.
    from tidings.sources.services import add_source

    reader = reader_for(request.user)
    ensure(check_can_add, reader)
    source = add_source(payload.url, payload.name or "", full_text=payload.full_text, added_by_id=reader.user_id)
    log.info("api.source_added source_id=%s user_id=%s", source.pk, request.user.pk)
    return Status(201, source_out(source, reader))


@router.get(
    "/sources/export.opml",
    auth=user_auth,
    response={401: Error},
    summary="Sources as an OPML 2.0 file, grouped by folder: all for staff and editors, a reader's own for a reader",
    openapi_extra={"responses": {200: {"description": "OPML 2.0", "content": {"text/x-opml": {}}}}},
)
def export_sources_opml(request: HttpRequest) -> HttpResponse:
    from tidings.sources.opml_import import export_opml

    body = export_opml(reader=reader_for(request.user))
    response = HttpResponse(body, content_type="text/x-opml; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="tidings-sources.opml"'
    return response


@router.get(
    "/sources/{source_key}/health",
    response={200: SourceHealthOut, 401: Error, 404: Error, 422: Error},
    summary="One source's health: last fetch, status, error, 304 rate, items per day, next fetch",
)
def get_source_health(request: HttpRequest, source_key: Text) -> dict[str, Any]:
    source = Source.objects.filter(id_or_slug(source_key)).first()
    if source is None:
        raise NotFound(f"no source {source_key}")
    view = view_of(source, request_reader(request))
    return asdict(source_health(source)) | {"last_error": view.last_error, "paused_reason": view.paused_reason}


@router.post(
    "/sources/import-opml",
    auth=user_auth,
    response={200: ImportReportOut, 400: Error, 401: Error, 403: Error, 413: Error},
    summary="Import an OPML file: good feeds become sources, bad entries are listed with reasons",
    openapi_extra={
        "requestBody": {
            "description": "The OPML file as multipart form field `file`, or as the raw request body",
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"file": {"type": "string", "format": "binary"}},
                        "required": ["file"],
                    }
                },
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
            },
        }
    },
)
def import_sources_opml(request: HttpRequest) -> dict[str, Any]:
    from tidings.sources.opml_import import import_opml

    reader = reader_for(request.user)
    ensure(check_can_add, reader)
    report = import_opml(uploaded_opml(request), reader=reader)
    log.info("api.opml_imported user_id=%s added=%d errors=%d", request.user.pk, len(report.added), len(report.errors))
    return {
        "title": report.title,
        "summary": report.summary(),
        "added": [{"id": s.source_id, "name": s.name, "url": s.url, "folder": s.folder} for s in report.added],
        "already_present": [
            {"id": s.source_id, "name": s.name, "url": s.url, "folder": s.folder} for s in report.already_present
        ],
        "errors": [asdict(error) for error in report.errors],
        "folders": list(report.folders),
        "warning": report.warning,
    }


def uploaded_opml(request: HttpRequest) -> bytes:
    """The OPML bytes of a multipart upload (field `file`) or of the raw body; InvalidInput when missing or too big."""
    too_big = f"the file is larger than the limit of {MAX_OPML_BYTES // (1024 * 1024)} MB for an OPML file"
    if (request.content_type or "").startswith("multipart/form-data"):
        try:
            upload = request.FILES.get("file")
        except RequestDataTooBig:
            raise PayloadTooLarge(body_limit_message()) from None
        except (MultiPartParserError, TooManyFieldsSent, TooManyFilesSent) as err:
            raise InvalidInput(f"the upload could not be read as a form: {err}") from None
        if upload is None:
            raise InvalidInput("send the OPML file in the form field 'file' (or as the raw request body)")
        if upload.size is not None and upload.size > MAX_OPML_BYTES:
            raise PayloadTooLarge(too_big)
        return upload.read(MAX_OPML_BYTES + 1)
    try:
        body = request.body
    except RequestDataTooBig:
        raise PayloadTooLarge(
            f"{body_limit_message()} for a raw body; send the file as multipart form data in the field 'file' instead"
        ) from None
    if not body:
        raise InvalidInput("the request has no OPML file: send it as the body or in the form field 'file'")
    return body


# Last: its path would otherwise catch /sources/import-opml and /sources/export.opml (a 405 for them).
@router.patch(
    "/sources/{source_key}",
    auth=user_auth,
    response={200: SourceOut, 400: Error, 401: Error, 403: Error, 404: Error, 422: Error},
    summary="Change a source's settings (its full-text setting): its adder, staff and editors may",
)
def update_source(request: HttpRequest, source_key: Text, payload: SourceSettingsIn) -> dict[str, Any]:
    from tidings.sources.services import set_full_text_mode

    source = Source.objects.filter(id_or_slug(source_key)).first()
    if source is None:
        raise NotFound(f"no source {source_key}")
    reader = reader_for(request.user)
    ensure(check_can_change, reader, source)
    set_full_text_mode(source, payload.full_text)
    log.info("api.source_updated source_id=%s user_id=%s full_text=%s", source.pk, request.user.pk, source.full_text)
    return source_out(source, reader)
