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
