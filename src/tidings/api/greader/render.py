"""Google Reader answers, pure: items and subscriptions as JSON values, and a stream as Google Reader Atom.

The Atom form is what FeedHQ-mode clients (newsboat) read: each entry carries its read/unread state as a
category in the `http://www.google.com/reader/` scheme whose label is `read` or `fresh`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape
from typing import Any
from xml.etree import ElementTree as ET

from tidings.api.greader.ids import FRESH, READ, READING_LIST, STARRED, label, long_item_id, state, usec

ATOM = "http://www.w3.org/2005/Atom"
GR = "http://www.google.com/schemas/reader/atom/"
GR_SCHEME = "http://www.google.com/reader/"
# Characters XML 1.0 cannot carry at all, even escaped.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

ET.register_namespace("", ATOM)
ET.register_namespace("gr", GR)


@dataclass(frozen=True, slots=True)
class ItemView:
    """One article as an app sees it."""

    article_id: int
    title: str
    url: str
    author: str
    html: str  # sanitized HTML
    published: datetime
    fetched: datetime
    stream_id: str  # feed/<source id>
    source_title: str
    source_site: str
    folder: str
    read: bool
    starred: bool


@dataclass(frozen=True, slots=True)
class SubscriptionView:
    stream_id: str
    title: str
    feed_url: str | None  # None: hidden from this reader (sources.permissions)
    site_url: str
    folder: str
    first_item: datetime | None


def body_html(body_html: str, standfirst: str, paragraphs: Sequence[str]) -> str:
    """The article's sanitized HTML, or its text as escaped paragraphs."""
    if body_html.strip():
        return body_html
    parts = [standfirst, *paragraphs] if standfirst else list(paragraphs)
    return "".join(f"<p>{escape(p)}</p>" for p in parts if p.strip())


def item_categories(item: ItemView) -> list[str]:
    categories = [state(READING_LIST).id]
    if item.folder:
        categories.append(label(item.folder).id)
    categories.append(state(READ).id if item.read else state(FRESH).id)
    if item.starred:
        categories.append(state(STARRED).id)
    return categories


def item_json(item: ItemView) -> dict[str, Any]:
    """An item of stream/contents and stream/items/contents, as Google Reader and FreshRSS write it."""
    link = [{"href": item.url, "type": "text/html"}] if item.url else []
    return {
        "id": long_item_id(item.article_id),
        "crawlTimeMsec": str(usec(item.fetched) // 1000),
        "timestampUsec": str(usec(item.published)),
        "published": int(item.published.timestamp()),
        "updated": int(item.published.timestamp()),
        "title": item.title,
        "author": item.author,
        "canonical": [{"href": item.url}] if item.url else [],
        "alternate": link,
        "categories": item_categories(item),
        "origin": {"streamId": item.stream_id, "title": item.source_title, "htmlUrl": item.source_site},
        "summary": {"direction": "ltr", "content": item.html},
        "content": {"direction": "ltr", "content": item.html},
        "enclosure": [],
    }


def stream_json(
    stream_id: str, title: str, items: Sequence[ItemView], updated: datetime, next_page: str | None
) -> dict[str, Any]:
    answer: dict[str, Any] = {
        "direction": "ltr",
        "id": stream_id,
        "title": title,
        "updated": int(updated.timestamp()),
        "updatedUsec": str(usec(updated)),
        "items": [item_json(item) for item in items],
    }
    if next_page:
        answer["continuation"] = next_page
    return answer


def subscription_json(sub: SubscriptionView) -> dict[str, Any]:
    categories = [{"id": label(sub.folder).id, "label": sub.folder}] if sub.folder else []
    answer: dict[str, Any] = {
        "id": sub.stream_id,
        "title": sub.title,
        "categories": categories,
        "htmlUrl": sub.site_url,
        "iconUrl": "",
        "sortid": sub.stream_id.removeprefix("feed/").zfill(8)[-8:],
        "firstitemmsec": str(usec(sub.first_item) // 1000) if sub.first_item else "0",
    }
    answer["url"] = sub.feed_url or ""  # hidden from this reader: empty (apps expect the key)
    return answer


def _text(value: str) -> str:
    return NOT_XML.sub("", value)


def _add(parent: ET.Element, tag: str, text: str = "", **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: _text(v) for k, v in attributes.items()})
    if text:
        element.text = _text(text)
    return element


def atom_stream(stream_id: str, title: str, items: Sequence[ItemView], updated: datetime) -> bytes:
    """A stream as the Atom feed Google Reader served at /reader/atom/<stream id>."""
    root = ET.Element(f"{{{ATOM}}}feed")
    _add(root, "id", f"tag:google.com,2005:reader/{stream_id}")
    _add(root, "title", title)
    _add(root, "updated", updated.isoformat())
    for item in items:
        entry = _add(root, "entry")
        entry.set(f"{{{GR}}}crawl-timestamp-msec", str(usec(item.fetched) // 1000))
        _add(entry, "id", long_item_id(item.article_id))
        # Only states here: a folder called "read" must not read as the read state.
        for name in (READ if item.read else FRESH, *((STARRED,) if item.starred else ())):
            _add(entry, "category", term=state(name).id, scheme=GR_SCHEME, label=name)
        _add(entry, "title", item.title, type="text")
        _add(entry, "published", item.published.isoformat())
        _add(entry, "updated", item.published.isoformat())
        if item.url:
            _add(entry, "link", rel="alternate", href=item.url, type="text/html")
        _add(entry, "content", item.html, type="html")
        if item.author:
            _add(_add(entry, "author"), "name", item.author)
        source = _add(entry, "source")
        source.set(f"{{{GR}}}stream-id", item.stream_id)
        _add(source, "id", f"tag:google.com,2005:reader/{item.stream_id}")
        _add(source, "title", item.source_title)
        if item.source_site:
            _add(source, "link", rel="alternate", href=item.source_site, type="text/html")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
