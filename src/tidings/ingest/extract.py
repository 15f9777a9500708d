"""Pure: an HTML article page (or an HTML fragment) → clean paragraphs, standfirst, caption and credit."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import urljoin

import lxml.html
import trafilatura
from lxml import etree

from tidings.ingest.types import ExtractedArticle
from tidings.lib.errors import ParseError

NOT_AN_ARTICLE = "this address returned a web page that is neither a feed nor an article"
MIN_ARTICLE_WORDS = 60
MIN_TAGGED_ARTICLE_WORDS = 25  # pages that say og:type=article may be short

_BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "table",
        "tr",
        "section",
        "article",
        "figure",
        "figcaption",
        "header",
        "footer",
        "dd",
        "dt",
        "hr",
    }
)
_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "svg")
_WS = re.compile(r"[ \t\r\f\v\xa0]+")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_DEK_CLASS = re.compile(r"standfirst|\bdek\b|subtitle|subhead|\blede\b|\bintro\b|summary|excerpt|strapline", re.I)
_CREDIT_CLASS = re.compile(r"credit|copyright|photographer|attribution|source", re.I)
_CREDIT_TEXT = re.compile(
    r"[\s;,|\u2013\u2014-]*\(?\s*((?:photo(?:graph)?|image|picture|illustration|credit)s?(?:\s+by)?\s*:\s*[^()]+?"
    r"|©\s*[^()]+?)\s*\)?\s*$",
    re.I,
)
_FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/feed+json", "application/rdf+xml"})
_PUBLISHED_META = (
    "article:published_time",
    "og:published_time",
    "datePublished",
    "date",
    "dc.date",
    "dc.date.issued",
    "pubdate",
    "publish-date",
    "sailthru.date",
)


def extract_article(html: bytes | str, *, url: str = "") -> ExtractedArticle:
    """Read one article page; raises ParseError when the page holds no article text."""
    if not html or not html.strip():
        raise ParseError(NOT_AN_ARTICLE)
    tree = _parse_document(html)
    try:
        document = trafilatura.bare_extraction(
            html,
            url=url or None,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            favor_precision=True,
        )
    except Exception as exc:  # third-party boundary: any failure inside trafilatura means "no article"
        raise ParseError(f"{NOT_AN_ARTICLE} ({type(exc).__name__})") from None
    if document is None or isinstance(document, dict) or document.body is None:
        raise ParseError(NOT_AN_ARTICLE)
    headline = _clean(document.title or "")
    paragraphs = _body_paragraphs(document.body, headline)
    words = sum(len(p.split()) for p in paragraphs)
    needed = MIN_TAGGED_ARTICLE_WORDS if document.pagetype == "article" else MIN_ARTICLE_WORDS
    if not headline or words < needed:
        raise ParseError(NOT_AN_ARTICLE)
    meta = _meta_values(tree)
    standfirst, paragraphs = _standfirst(tree, _clean(document.description or ""), paragraphs)
    caption, credit = _lead_caption_and_credit(tree)
    return ExtractedArticle(
        headline=headline,
        paragraphs=tuple(paragraphs),
        standfirst=standfirst,
        url=document.url or url,
        author=_clean(document.author or ""),
        published_at=_published_at(meta, document.date or ""),
        image_url=document.image or "",
        image_caption=caption,
        image_credit=credit,
        outlet=_clean(document.sitename or ""),
        language=(document.language or _document_language(tree))[:16],
        publisher_categories=tuple(c for c in (document.categories or []) if c)[:20],
    )


def find_feed_links(html: bytes | str, *, url: str = "") -> tuple[str, ...]:
    """Feed addresses a page advertises with <link rel="alternate" type="…rss/atom/feed+json">."""
    tree = _parse_document(html) if html and html.strip() else None
    if tree is None:
        return ()
    links: dict[str, None] = {}
    for link in tree.xpath("//link[@href][@type]"):
        rel = (link.get("rel") or "").lower().split()
        if "alternate" in rel and link.get("type", "").strip().lower() in _FEED_TYPES:
            links.setdefault(urljoin(url, link.get("href", "").strip()) if url else link.get("href", "").strip())
    return tuple(links)


def html_to_paragraphs(html: str) -> tuple[str, ...]:
    """Text paragraphs of an HTML fragment (feed summary or content); plain text is split on blank lines."""
    if not html or not html.strip():
        return ()
    if "<" not in html:
        return _split_paragraphs(html)
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return _split_paragraphs(re.sub(r"<[^>]*>", " ", html))
    for element in root.iter(*_DROP_TAGS):
        element.drop_tree()
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        if tag == "br":
            element.tail = "\n" + (element.tail or "")
        elif tag in _BLOCK_TAGS:
            element.text = "\n\n" + (element.text or "")
            element.tail = "\n\n" + (element.tail or "")
    return _split_paragraphs(root.text_content())


def _split_paragraphs(text: str) -> tuple[str, ...]:
    chunks = (_clean(chunk) for chunk in _PARAGRAPH_BREAK.split(text.replace("\r\n", "\n")))
    return tuple(chunk for chunk in chunks if chunk)


def _clean(text: str) -> str:
    return " ".join(_WS.sub(" ", text).split())


def _parse_document(html: bytes | str) -> etree._Element | None:
    try:
        return lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        pass
    if isinstance(html, str):  # a str with an encoding declaration: lxml wants bytes
        try:
            return lxml.html.document_fromstring(html.encode("utf-8"))
        except (etree.ParserError, ValueError):
            pass
    return None


def _body_paragraphs(body: etree._Element, headline: str) -> list[str]:
    paragraphs: list[str] = []
    for element in body:
        if element.tag in {"graphic", "table"}:
            continue
        if element.tag == "list":
            paragraphs.extend(_clean(item.xpath("string()")) for item in element.iter("item"))
            continue
        text = _clean(element.xpath("string()"))
        if text and not (element.tag == "head" and text == headline):
            paragraphs.append(text)
    return [p for p in paragraphs if p]


def _standfirst(tree: etree._Element | None, description: str, paragraphs: list[str]) -> tuple[str, list[str]]:
    """A marked dek wins (and leaves the body); else the meta description unless it only repeats the body."""
    if tree is not None:
        for element in tree.xpath("//body//*[self::p or self::div or self::h2][@class]"):
            if _DEK_CLASS.search(element.get("class", "")):
                text = _clean(element.text_content())
                if 3 <= len(text.split()) <= 80:
                    return text, [p for p in paragraphs if p != text]
    if description and paragraphs:
        opening = _clean(paragraphs[0].rstrip("…."))
        stem = description.rstrip("…. ")
        if opening.startswith(stem) or stem.startswith(opening):
            return "", paragraphs
    return description, paragraphs


def _lead_caption_and_credit(tree: etree._Element | None) -> tuple[str, str]:
    """Caption and credit of the first figure with an image inside the article (or the page)."""
    if tree is None:
        return "", ""
    figures = tree.xpath("//article//figure[.//img]") or tree.xpath("//body//figure[.//img]")
    for figure in figures:
        captions = figure.xpath(".//figcaption")
        if not captions:
            continue
        caption_element = captions[0]
        credit = ""
        for element in figure.xpath(".//*[@class]"):
            if _CREDIT_CLASS.search(element.get("class", "")):
                credit = _clean(element.text_content())
                element.drop_tree()
                break
        caption = _clean(caption_element.text_content())
        if not credit:
            match = _CREDIT_TEXT.search(caption)
            if match and match.start() > 0:
                credit, caption = _clean(match.group(1)), _clean(caption[: match.start()])
        credit = re.sub(r"^(?:photo(?:graph)?|image|picture|credit)s?(?:\s+by)?\s*:\s*", "", credit, flags=re.I)
        return caption, credit
    return "", ""


def _meta_values(tree: etree._Element | None) -> dict[str, str]:
    values: dict[str, str] = {}
    if tree is None:
        return values
    for meta in tree.xpath("//meta[@content]"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip()
        if key and key not in values:
            values[key] = meta.get("content", "").strip()
    for time_element in tree.xpath("//article//time[@datetime]")[:1]:
        values.setdefault("pubdate", time_element.get("datetime", ""))
    return values


def _published_at(meta: dict[str, str], fallback_date: str) -> datetime | None:
    for key in _PUBLISHED_META:
        parsed = _parse_datetime(meta.get(key, ""))
        if parsed is not None:
            return parsed
    return _parse_datetime(fallback_date)


def _parse_datetime(value: str) -> datetime | None:
    value = value.strip()
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _document_language(tree: etree._Element | None) -> str:
    if tree is None:
        return ""
    return (tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang") or "").strip()
