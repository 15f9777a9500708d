"""Edge: a guarded client's response (`tidings.lib.http_async`) as a FetchResult; what to Accept."""

from __future__ import annotations

from tidings.ingest.types import FetchResult
from tidings.lib import http

ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, "
    "application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.8, */*;q=0.5"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"


def to_fetch_result(response: http.HttpResponse, *, etag: str = "", last_modified: str = "") -> FetchResult:
    """The response as a FetchResult; `etag`/`last_modified` are the validators that were sent."""
    return FetchResult(
        url=response.url,
        status_code=response.status_code,
        content=response.content,  # bytes as sent: parse.decode reads them (declared charset, then the bytes)
        content_type=response.content_type,
        # A 304 may omit validators; keep the ones we sent so the next request stays conditional.
        etag=response.headers.get("etag", "") or (etag if response.status_code == 304 else ""),
        last_modified=response.headers.get("last-modified", "")
        or (last_modified if response.status_code == 304 else ""),
    )
