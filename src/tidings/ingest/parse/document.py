"""Pure: a fetched document → its format, articles, and what storing each article needs (its store keys).

`read_document` detects and reads one document. `item_keys` works out, from an article alone, what the
store would otherwise compute while it holds the database: the canonical URL, the content hash, the
sanitized body HTML and the boilerplate line keys. Both run wherever parsing runs (a worker process on a
many-source refresh), so the storing thread only compares, inserts and commits.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import replace

import nh3

from tidings.ingest.boilerplate import paragraph_line_keys
from tidings.ingest.dedup import content_hash
from tidings.ingest.parse.decode import decode_text, to_utf8
from tidings.ingest.parse.detect import FEED_FORMATS, detect_format
from tidings.ingest.parse.feeds import parse_feed
from tidings.ingest.types import ExtractedArticle, FetchResult, ItemKeys, ParsedFeed, ReadDocument
from tidings.lib.canonical import canonicalize_url
from tidings.lib.errors import InvalidInput, ParseError
from tidings.lib.urls import safe_http_url

# A one-line summary under a generic headline is shared by different articles; only a body of some length
# identifies an article by its text.
MIN_WORDS_FOR_HASH_DEDUP = 40


def read_document(fetched: FetchResult) -> tuple[str, ParsedFeed | None, tuple[ExtractedArticle, ...]]:
    """Detect the fetched document's format and read it into articles; raises ParseError."""
    kind = detect_format(fetched.content_type, fetched.content)
    if kind in FEED_FORMATS:
        feed = parse_feed(fetched.content, url=fetched.url, kind=kind, content_type=fetched.content_type)
        return kind, feed, feed.items
    if kind == "html":
        # Imported on first use: trafilatura takes ~0.3 s to import, and a revalidation pass never needs it.
        from tidings.ingest.parse.extract import NOT_AN_ARTICLE, extract_article, find_feed_links

        page = to_utf8(fetched.content, fetched.content_type)  # UTF-8 bytes whose meta charset says so
        try:
            return kind, None, (extract_article(page, url=fetched.url),)
        except ParseError:
            feeds = find_feed_links(page, url=fetched.url)
            if feeds:
                raise ParseError(f"{NOT_AN_ARTICLE}; it links to a feed you can add instead: {feeds[0]}") from None
            raise
    if kind == "text":
        from tidings.ingest.parse.text_dump import parse_text_dump

        try:
            text = decode_text(fetched.content)
        except InvalidInput as exc:
            raise ParseError(f"this address returned a text file that {exc.message}") from None
        article = parse_text_dump(text)
        if not article.headline or not article.paragraphs:
            raise ParseError("this address returned a text file with no article in it")
        return kind, None, (replace(article, url=fetched.url),)
    if not fetched.content.strip():
        raise ParseError("this address returned an empty document")
    described = fetched.content_type.split(";", 1)[0].strip() or "a document"
    raise ParseError(f"this address returned {described}, which is neither a feed nor a web page")


def read_and_key(fetched: FetchResult, *, keys: bool = True) -> ReadDocument:
    """`read_document` plus every article's store keys (none without `keys`: the store works them out;
    a refresh that parses in another process balances the two processes' work that way, see
    ingest.offload.ForkedFetchSide); raises ParseError."""
    kind, feed, items = read_document(fetched)
    # parse_feed sanitizes each item's HTML already; nh3 is not run over its own output again.
    return ReadDocument(kind, feed, items, items_keys(items, html_sanitized=feed is not None) if keys else ())


def items_keys(items: Sequence[ExtractedArticle], *, html_sanitized: bool = False) -> tuple[ItemKeys, ...]:
    return tuple(item_keys(item, html_sanitized=html_sanitized) for item in items)


def item_keys(item: ExtractedArticle, *, html_sanitized: bool = False) -> ItemKeys:
    """The item's store keys; `html_sanitized`: its body_html is nh3 output already (parse_feed's items)."""
    body_text = item.body_text
    if not item.body_html:
        body_html = paragraphs_to_html(item.paragraphs)
    else:
        body_html = item.body_html if html_sanitized else sanitize_html(item.body_html)
    # Only an absolute http(s) link is stored (lib.urls); an item with any other is kept without a link.
    return ItemKeys(
        url=safe_http_url(canonicalize_url(safe_http_url(item.url))),
        content_hash=content_hash(item.headline, body_text),
        hash_identifies=len(body_text.split()) >= MIN_WORDS_FOR_HASH_DEDUP,
        body_html=body_html,
        line_keys=paragraph_line_keys(item.paragraphs),
    )


def paragraphs_to_html(paragraphs: Sequence[str]) -> str:
    """One <p> per paragraph, escaped (as django.utils.html.escape does: html.escape with quotes)."""
    return "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)


def sanitize_html(markup: str) -> str:
    return nh3.clean(markup)
