"""Pure: the field readers both feed readers share (feeds.py for RSS/Atom, jsonfeed.py for JSON Feed)."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin

import nh3

from tidings.ingest.parse.fragment import html_to_paragraphs
from tidings.ingest.parse.page_metadata import parse_datetime

MAX_ITEMS = 1000
# Control characters other than whitespace (the tolerant parser keeps them from ill-formed documents).
_CONTROL_CHARACTERS = dict.fromkeys([*range(0, 9), 11, 12, *range(14, 32), *range(127, 160)])


def parse_date(value: str) -> datetime | None:
    """ISO 8601 (read as page metadata is) or RFC 2822, timezone-aware (UTC when none is given)."""
    parsed = parse_datetime(value)
    if parsed is None:
        try:
            parsed = parsedate_to_datetime(value.strip())
        except (TypeError, ValueError, IndexError):
            return None
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
    # Whole seconds: feedparser keeps no fractions, so both parsers give the same time.
    return parsed.replace(microsecond=0)


def categories(tags: Sequence[Any]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for tag in tags:
        if isinstance(tag, Mapping):
            term = plain(str(tag.get("term") or tag.get("label") or ""))
            if term and len(term) <= 200:
                seen.setdefault(term, None)
    return tuple(seen)[:30]


def headline_from(paragraphs: tuple[str, ...], limit: int = 120) -> str:
    """Items without a title (microblog JSON Feeds) get their first words as a headline."""
    if not paragraphs:
        return ""
    text = paragraphs[0]
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"


def sanitize(html: str) -> str:
    return nh3.clean(html) if html and "<" in html else ""


def plain(text: str) -> str:
    if "<" in text:
        return " ".join(html_to_paragraphs(text))
    text = html.unescape(text) if "&" in text else text
    return " ".join(text.translate(_CONTROL_CHARACTERS).split())


def absolute(base_url: str, link: str) -> str:
    link = link.strip()
    if not link or link.startswith(("http://", "https://")):
        return link  # already absolute: urljoin would return it unchanged, at a cost per entry
    try:
        return urljoin(base_url, link) if base_url else link
    except ValueError:
        return link


def language_tag(value: str) -> str:
    return value.strip().replace("_", "-").lower()[:16]
