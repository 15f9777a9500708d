"""OPML downloads from the pages: every source the reader may see, and the sources they follow."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from tidings.personalization.exports import followed_sources_opml
from tidings.personalization.services import profile_for_user
from tidings.sources.access import reader_for
from tidings.sources.opml_import import export_opml


def _opml(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/x-opml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def export_sources(request: HttpRequest) -> HttpResponse:
    """As /api/sources/export.opml: all sources for staff and editors, a reader's own for a reader."""
    return _opml(export_opml(reader=reader_for(request.user)), "tidings-sources.opml")


@login_required
def export_follows(request: HttpRequest) -> HttpResponse:
    export = followed_sources_opml(profile_for_user(request.user), reader_for(request.user))
    response = _opml(export.body, "tidings-follows.opml")
    response["X-Tidings-Left-Out"] = str(export.left_out)
    return response
