"""Pure: tell a feed format or an HTML page from the content type and the first bytes."""

from __future__ import annotations

import json
import re
from typing import Literal

from tidings.ingest.parse.decode import decode_bytes, try_decode

Format = Literal["rss", "atom", "jsonfeed", "html", "text", "unknown"]

FEED_FORMATS: frozenset[str] = frozenset({"rss", "atom", "jsonfeed"})
SNIFF_BYTES = 64 * 1024

_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
# Skips the XML declaration, comments, processing instructions and a DOCTYPE (with an internal subset).
_PROLOG = re.compile(
    rb"\A(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>]*\[.*?\])?[^>]*>)*",
    re.DOTALL | re.IGNORECASE,
)
_FIRST_TAG = re.compile(rb"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")
_HTML_DOCTYPE = re.compile(rb"<!DOCTYPE\s+html", re.IGNORECASE)
_HTML_ROOTS = frozenset({"html", "head", "body", "div", "p", "article", "main", "section", "meta", "title"})
_ROOT_FORMATS: dict[str, Format] = {"rss": "rss", "rdf": "rss", "channel": "rss", "feed": "atom"}
_CONTENT_TYPE_FORMATS: dict[str, Format] = {
    "application/rss+xml": "rss",
    "application/rdf+xml": "rss",
    "application/atom+xml": "atom",
    "application/feed+json": "jsonfeed",
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "text",
}


def detect_format(content_type: str, content: bytes) -> Format:
    """The document's format; the bytes decide, the content type only breaks ties."""
    sample = content[:SNIFF_BYTES]
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        sample = sample.decode("utf-16", errors="ignore").encode("utf-8")
    elif sample.startswith((b"\x00<", b"<\x00")):  # UTF-16 without a byte order mark
        sample = sample.decode("utf-16-be" if sample[0] == 0 else "utf-16-le", errors="ignore").encode("utf-8")
    head = _strip_bom(sample).lstrip()
    declared = _CONTENT_TYPE_FORMATS.get(content_type.split(";", 1)[0].strip().lower(), "unknown")
    if head.startswith((b"{", b"[")):
        return "jsonfeed" if _is_json_feed(content, declared) else "unknown"
    if head.startswith(b"<"):
        if _HTML_DOCTYPE.match(head):
            return "html"
        root = _root_name(head)
        if root in _ROOT_FORMATS:
            return _ROOT_FORMATS[root]
        if root in _HTML_ROOTS:
            return "html"
    if declared == "html":
        return "html"
    if declared == "text" or _looks_like_text(head):
        return "text"
    return "unknown"


def _looks_like_text(head: bytes) -> bool:
    """Readable prose with line breaks: no NUL bytes, decodes cleanly, mostly letters and spaces."""
    if not head.strip() or b"\x00" in head:
        return False
    decoded = try_decode(head, document=False)  # UTF-8, or a detected encoding (windows-1252, Shift_JIS...)
    if decoded is None:
        return False
    text = decoded.text
    letters = sum(ch.isalpha() or ch.isspace() for ch in text)
    return "\n" in text and letters >= 0.8 * len(text)


def _strip_bom(data: bytes) -> bytes:
    for bom in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :]
    return data


def _root_name(head: bytes) -> str:
    prolog = _PROLOG.match(head)
    rest = head[prolog.end() if prolog else 0 :]
    match = _FIRST_TAG.match(rest)
    return match.group(2).decode("ascii").lower() if match else ""


def _is_json_feed(content: bytes, declared: Format) -> bool:
    try:
        document = json.loads(decode_bytes(_strip_bom(content), document=False).text)
    except (ValueError, RecursionError):
        return False
    if not isinstance(document, dict):
        return False
    version = document.get("version")
    if isinstance(version, str) and "jsonfeed.org" in version:
        return True
    has_feed_keys = "feed_url" in document or "home_page_url" in document
    return isinstance(document.get("items"), list) and (declared == "jsonfeed" or has_feed_keys)
