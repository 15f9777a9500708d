"""Pure: an HTML article page (or an HTML fragment) → clean paragraphs, standfirst, caption and credit."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urljoin

import lxml.html
import trafilatura
from lxml import etree
from trafilatura.utils import load_html

from tidings.ingest.parse.page_metadata import read_metadata
from tidings.ingest.parse.page_parts import read_lead_caption, read_standfirst
from tidings.ingest.types import ExtractedArticle
from tidings.lib.errors import ParseError

NOT_AN_ARTICLE = "this address returned a web page that is neither a feed nor an article"
MIN_ARTICLE_WORDS = 60
MIN_TAGGED_ARTICLE_WORDS = 25  # pages that say og:type=article may be short
READABLE_WORDS = 25  # under MIN_*_WORDS a page is still read when trafilatura finds this much text outside links
LINK_HEADLINE_WORDS = 4  # link texts this long count as links, not prose, when a reading is judged readable
HEADLINE_WORDS = 12  # a page without any title is headed by its opening words
# When the fast precise reading is checked in balanced mode (with readability and jusText):
FALLBACK_SHARE = 0.25  # it holds less than this share of the page's visible characters
PRECISION_SHARE = 0.6  # ...and the balanced reading is kept when the precise one has less than this share of it
# Body clean-up, after extraction:
LINK_LIST_SHARE = 0.6  # a list whose item text is mostly links is navigation or "related articles"
LINK_LINE_SHARE = 0.9  # a short block that is (almost) all link is a headline pointing elsewhere
LINK_LINE_WORDS = 25
FURNITURE_MAX_WORDS = 40  # calls to action are short; a long paragraph starting "Subscribe…" is kept
_FURNITURE = re.compile(
    r"(?:read|see|watch|listen)\s+(?:more|also|next|now)\b\s*[:.\-|\u2013\u2014]"
    r"|(?:also|related|recommended)\s*(?:read|on|reading|stories|articles)?\s*[:|\u2013\u2014]"
    r"|don'?t\s+miss\b|(?:sign\s+up|subscribe)\b|click\s+here\b|(?:like|enjoyed?|loved?)\s+this\s+(?:story|article)\b"
    r"|share\s+(?:this|on)\b|follow\s+us\b|(?:order\s+reprints|print\s+article)$|(?:copyright|\u00a9)\s",
    re.I,
)
JOIN_LEVELS = 3  # same-class body blocks are joined when they share an ancestor this close
_BODY_CLASS = re.compile(r"(?:article|story|entry|post)[-_]{0,2}(?:body|content|text)\b", re.I)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")

# Read by read_metadata first, then removed before trafilatura copies the tree (it drops them too):
_HIDDEN_TAGS = ("head", "script", "style", "noscript", "template", "svg", "iframe", "object", "embed", "canvas")
_WS = re.compile(r"[ \t\r\f\v\xa0]+")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/feed+json", "application/rdf+xml"})


def extract_article(html: bytes | str, *, url: str = "") -> ExtractedArticle:
    """Read one article page; raises ParseError when the page holds no article text.

    Scripts, styles and the head go once the metadata is read, and an article body that the page
    splits into several same-class blocks (around adverts) is joined into one. The body then comes
    from trafilatura in precision mode with its own rules only (fast). A reading
    that looks wrong (too short, a small share of the page's text, or the page's layout table
    itself) is checked against the balanced mode with trafilatura's readability and jusText
    fallbacks, and the better reading kept. The body is then cleaned: the headline, link-only
    lines and lists (related articles) and calls to action leave it.
    """
    if not html or not html.strip():
        raise ParseError(NOT_AN_ARTICLE)
    tree = _load(html)
    if tree is None:
        raise ParseError(NOT_AN_ARTICLE)
    metadata = read_metadata(tree, url)
    etree.strip_elements(tree, *_HIDDEN_TAGS, with_tail=False)
    _join_split_bodies(tree)
    body = _choose_body(tree, url)
    headline = _clean(metadata.title)
    # No body in precision mode is not yet "no article": the readable-text check below reads the page again.
    paragraphs = _body_paragraphs(body, headline) if body is not None else []
    needed = MIN_TAGGED_ARTICLE_WORDS if metadata.pagetype == "article" else MIN_ARTICLE_WORDS
    link_texts = _link_texts(tree)
    if not headline or _words(paragraphs) < needed or _prose_words(paragraphs, link_texts) < READABLE_WORDS:
        paragraphs = _readable_main_text(html, url, headline, link_texts)
        headline = headline or _headline_from(paragraphs)
    standfirst, paragraphs = read_standfirst(tree, headline, metadata.description, paragraphs)
    if not paragraphs:  # the only text was the headline or the standfirst
        raise ParseError(NOT_AN_ARTICLE)
    caption, credit = read_lead_caption(tree)
    return ExtractedArticle(
        headline=headline,
        paragraphs=tuple(paragraphs),
        standfirst=standfirst,
        url=metadata.url,
        author=metadata.author,
        published_at=metadata.published_at,
        image_url=metadata.image,
        image_caption=caption,
        image_credit=credit,
        outlet=metadata.sitename,
        language=metadata.language,
        publisher_categories=metadata.categories,
    )


def _readable_main_text(html: bytes | str, url: str, headline: str, link_texts: set[str]) -> list[str]:
    """Our reading was too short for an article: trafilatura's default reading of the page as served
    (scripts kept, so its JSON-LD and whole-page rescues run), cleaned only of the headline. A page
    with no readable main text there (under READABLE_WORDS words outside links) is no article."""
    tree = _load(html)
    if tree is None:
        raise ParseError(NOT_AN_ARTICLE)
    body = _run_trafilatura(tree, url, fast=False)
    if body is None:
        raise ParseError(NOT_AN_ARTICLE)
    paragraphs = _body_paragraphs(body, headline, filters=False)
    if _prose_words(paragraphs, link_texts) < READABLE_WORDS:
        raise ParseError(NOT_AN_ARTICLE)
    return paragraphs


def _link_texts(tree: etree._Element) -> set[str]:
    """Texts of the page's links long enough to be headlines (a short one, "Home" or a name, also occurs in prose)."""
    texts = {_clean(link.text_content()) for link in tree.iter("a")}
    return {text for text in texts if _size(text) >= LINK_HEADLINE_WORDS}


def _prose_words(paragraphs: list[str], link_texts: set[str]) -> int:
    """Words of the paragraphs that are not the text of one of the page's links (however the reading
    marked them: a whole-page rescue returns plain text)."""
    text = "\n".join(paragraphs)
    linked = sum(_size(link) * text.count(link) for link in link_texts)
    return max(0, _size(text) - linked)


def _headline_from(paragraphs: list[str]) -> str:
    """A page with a main text but no title, heading or title meta: its opening words stand in."""
    words = paragraphs[0].split()
    return " ".join(words[:HEADLINE_WORDS]) + ("…" if len(words) > HEADLINE_WORDS else "")


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


def _clean(text: str) -> str:
    """Spaces collapsed, and Unicode in composed form (NFC), as trafilatura's own text output is: a page may
    spell one letter in two ways (Bengali U+09DC or U+09A1 U+09BC), and a search must find both."""
    return unicodedata.normalize("NFC", " ".join(_WS.sub(" ", text).split()))


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


def _load(html: bytes | str) -> etree._Element | None:
    try:
        return load_html(html)
    except Exception:  # third-party boundary: an undecodable document is "no article"
        return None


def _join_split_bodies(tree: etree._Element) -> None:
    """An article body printed in several same-class blocks (split by ads or asides) becomes one block,
    so the extractor, which takes the first matching block, reads all of it."""
    groups: dict[str, list[etree._Element]] = {}
    body = tree.find("body")
    for element in body.iter("div", "section") if body is not None else ():
        cls = element.get("class") or ""
        if _BODY_CLASS.search(cls):
            groups.setdefault(cls, []).append(element)
    for members in groups.values():
        if len(members) < 2:
            continue
        first = members[0]
        near = set(_ancestors(first, JOIN_LEVELS))
        if any(first in m.iterancestors() or m in near or near.isdisjoint(_ancestors(m, JOIN_LEVELS)) for m in members):
            continue  # nested, or not neighbours in the same part of the page (a sidebar list of posts)
        for other in members[1:]:
            for child in list(other):
                first.append(child)
            other.drop_tree()


def _ancestors(element: etree._Element, levels: int) -> list[etree._Element]:
    found: list[etree._Element] = []
    for ancestor in element.iterancestors():
        if len(found) == levels:
            break
        found.append(ancestor)
    return found


def _choose_body(tree: etree._Element, url: str) -> etree._Element | None:
    body = _run_trafilatura(tree, url, fast=True)
    size = _text_size(body)
    layout = body is not None and _has_layout_table(body)
    if size >= MIN_ARTICLE_WORDS and not layout and _text_chars(body) >= FALLBACK_SHARE * _visible_text_chars(tree):
        return body
    checked = _run_trafilatura(tree, url, fast=False)
    checked_size = _text_size(checked)
    if checked is None or checked_size < MIN_TAGGED_ARTICLE_WORDS:
        return body
    if checked_size * PRECISION_SHARE > size or (layout and not _has_layout_table(checked)):
        return checked
    return body


def _run_trafilatura(tree: etree._Element, url: str, *, fast: bool) -> etree._Element | None:
    """The body in precision mode (fast: trafilatura's own rules only), or in balanced mode checked
    against its readability and jusText fallbacks."""
    try:
        document = trafilatura.bare_extraction(
            tree,
            url=url or None,
            include_comments=False,
            include_links=True,
            favor_precision=fast,
            fast=fast,
        )
    except Exception as exc:  # third-party boundary: any failure inside trafilatura means "no article"
        raise ParseError(f"{NOT_AN_ARTICLE} ({type(exc).__name__})") from None
    if document is None or isinstance(document, dict):
        return None
    return document.body


def _size(text: str) -> int:
    """Words, counting two CJK characters as one word (those scripts do not put spaces between words)."""
    return len(text.split()) + len(_CJK.findall(text)) // 2


def _words(paragraphs: list[str]) -> int:
    return sum(_size(p) for p in paragraphs)


def _text_size(body: etree._Element | None) -> int:
    return 0 if body is None else _size(body.xpath("string()"))


def _text_chars(body: etree._Element | None) -> int:
    return 0 if body is None else _ink(body.xpath("string()"))


def _visible_text_chars(tree: etree._Element) -> int:
    """Characters of the page body (scripts and styles already gone): all a reader could see, boilerplate too."""
    body = tree.find("body")
    if body is None:
        return 0
    return _ink(body.text_content())


def _ink(text: str) -> int:
    """Characters other than spaces, tabs and newlines (cheap: no regex over a whole page)."""
    return len(text) - text.count(" ") - text.count("\n") - text.count("\t") - text.count("\r")


def _body_paragraphs(body: etree._Element, headline: str, *, filters: bool = True) -> list[str]:
    """One paragraph per block; table rows become lines; the repeated headline leaves, and with
    `filters` so do link lists, link-only lines and calls to action."""
    paragraphs: list[str] = []
    for line_break in body.iter("lb", "br"):  # a line break separates words; two in a row, paragraphs
        line_break.tail = "\n" + (line_break.tail or "")
    for element in body:
        if element.tag == "graphic":
            continue
        if element.tag == "list":
            if filters and _link_share(element) >= LINK_LIST_SHARE:
                continue
            texts = [_clean(item.xpath("string()")) for item in element.iter("item")]
        elif element.tag == "table" and _is_layout_table(element):
            for block in element.iter("p", "head", "item", "quote", "cell", "row"):
                block.text, block.tail = "\n\n" + (block.text or ""), "\n\n" + (block.tail or "")
            texts = [_clean(chunk) for chunk in _PARAGRAPH_BREAK.split(element.xpath("string()"))]
        elif element.tag == "table":
            rows = element.iter("row")
            texts = [_clean(" ".join(cell.xpath("string()") for cell in row.iter("cell"))) for row in rows]
        elif filters and _is_link_line(element):
            continue
        else:
            texts = [_clean(chunk) for chunk in _PARAGRAPH_BREAK.split(element.xpath("string()"))]
        for text in texts:
            if text and text != headline and not (filters and _is_furniture(text)):
                paragraphs.append(text)
    return paragraphs


def _is_furniture(text: str) -> bool:
    """Calls to action a page puts between or after the story's paragraphs ("READ MORE: …", "Sign up …")."""
    return len(text.split()) <= FURNITURE_MAX_WORDS and bool(_FURNITURE.match(text))


def _has_layout_table(body: etree._Element) -> bool:
    return any(_is_layout_table(table) for table in body.iterfind("table"))


def _is_layout_table(table: etree._Element) -> bool:
    """A table used for page layout: its cells hold paragraphs and headings, not data."""
    return table.find(".//cell/p") is not None or table.find(".//cell/head") is not None


def _is_link_line(element: etree._Element) -> bool:
    """A short block that is all link ("Related: …" headlines between or after the paragraphs)."""
    return element.find(".//ref") is not None and (
        _size(element.xpath("string()")) <= LINK_LINE_WORDS and _link_share(element) >= LINK_LINE_SHARE
    )


def _link_share(element: etree._Element) -> float:
    text = len(_clean(element.xpath("string()")))
    linked = sum(len(_clean(ref.xpath("string()"))) for ref in element.iter("ref"))
    return linked / text if text else 1.0
