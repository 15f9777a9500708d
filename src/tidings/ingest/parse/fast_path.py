"""Pure: when the fast feed parser (fastfeedparser) can be trusted with a document, and tidying what it invents.

fastfeedparser is much faster than feedparser but reads some legal constructs wrongly: base64 or XHTML
text constructs, markup inside a title or summary, xml:base, RSS body extensions (xhtml:body, fullitem),
`created` dates, and any document that is not well-formed. Those documents go to the tolerant parser. Its
entries also get an id made from the link when the document has none; that id is dropped so both parsers
leave such a GUID empty.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, MutableMapping, Sequence
from typing import Any
from xml.parsers import expat

_TEXT_CONSTRUCT = rb"(?:title|summary|description|content|subtitle|tagline|rights|info|copyright)"
# One pass finds the element-level constructs; each named group is the reason given in logs. Text constructs
# count only without a prefix or with an Atom one: media:content and media:title carry a MIME type and
# child elements legitimately, and the fast parser reads them.
_MISREAD_ELEMENT = re.compile(
    rb"<(?:(?:atom\d*:)?(?:"
    rb"(?P<typed_text_construct>" + _TEXT_CONSTRUCT + rb"\b[^>]*?\btype\s*=\s*[\"']"
    rb"(?!(?:text|html|plain|text/html|text/plain)[\"']))"
    rb"|(?P<markup_inside_a_text_element>" + _TEXT_CONSTRUCT + rb"(?:\s[^>]*)?>[^<]*<(?![/!]))"
    rb")|(?:[\w.-]+:)?(?:"
    rb"(?P<body_extension>(?:body|fullitem)[\s>])"
    rb"|(?P<created_date>created[\s>])"
    rb"))"
)
NOT_WELL_FORMED = "not well-formed"
_BASE64_MODE = re.compile(rb"\bmode\s*=\s*[\"']base64")
_ID_ELEMENT = re.compile(rb"<(?:[\w.-]+:)?(?:guid|id)[\s>]")
_RDF_ITEM_ABOUT = re.compile(rb"<(?:[\w.-]+:)?item\b[^>]*\brdf:about\s*=")
_LINK_ELEMENT = re.compile(rb"<(?:[\w.-]+:)?link[\s>/]")
_NOT_PERMALINK = re.compile(rb"is[Pp]erma[Ll]ink\s*=\s*[\"']false")
_LINK_VALUE = re.compile(
    rb"<(?:[\w.-]+:)?link\b(?:[^>]*?\bhref\s*=\s*[\"'](?P<href>[^\"']*)[\"'])?[^>]*>"
    rb"(?:\s*<!\[CDATA\[(?P<cdata>.*?)\]\]>|(?P<text>[^<]*))",
    re.DOTALL,
)


def misread_reason(content: bytes) -> str:
    """Why the fast parser would read this document wrongly, or "" when it can be trusted."""
    # Literal checks first: they cost little next to a regular expression over the whole document.
    if b"xml:base" in content:
        return "xml:base"
    if b"base64" in content and _BASE64_MODE.search(content):
        return "base64 content"
    match = _MISREAD_ELEMENT.search(content)
    if match:
        return (match.lastgroup or "").replace("_", " ")
    return "" if well_formed(content) else NOT_WELL_FORMED


def well_formed(content: bytes) -> bool:
    """Whether the document is well-formed XML. After its first error the fast parser's recovering XML parser
    drops every entity reference ("Q&amp;A" comes out "QA", "?a=1&amp;b=2" as "?a=1b=2"); feedparser reads
    such documents right. expat without handlers: about 3% of a parse (no tree is built). The document has
    no internal DTD subset by now (parse.feeds removes it), so no entity is expanded."""
    parser = expat.ParserCreate()
    try:
        parser.Parse(content, True)
    except (expat.ExpatError, ValueError):
        return False
    return True


def tidy_fast_entries(content: bytes, entries: Sequence[MutableMapping[str, Any]]) -> str:
    """Drop ids the fast parser made from links; return a reason to use the tolerant parser instead, or ""."""
    if not entries:
        return ""
    ids = len(_ID_ELEMENT.findall(content))
    if 0 < ids < len(entries):
        return "some entries have no id"
    if ids == 0:
        # Without guid/id elements the fast parser takes an RSS 1.0 item's rdf:about (as feedparser does)
        # or else the link; only the first is the document's own identifier.
        about = len(_RDF_ITEM_ABOUT.findall(content))
        if 0 < about < len(entries):
            return "some items have no rdf:about"
        if about == 0:
            for entry in entries:
                entry.pop("id", None)
    elif any(not entry.get("id") for entry in entries):
        return "an entry's id was not read"
    if any(_lost_text(entry) for entry in entries):
        return "an entry came out empty"
    return _misread_link(content, entries)


def _misread_link(content: bytes, entries: Sequence[Mapping[str, Any]]) -> str:
    """Why an entry's link may not be the one the document gives, or "". The fast parser takes an http GUID
    as link even when the document says it is not a permalink, or when the item's link is an element it does
    not read (an atom:link in an RSS item); and in a document that is not well-formed, its recovering XML
    parser drops entity references ("?a=1&amp;b=2" comes out "?a=1b=2")."""
    links = [str(entry.get("link") or "") for entry in entries]
    if not any(links):
        return ""
    from_guid = {link for link, entry in zip(links, entries, strict=True) if link and link == entry.get("id")}
    link_elements = len(_LINK_ELEMENT.findall(content))
    if from_guid and _NOT_PERMALINK.search(content) and link_elements <= len(entries):
        return "a link may come from a non-permalink GUID"
    written = _link_values(content)
    if from_guid and link_elements >= len(entries) and not from_guid <= written:
        return "a link came from the GUID although the items have links"
    if any(link and link not in written and link not in from_guid for link in links):
        return "a link was not read as the document writes it"
    return ""


def _link_values(content: bytes) -> set[str]:
    """Every URL a link element of the document gives (its text or its href), unescaped."""
    values: set[str] = set()
    for match in _LINK_VALUE.finditer(content):
        raw = match.group("href") or match.group("cdata") or match.group("text") or b""
        values.add(html.unescape(raw.decode("utf-8", errors="replace")).strip())
    return values


def _lost_text(entry: Mapping[str, Any]) -> bool:
    if entry.get("title") or entry.get("description") or entry.get("summary"):
        return False
    return not any(isinstance(c, Mapping) and c.get("value") for c in entry.get("content") or [])


def permalink_guids(content: bytes) -> bool:
    """Whether a GUID may stand in for a missing link: only a guid/id element (not rdf:about) that the
    document does not mark as "not a permalink"."""
    return _NOT_PERMALINK.search(content) is None and _ID_ELEMENT.search(content) is not None
