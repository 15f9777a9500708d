"""Pure: a feed (title, links, items) to RSS 2.0 or Atom (feedgen) or JSON Feed 1.1 (by hand: a dict)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from feedgen.feed import FeedGenerator

FORMATS = ("rss", "atom", "json")
CONTENT_TYPES = {
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
    "json": "application/feed+json; charset=utf-8",
}
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


@dataclass(frozen=True, slots=True)
class Entry:
    id: str  # a permanent id: the article's page on this site
    title: str
    link: str  # the article's page on this site
    published: datetime
    summary: str = ""
    external_url: str = ""  # the original article
    source: str = ""
    categories: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Feed:
    title: str
    description: str
    home_url: str  # the page this feed is a copy of
    feed_url: str  # this feed's own address (the format is chosen by the caller)
    updated: datetime
    entries: Sequence[Entry] = field(default_factory=tuple)


def render(feed: Feed, fmt: str) -> bytes:
    """The feed as bytes in one of FORMATS; ValueError for another."""
    if fmt == "json":
        return json.dumps(json_feed(feed), ensure_ascii=False, indent=1).encode()
    if fmt not in ("rss", "atom"):
        raise ValueError(f"unknown feed format {fmt!r}")
    gen = FeedGenerator()
    gen.id(feed.feed_url)
    gen.title(feed.title)
    gen.description(feed.description or feed.title)  # RSS requires one; Atom takes it as the subtitle
    # RSS's <channel><link> is the last link added: the self link first, so the channel links to the web page.
    gen.link(href=feed.feed_url, rel="self")
    gen.link(href=feed.home_url, rel="alternate")
    gen.language("en")
    gen.updated(feed.updated)
    gen.generator("Tidings")
    # feedgen puts the last added entry first; add oldest first so both formats list newest first.
    for entry in reversed(list(feed.entries)):
        item = gen.add_entry()
        item.id(entry.id)
        item.guid(entry.id, permalink=True)
        item.title(entry.title)
        item.link(href=entry.link)
        item.published(entry.published)
        item.updated(entry.published)
        if entry.summary and fmt == "atom":
            item.summary(entry.summary)
        elif entry.summary:
            item.description(entry.summary)
        if entry.source and fmt == "atom":
            item.author(name=entry.source)  # RSS's <author> must be an e-mail address: left out there
        for name in entry.categories:
            item.category(term=name)
    return gen.atom_str(pretty=True) if fmt == "atom" else gen.rss_str(pretty=True)


def json_feed(feed: Feed) -> dict[str, object]:
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1)."""
    items = []
    for entry in feed.entries:
        item: dict[str, object] = {
            "id": entry.id,
            "url": entry.link,
            "title": entry.title,
            "content_text": entry.summary or entry.title,
            "date_published": entry.published.isoformat(),
        }
        if entry.summary:
            item["summary"] = entry.summary
        if entry.external_url:
            item["external_url"] = entry.external_url
        if entry.source:
            item["authors"] = [{"name": entry.source}]
        if entry.categories:
            item["tags"] = list(entry.categories)
        items.append(item)
    return {
        "version": JSON_FEED_VERSION,
        "title": feed.title,
        "home_page_url": feed.home_url,
        "feed_url": feed.feed_url,
        "description": feed.description,
        "language": "en",
        "items": items,
    }
