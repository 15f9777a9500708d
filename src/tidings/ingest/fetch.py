"""Edge: a guarded client's response (`tidings.lib.http_async`) as a FetchResult; what to Accept."""

from __future__ import annotations

import logging
import re

from tidings.ingest.types import FetchResult
from tidings.lib import http

logger = logging.getLogger(__name__)
_XML_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9._-]+)", re.IGNORECASE)
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9._-]+)", re.IGNORECASE)
_UTF8 = frozenset({"utf-8", "utf8"})

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
        content=repair_false_utf8(response.content, response.content_type),
        content_type=response.content_type,
        # A 304 may omit validators; keep the ones we sent so the next request stays conditional.
        etag=response.headers.get("etag", "") or (etag if response.status_code == 304 else ""),
        last_modified=response.headers.get("last-modified", "")
        or (last_modified if response.status_code == 304 else ""),
    )


def repair_false_utf8(content: bytes, content_type: str) -> bytes:
    """A body that claims UTF-8 (header, XML declaration, or an XML/JSON default) but is not: read it as
    windows-1252, the usual culprit, and hand on real UTF-8; anything else is returned as it is."""
    if not content or content.isascii():
        return content
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return content
    header = _CHARSET.search(content_type)
    declared = _XML_DECLARATION.match(content[:200])
    media = content_type.split(";", 1)[0].strip().lower()
    xml_or_json = declared is not None or media.endswith(("xml", "json")) or content.lstrip()[:5] == b"<?xml"
    claims_utf8 = (header is not None and header.group(1).lower() in _UTF8) or (
        header is None and xml_or_json and (declared is None or declared.group(1).decode().lower() in _UTF8)
    )
    if not claims_utf8:
        return content
    logger.info("body_not_utf8 declared=utf-8 read_as=windows-1252")
    return content.decode("cp1252", errors="replace").encode("utf-8")
