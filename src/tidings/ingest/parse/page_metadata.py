"""Pure: an article page's metadata (headline, author, date, outlet, image…) from its <meta> tags and JSON-LD.

Read directly from the parsed tree instead of through trafilatura's metadata pass, which costs as
much as the body extraction itself. A date the page does not state is left empty, not guessed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from lxml import etree

from tidings.lib.urls import safe_http_url

_WS = re.compile(r"\s+")
_TITLE_SEPARATOR = re.compile(r"\s+[|\u2013\u2014\u00b7\u2022\u00bb:-]\s+")
_BY = re.compile(r"^\s*(?:by|von|par|por|di|door)\s+", re.I)
_ARTICLE_TYPES = frozenset({"article", "newsarticle", "reportagenewsarticle", "blogposting", "analysisnewsarticle"})
_PUBLISHED_META = (
    "article:published_time",
    "og:published_time",
    "datePublished",
    "date",
    "dc.date",
    "dc.date.issued",
    "DC.date.issued",
    "pubdate",
    "publish-date",
    "sailthru.date",
    "parsely-pub-date",
)
_AUTHOR_META = ("author", "article:author", "parsely-author", "dc.creator", "DC.creator", "sailthru.author", "byl")


@dataclass(frozen=True, slots=True)
class PageMetadata:
    title: str = ""
    description: str = ""
    author: str = ""
    url: str = ""
    image: str = ""
    sitename: str = ""
    pagetype: str = ""
    language: str = ""
    categories: tuple[str, ...] = ()
    published_at: datetime | None = None


def read_metadata(tree: etree._Element, url: str = "") -> PageMetadata:
    """Metadata of one parsed HTML page; missing values are empty, never guessed from the body text."""
    meta = meta_values(tree)
    ld = _json_ld_article(tree)
    sitename = _first(meta.get("og:site_name"), meta.get("application-name"), _ld_name(ld.get("publisher")))
    return PageMetadata(
        title=_title(tree, meta, ld, sitename),
        description=_first(meta.get("og:description"), meta.get("description"), meta.get("twitter:description")),
        author=_author(tree, meta, ld),
        url=_canonical_url(tree, meta, url),
        image=_image(meta, ld, url),
        sitename=sitename,
        pagetype=_pagetype(meta, ld),
        language=_first(tree.get("lang"), tree.get("{http://www.w3.org/XML/1998/namespace}lang"))[:16],
        categories=_categories(meta, ld),
        published_at=published_at(meta, str(ld.get("datePublished") or "")),
    )


def meta_values(tree: etree._Element) -> dict[str, str]:
    """<meta> values by property/name/itemprop (first wins), plus the article's first <time datetime>."""
    values: dict[str, str] = {}
    for meta in tree.iter("meta"):
        content = meta.get("content")
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip()
        if content is not None and key and key not in values:
            values[key] = content.strip()
    for time_element in tree.xpath("//article//time[@datetime]")[:1]:
        values.setdefault("pubdate", time_element.get("datetime", ""))
    return values


def published_at(meta: dict[str, str], fallback: str = "") -> datetime | None:
    for key in _PUBLISHED_META:
        parsed = parse_datetime(meta.get(key, ""))
        if parsed is not None:
            return parsed
    return parse_datetime(fallback)


def parse_datetime(value: str) -> datetime | None:
    value = value.strip()
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _clean(text: str | None) -> str:
    return _WS.sub(" ", text or "").strip()


def _first(*values: str | None) -> str:
    for value in values:
        cleaned = _clean(value)
        if cleaned:
            return cleaned
    return ""


def _title(tree: etree._Element, meta: dict[str, str], ld: dict[str, object], sitename: str) -> str:
    title = _first(meta.get("og:title"), meta.get("twitter:title"), str(ld.get("headline") or ""))
    if title:
        return title
    headings = [_clean(h.text_content()) for h in tree.iter("h1")]
    headings = [h for h in headings if h]
    if len(headings) == 1:
        return headings[0]
    page_title = _first(*(t.text_content() for t in tree.iter("title")))
    parts = _TITLE_SEPARATOR.split(page_title)
    if len(parts) > 1:  # "Headline | Outlet": keep the longest part that is not the outlet's name
        parts = [p for p in parts if p.strip() and p.strip().lower() != sitename.lower()] or parts
        return max(parts, key=len).strip()
    return page_title or (headings[0] if headings else "")


def _author(tree: etree._Element, meta: dict[str, str], ld: dict[str, object]) -> str:
    for key in _AUTHOR_META:
        value = _clean(meta.get(key))
        if value and not value.startswith(("http://", "https://")):
            return _BY.sub("", value)
    name = _ld_name(ld.get("author"))
    if name:
        return _BY.sub("", name)
    for element in tree.xpath("//*[@rel='author' or @itemprop='author'][1]"):
        value = _clean(element.text_content())
        if value and len(value.split()) <= 8:
            return _BY.sub("", value)
    return ""


def _canonical_url(tree: etree._Element, meta: dict[str, str], url: str) -> str:
    """The page's own address: <link rel=canonical>, else og:url, else where it was fetched from; each
    resolved against the fetched address and kept only as an absolute http(s) URL (lib.urls)."""
    base = url or None
    for link in tree.xpath("//head/link[@rel='canonical'][@href]"):
        href = link.get("href", "").strip()
        if href:
            canonical = safe_http_url(href, base=base)
            if canonical:
                return canonical
    return safe_http_url(_clean(meta.get("og:url")), base=base) or safe_http_url(url)


def _image(meta: dict[str, str], ld: dict[str, object], url: str) -> str:
    """The lead image's address: the first of og:image, og:image:url, twitter:image and JSON-LD's that is
    (or resolves against the page's address to) an absolute http(s) URL."""
    for candidate in (meta.get("og:image"), meta.get("og:image:url"), meta.get("twitter:image"), _ld_image(ld)):
        image = safe_http_url(_clean(candidate), base=url or None)
        if image:
            return image
    return ""


def _pagetype(meta: dict[str, str], ld: dict[str, object]) -> str:
    og_type = _clean(meta.get("og:type")).lower()
    if og_type:
        return og_type
    ld_type = str(ld.get("@type") or "").lower()
    return "article" if ld_type in _ARTICLE_TYPES else ""


def _categories(meta: dict[str, str], ld: dict[str, object]) -> tuple[str, ...]:
    values: list[str] = []
    section = ld.get("articleSection")
    for value in (meta.get("article:section"), *(section if isinstance(section, list) else [section])):
        cleaned = _clean(value if isinstance(value, str) else "")
        if cleaned and cleaned not in values:
            values.append(cleaned)
    return tuple(values[:20])


def _json_ld_article(tree: etree._Element) -> dict[str, object]:
    """The first JSON-LD object of an article type (or the first object at all) on the page."""
    first: dict[str, object] = {}
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        for item in _ld_objects(data):
            kind = item.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            if any(isinstance(k, str) and k.lower() in _ARTICLE_TYPES for k in kinds):
                return item
            first = first or item
    return first


def _ld_objects(data: object) -> Iterator[dict[str, object]]:
    if isinstance(data, list):
        for item in data:
            yield from _ld_objects(item)
    elif isinstance(data, dict):
        yield data
        graph = data.get("@graph")
        if isinstance(graph, list):
            yield from _ld_objects(graph)


def _ld_name(value: object) -> str:
    if isinstance(value, list):
        names = [_ld_name(v) for v in value]
        return ", ".join(n for n in names if n)
    if isinstance(value, dict):
        return _clean(str(value.get("name") or ""))
    return _clean(value) if isinstance(value, str) else ""


def _ld_image(ld: dict[str, object]) -> str:
    image = ld.get("image")
    if isinstance(image, list):
        image = image[0] if image else ""
    if isinstance(image, dict):
        image = image.get("url") or ""
    return image if isinstance(image, str) else ""
