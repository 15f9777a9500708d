"""Pure: RSS 0.9x/1.0/2.0, Atom and JSON Feed bytes → ParsedFeed of ExtractedArticle items.

fastfeedparser is the fast path, feedparser the tolerant fallback; JSON Feed is read by parse.jsonfeed.
XML entity declarations are removed before either parser sees the document, so nothing is expanded.
"""

from __future__ import annotations

import calendar
import logging
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import fastfeedparser
import feedparser

from tidings.ingest.parse.decode import decode_bytes, to_utf8
from tidings.ingest.parse.detect import detect_format
from tidings.ingest.parse.entry_fields import (
    MAX_ITEMS,
    absolute,
    categories,
    headline_from,
    language_tag,
    parse_date,
    plain,
    sanitize,
)
from tidings.ingest.parse.fast_path import NOT_WELL_FORMED, misread_reason, permalink_guids, tidy_fast_entries
from tidings.ingest.parse.fragment import html_to_paragraphs
from tidings.ingest.parse.jsonfeed import parse_json_feed
from tidings.ingest.parse.page_parts import split_caption_credit
from tidings.ingest.types import ExtractedArticle, ParsedFeed
from tidings.lib.errors import ParseError

logger = logging.getLogger(__name__)

MAX_STANDFIRST_WORDS = 80

_INTERNAL_SUBSET = re.compile(rb"(<!DOCTYPE\s+[^\[>]*?)\s*\[.*?\]\s*>", re.DOTALL | re.IGNORECASE)
_EMAIL_WITH_NAME = re.compile(r"^\S+@\S+\s*\((.+)\)$")
_LANGUAGE = re.compile(
    rb"<(?:\w+:)?language>\s*([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*)\s*</|xml:lang=[\"']([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*)",
)


def parse_feed(content: bytes, *, url: str = "", kind: str = "", content_type: str = "") -> ParsedFeed:
    """Read a feed document; `url` resolves relative links; `content_type` may name a charset (the document's
    own declaration and the bytes are weighed too, see parse.decode); raises ParseError when it is not a feed."""
    kind = kind or detect_format("", content)
    if kind == "jsonfeed" or content.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"["):
        return parse_json_feed(decode_bytes(content, content_type, document=False).text, url)
    return _parse_xml_feed(_without_entity_declarations(to_utf8(content, content_type)), url)


def _without_entity_declarations(content: bytes) -> bytes:
    """Drop a DOCTYPE's internal subset (where entities are declared) so no parser can expand them."""
    head = content[:65536]
    if b"<!ENTITY" not in head.upper():
        return content
    cleaned, count = _INTERNAL_SUBSET.subn(rb"\1>", head, count=1)
    return cleaned + content[65536:] if count else content


def _parse_xml_feed(content: bytes, url: str) -> ParsedFeed:
    fast: ParsedFeed | None = None
    reason = misread_reason(content)
    if not reason or reason == NOT_WELL_FORMED:  # read anyway: the tolerant parser may lose items it keeps
        try:
            fast, fast_reason = _read_fast(content, url)
            reason = reason or fast_reason
        except Exception as exc:  # third-party boundary: any failure means "try the tolerant parser"
            reason = f"fast parser failed ({type(exc).__name__})"
    if fast is not None and fast.items and not reason:
        return fast
    logger.debug("feed read by the tolerant parser url=%s reason=%r", url, reason or "no entries")
    try:
        # application/xml lets the document's own encoding declaration decide, as fastfeedparser does. No
        # content-location: links are resolved here for both parsers, and feedparser would also resolve GUIDs.
        headers = {"content-type": "application/xml"}
        tolerant = feedparser.parse(content, response_headers=headers, sanitize_html=False)
    except Exception as exc:  # third-party boundary
        if fast is not None:
            return fast
        raise ParseError(f"this document could not be read as a feed ({type(exc).__name__})") from None
    lost_items = fast is not None and reason == NOT_WELL_FORMED and len(tolerant.entries) < len(fast.items)
    if (tolerant.entries or tolerant.get("version")) and not lost_items:
        # feedparser takes a permalink GUID as link only when there is no link element; an empty one too.
        return _from_parsed_dict(tolerant, content, url, guid_is_link=permalink_guids(content))
    if fast is not None:
        return fast
    reason = tolerant.get("bozo_exception")
    if reason:
        raise ParseError(f"this document could not be read as a feed ({reason})")
    raise ParseError("this document is not a feed")


def _read_fast(content: bytes, url: str) -> tuple[ParsedFeed, str]:
    """The fast parser's reading, and a reason not to trust it ("" when it can be trusted)."""
    result = fastfeedparser.parse(content)  # bytes, never a str: a str URL would be fetched
    reason = tidy_fast_entries(content, list(result.get("entries") or []))
    return _from_parsed_dict(result, content, url, guid_is_link=permalink_guids(content)), reason


def _from_parsed_dict(result: Mapping[str, Any], content: bytes, url: str, *, guid_is_link: bool = False) -> ParsedFeed:
    """`guid_is_link`: an entry without a link takes its GUID as link."""
    feed = result.get("feed") or {}
    title = plain(feed.get("title") or "")
    site_url = absolute(url, feed.get("link") or "")
    language = language_tag(feed.get("language") or "") or _sniff_language(content)
    entries = list(result.get("entries") or [])
    if len(entries) > MAX_ITEMS:
        logger.warning("feed_items_capped url=%s items=%d read=%d", url, len(entries), MAX_ITEMS)
    items = tuple(
        _entry_article(entry, base_url=url, outlet=title, language=language, guid_is_link=guid_is_link)
        for entry in entries[:MAX_ITEMS]
    )
    return ParsedFeed(title=title, site_url=site_url, language=language, items=items)


def _entry_article(
    entry: Mapping[str, Any], *, base_url: str, outlet: str, language: str, guid_is_link: bool
) -> ExtractedArticle:
    contents = [c for c in entry.get("content") or [] if isinstance(c, Mapping) and c.get("value")]
    content_html = max((str(c["value"]) for c in contents), key=len, default="")
    summary_html = str(entry.get("summary") or entry.get("description") or "")
    body_html = content_html or summary_html
    captions: list[str] = []
    paragraphs = html_to_paragraphs(body_html, captions)
    caption, credit = split_caption_credit(captions[0]) if captions else ("", "")
    headline = plain(str(entry.get("title") or "")) or headline_from(paragraphs)
    # A GUID is kept as written (feedparser gets no base URL, so it does not resolve one either).
    guid = str(entry.get("id") or "").strip()
    link = absolute(base_url, _entry_link(entry) or (guid if guid_is_link else ""))
    link = link if link.startswith(("http://", "https://")) else ""  # an article is a web page (not urn:, at:)
    return ExtractedArticle(
        headline=headline,
        paragraphs=paragraphs,
        standfirst=_standfirst(summary_html, paragraphs) if content_html else "",
        url=link,
        guid=guid,
        author=_entry_author(entry),
        published_at=_entry_date(entry),
        image_url=absolute(base_url, _entry_image(entry)),
        image_caption=caption,
        image_credit=credit,
        outlet=outlet,
        language=language_tag(_entry_language(entry)) or language,
        body_html=sanitize(body_html),
        publisher_categories=categories(entry.get("tags") or []),
    )


def _entry_link(entry: Mapping[str, Any]) -> str:
    """The first alternate link; a link element with another relation (enclosure, self, via) is not the page."""
    links = [c for c in entry.get("links") or [] if isinstance(c, Mapping) and c.get("href")]
    for candidate in links:
        if (candidate.get("rel") or "alternate") == "alternate":
            return str(candidate["href"])
    link = str(entry.get("link") or "")
    return "" if any(link == c["href"] for c in links) else link


def _entry_author(entry: Mapping[str, Any]) -> str:
    author = entry.get("author")
    if isinstance(author, str) and author.strip():
        named = _EMAIL_WITH_NAME.match(author.strip())
        return plain(named.group(1) if named else author)
    for candidate in entry.get("authors") or []:
        if isinstance(candidate, Mapping) and candidate.get("name"):
            return plain(str(candidate["name"]))
    return ""


def _entry_date(entry: Mapping[str, Any]) -> datetime | None:
    for key in ("published", "updated", "created"):
        parsed = entry.get(f"{key}_parsed")
        if parsed:
            try:
                return datetime.fromtimestamp(calendar.timegm(parsed), UTC)  # whole seconds
            except (TypeError, ValueError, OverflowError, OSError):
                pass
        value = entry.get(key)
        if isinstance(value, str) and (when := parse_date(value)) is not None:
            return when
    return None


def _entry_image(entry: Mapping[str, Any]) -> str:
    for enclosure in entry.get("enclosures") or []:
        if isinstance(enclosure, Mapping) and str(enclosure.get("type") or "").startswith("image/"):
            return str(enclosure.get("url") or enclosure.get("href") or "")
    for media in entry.get("media_content") or []:
        if not isinstance(media, Mapping) or not media.get("url"):
            continue
        if media.get("medium") == "image" or str(media.get("type") or "").startswith("image/"):
            return str(media["url"])
    for link in entry.get("links") or []:
        if not isinstance(link, Mapping) or link.get("rel") != "enclosure":
            continue
        if str(link.get("type") or "").startswith("image/"):
            return str(link.get("href") or "")
    for thumbnail in entry.get("media_thumbnail") or []:
        if isinstance(thumbnail, Mapping) and thumbnail.get("url"):
            return str(thumbnail["url"])
    image = entry.get("image")
    if isinstance(image, Mapping):
        return str(image.get("href") or image.get("url") or "")
    return ""


def _entry_language(entry: Mapping[str, Any]) -> str:
    for key in ("title_detail", "summary_detail"):
        detail = entry.get(key)
        if isinstance(detail, Mapping) and detail.get("language"):
            return str(detail["language"])
    return ""


def _standfirst(summary_html: str, paragraphs: tuple[str, ...]) -> str:
    """The summary when it adds to the content (a dek), not when it repeats or truncates it."""
    summary = " ".join(html_to_paragraphs(summary_html))
    if not summary or len(summary.split()) > MAX_STANDFIRST_WORDS:
        return ""
    opening = " ".join(paragraphs)[: len(summary) + 20]
    stem = summary.rstrip("…. []")
    return "" if opening.startswith(stem[: max(len(stem) - 3, 1)]) else summary


def _sniff_language(content: bytes) -> str:
    match = _LANGUAGE.search(content[:65536])
    if not match:
        return ""
    return language_tag((match.group(1) or match.group(2)).decode("ascii"))


def parse_xml_with(content: bytes, parser: str, *, url: str = "") -> ParsedFeed:
    """One XML parser alone, "fast" (fastfeedparser) or "tolerant" (feedparser): to check that they agree."""
    if parser not in ("fast", "tolerant"):
        raise ValueError(f"unknown parser {parser!r}: use 'fast' or 'tolerant'")
    content = _without_entity_declarations(to_utf8(content))
    try:
        if parser == "fast":
            return _read_fast(content, url)[0]
        headers = {"content-type": "application/xml"}
        tolerant = feedparser.parse(content, response_headers=headers, sanitize_html=False)
        return _from_parsed_dict(tolerant, content, url, guid_is_link=permalink_guids(content))
    except Exception as exc:  # third-party boundary
        raise ParseError(f"this document could not be read as a feed ({type(exc).__name__})") from None
