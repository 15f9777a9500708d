"""Pure: JSON Feed text → ParsedFeed, forgiving wrong types.

JSON Feed says which fields are strings, arrays or objects; feeds in the wild send an id as a number, a title
as a list or an object, a summary as an object, tags as one string, a date as epoch seconds, authors as one
object. Each value is coerced to what it means rather than dropped: an item with a URL is kept, and its
headline is never empty while the item has any text (its first sentence stands in).
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

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
from tidings.ingest.parse.fragment import html_to_paragraphs
from tidings.ingest.parse.page_parts import split_caption_credit
from tidings.ingest.types import ExtractedArticle, ParsedFeed
from tidings.lib.errors import ParseError
from tidings.lib.urls import safe_http_url

logger = logging.getLogger(__name__)

# Keys whose value is the text of an object given where a string belongs ({"text": …}, {"en": …}, …).
_TEXT_KEYS = ("text", "value", "#text", "content", "html", "title", "name", "label", "plain", "en", "und")
_URL_KEYS = ("url", "href", "link", "src")
_MAX_DEPTH = 4
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=\S)|(?<=[\u3002\uff01\uff1f])")  # CJK full stops: ideographic, full-width
HEADLINE_MAX_CHARS = 120
# Epoch numbers outside these years are not dates (a count, an id); milliseconds are told by their size.
_EARLIEST, _LATEST = datetime(1990, 1, 1, tzinfo=UTC).timestamp(), datetime(2100, 1, 1, tzinfo=UTC).timestamp()


def parse_json_feed(content: str, url: str) -> ParsedFeed:
    try:
        document = json.loads(content.lstrip("\ufeff"))
    except (ValueError, RecursionError) as exc:
        raise ParseError(f"this JSON Feed is not valid JSON ({exc})") from None
    if not isinstance(document, dict):
        raise ParseError("this JSON document is not a JSON Feed")
    title = plain(text_of(document.get("title")))
    language = language_tag(text_of(document.get("language")))
    raw_items = document.get("items")
    listed: list[Any] = raw_items if isinstance(raw_items, list) else []
    items: list[ExtractedArticle] = []
    for item in listed:
        if isinstance(item, dict):
            items.append(json_item(item, base_url=url, outlet=title, language=language))
        if len(items) >= MAX_ITEMS:
            logger.warning("feed_items_capped url=%s items=%d read=%d", url, len(listed), MAX_ITEMS)
            break
    return ParsedFeed(
        title=title,
        site_url=absolute(url, url_of(document.get("home_page_url"))),
        language=language,
        items=tuple(items),
    )


def json_item(item: Mapping[str, Any], *, base_url: str, outlet: str, language: str) -> ExtractedArticle:
    content_html = text_of(item.get("content_html"))
    content_text = text_of(item.get("content_text"))
    summary = text_of(item.get("summary"))
    captions: list[str] = []
    paragraphs = (
        html_to_paragraphs(content_html, captions) if content_html else html_to_paragraphs(content_text or summary)
    )
    caption, credit = split_caption_credit(captions[0]) if captions else ("", "")
    image = url_of(item.get("image")) or url_of(item.get("banner_image"))
    if not image:
        for attachment in _listed(item.get("attachments")):
            if isinstance(attachment, Mapping) and text_of(attachment.get("mime_type")).startswith("image/"):
                image = url_of(attachment.get("url"))
                break
    headline = plain(text_of(item.get("title")))
    if not headline:
        headline = first_sentence(paragraphs or html_to_paragraphs(summary))
    return ExtractedArticle(
        headline=headline,
        paragraphs=paragraphs,
        standfirst=plain(summary) if summary and (content_html or content_text) else "",
        url=_item_link(item, base_url),
        guid=_scalar_text(item.get("id")),
        author=", ".join(_author_names(item)),
        published_at=date_of(item.get("date_published")) or date_of(item.get("date_modified")),
        image_url=absolute(base_url, image),
        image_caption=caption,
        image_credit=credit,
        outlet=outlet,
        language=language_tag(text_of(item.get("language"))) or language,
        body_html=sanitize(content_html),
        publisher_categories=categories([{"term": text_of(tag)} for tag in _listed(item.get("tags"))]),
    )


def text_of(value: object, depth: int = 0) -> str:
    """A value as text: a string itself, a number written out, a list's texts joined, an object's text-like
    value (or else all its texts joined); "" for anything else."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool) or value is None or depth > _MAX_DEPTH:
        return ""
    if isinstance(value, int | float):
        return _number(value)
    if isinstance(value, list):
        return " ".join(text for part in value if (text := text_of(part, depth + 1)))
    if isinstance(value, Mapping):
        for key in _TEXT_KEYS:
            text = text_of(value.get(key), depth + 1)
            if text:
                return text
        return " ".join(text for part in value.values() if (text := text_of(part, depth + 1)))
    return ""


def url_of(value: object) -> str:
    """A URL given as a string, a list (its first URL) or an object ({"url": …}, {"href": …})."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list):
        return next((url for part in value[:10] if (url := url_of(part))), "")
    if isinstance(value, Mapping):
        return next((url for key in _URL_KEYS if (url := _str(value.get(key)))), "")
    return ""


def date_of(value: object) -> datetime | None:
    """RFC 3339 (or RFC 2822) text, or epoch seconds (or milliseconds) as a number or digits; None otherwise."""
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"\d{9,13}(?:\.\d+)?", text):
            return date_of(float(text))
        return parse_date(text) if text else None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    seconds = float(value)
    if seconds > _LATEST:
        seconds /= 1000  # milliseconds
    if not _EARLIEST <= seconds <= _LATEST:
        return None
    return datetime.fromtimestamp(int(seconds), UTC)


def first_sentence(paragraphs: tuple[str, ...], limit: int = HEADLINE_MAX_CHARS) -> str:
    """The first sentence of the text as a headline (cut at a word near `limit` when longer)."""
    if not paragraphs:
        return ""
    text = paragraphs[0]
    sentence = _SENTENCE_END.split(text, maxsplit=1)[0].strip()
    return headline_from((sentence or text,), limit)


def _author_names(item: Mapping[str, Any]) -> list[str]:
    raw = item.get("authors")
    if raw is None:
        raw = item.get("author")
    names: list[str] = []
    for author in _listed(raw):
        name = text_of(author.get("name")) if isinstance(author, Mapping) else text_of(author)
        if name and name not in names:
            names.append(name)
    return names


def _str(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _listed(value: object) -> list[Any]:
    """A list as it is; one value where a list belongs as a list of it; nothing for null."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _scalar_text(value: object) -> str:
    """An id: a string, or a number written out (1.0e3 → "1000"); other types have no usable identity."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _number(value)
    return ""


def _number(value: int | float) -> str:
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        if value.is_integer():
            return str(int(value))
    return str(value)


def _item_link(item: Mapping[str, Any], base_url: str) -> str:
    """The item's `url`, or its `external_url` when `url` is missing or not an http(s) page."""
    for key in ("url", "external_url"):
        link = safe_http_url(absolute(base_url, url_of(item.get(key))), base=base_url)
        if link:
            return link
    return ""
