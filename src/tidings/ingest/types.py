"""Frozen values passed between fetching, parsing, extraction and storage."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


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
