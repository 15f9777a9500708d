"""Frozen values passed between fetching, parsing and storage: parse returns them, the edges pass them on."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from tidings.lib.errors import TidingsError


@dataclass(frozen=True, slots=True)
class ExtractedArticle:
    """One article as read from a feed entry, a page or a text dump, ready to store."""

    headline: str
    paragraphs: tuple[str, ...] = ()
    standfirst: str = ""
    url: str = ""
    guid: str = ""
    author: str = ""
    published_at: datetime | None = None
    image_url: str = ""
    image_caption: str = ""
    image_credit: str = ""
    outlet: str = ""
    language: str = ""
    body_html: str = ""
    publisher_categories: tuple[str, ...] = field(default_factory=tuple)

    @property
    def body_text(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What fetching a source URL gave: the final URL, and the body unless the server said 304."""

    url: str
    status_code: int
    content: bytes = b""
    content_type: str = ""
    etag: str = ""
    last_modified: str = ""

    @property
    def not_modified(self) -> bool:
        return self.status_code == 304


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A feed document read into articles, with what it says about itself."""

    title: str = ""
    site_url: str = ""
    language: str = ""
    items: tuple[ExtractedArticle, ...] = ()


@dataclass(frozen=True, slots=True)
class ItemKeys:
    """What storing one article needs that follows from the article alone."""

    url: str  # canonical URL ("" without a link, or with one that is not absolute http(s))
    content_hash: str
    hash_identifies: bool  # the body is long enough for the content hash to identify the article
    body_html: str  # sanitized body HTML as stored
    line_keys: tuple[tuple[str, ...], ...]  # boilerplate line keys, one tuple per paragraph


@dataclass(frozen=True, slots=True)
class ReadDocument:
    """A document read into articles, with each article's store keys (same order as `items`)."""

    kind: str
    feed: ParsedFeed | None
    items: tuple[ExtractedArticle, ...]
    keys: tuple[ItemKeys, ...]


@dataclass(frozen=True, slots=True)
class FetchedSource:
    """What the fetching side gives for one source: a fetched and parsed document, or an error."""

    source_id: int
    fetched: FetchResult | None = None
    error: TidingsError | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    moved_to: str = ""  # the new URL after permanent redirects only
    kind: str = ""
    feed: ParsedFeed | None = None
    items: tuple[ExtractedArticle, ...] = ()
    full_text_pages: int = 0
    keys: tuple[ItemKeys, ...] = ()  # each item's store keys when worked out while parsing (else by the store)


@dataclass(frozen=True, slots=True)
class RefreshOutcome:
    """What one refresh did, for commands and logs; `error` is in plain words."""

    source_id: int
    status: str  # "ok", "not_modified", "failed" or "paused"
    created: int = 0
    duplicates: int = 0
    error: str = ""

    @property
    def failed(self) -> bool:
        return self.status in {"failed", "paused"}
