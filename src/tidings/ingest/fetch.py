"""Edge: fetch a source URL through the guarded client, conditionally when we have validators."""

from __future__ import annotations

import logging

from tidings.ingest.types import FetchResult
from tidings.lib import http

logger = logging.getLogger(__name__)

ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, "
    "application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.8, */*;q=0.5"
)


def fetch_source_url(url: str, *, etag: str = "", last_modified: str = "") -> FetchResult:
    """GET a feed or page; raises tidings.lib.errors.FetchError (or a subclass) with a message for a person."""
    response = http.get(url, etag=etag, last_modified=last_modified, accept=ACCEPT)
    logger.info(
        "source_fetched url=%s final_url=%s status=%s bytes=%d",
        url,
        response.url,
        response.status_code,
        len(response.content),
    )
    return FetchResult(
        url=response.url,
        status_code=response.status_code,
        content=response.content,
        content_type=response.content_type,
        # A 304 may omit validators; keep the ones we sent so the next request stays conditional.
        etag=response.headers.get("etag", "") or (etag if response.status_code == 304 else ""),
        last_modified=response.headers.get("last-modified", "")
        or (last_modified if response.status_code == 304 else ""),
    )
