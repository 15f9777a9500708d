"""Pure OPML: read a subscription list into feeds, folders and per-entry errors; write one back.

Reading is strict first (defusedxml's SAX parser: entity declarations are refused, so a billion-laughs
file never expands) and tolerant second (listparser, for the many exports that are not well-formed XML).
One bad entry becomes an `OpmlEntryError`; only a file that cannot be read at all raises ParseError.
"""

from __future__ import annotations

import re
import xml.sax
import xml.sax.handler
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from typing import Any
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

import defusedxml
import defusedxml.sax
import listparser
from courlan import normalize_url

from tidings.lib.errors import ParseError

MAX_OPML_BYTES = 10 * 1024 * 1024
MAX_OPML_FEEDS = 5_000
MAX_URL_LENGTH = 2048
FOLDER_SEPARATOR = "/"
FEED_TYPES = frozenset({"rss", "atom", "jsonfeed", "json"})

_WS = re.compile(r"\s+")
# An & that starts no entity or character reference: the commonest flaw in hand-made OPML files.
_BARE_AMPERSAND = re.compile(rb"&(?!#[0-9]+;|#x[0-9a-fA-F]+;|[A-Za-z_][\w.-]*;)")
_DECLARED_ENCODING = re.compile(rb"""\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']""")
_DECLARED_ENCODING_TEXT = re.compile(r"""(\A\ufeff?\s*<\?xml[^>]*?encoding\s*=\s*["'])[^"']*(["'])""")
# Characters XML 1.0 cannot carry, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True, slots=True)
class OpmlFeed:
    """One feed to subscribe to; `folder` is a path such as "News/World" ("" at the top level)."""

    xml_url: str
    title: str = ""
    html_url: str = ""
    folder: str = ""


@dataclass(frozen=True, slots=True)
class OpmlEntryError:
    """An outline that cannot be imported, with the reason in plain words; `line` is 1-based when known."""

    title: str
    url: str
    reason: str
    line: int | None = None

    def describe(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        name = f"“{self.title}” " if self.title else ""
        return f"{where}{name}{self.reason}"


@dataclass(frozen=True, slots=True)
class OpmlDocument:
    """What a file holds: its good feeds, every folder path seen, and the entries that were refused."""

    title: str = ""
    feeds: tuple[OpmlFeed, ...] = ()
    folders: tuple[str, ...] = ()
    errors: tuple[OpmlEntryError, ...] = ()
    warning: str = ""


def parse_opml(data: bytes) -> OpmlDocument:
    """Read OPML bytes; raises ParseError when the file as a whole is unreadable, too big or unsafe."""
    if not data or not data.strip():
        raise ParseError("the file is empty")
    if len(data) > MAX_OPML_BYTES:
        raise ParseError(
            f"the file is {_megabytes(len(data))}; the limit for an OPML file is {_megabytes(MAX_OPML_BYTES)}"
        )
    try:
        return _parse_strictly(data, warning="")
    except xml.sax.SAXParseException as err:
        xml_error = f"{err.getMessage()} on line {err.getLineNumber()}"
    except (LookupError, ValueError) as err:  # an unknown, wrong or multi-byte declared encoding
        xml_error = str(err)
        recoded = _recode_to_utf8(data)
        if recoded is not None:
            try:
                return _parse_strictly(recoded, warning="")
            except (xml.sax.SAXParseException, LookupError, ValueError):
                pass
    repaired = _BARE_AMPERSAND.sub(b"&amp;", data)
    if repaired != data:
        try:
            return _parse_strictly(
                repaired, warning=f"the file is not well-formed XML ({xml_error}): bare & read as &amp;"
            )
        except (xml.sax.SAXParseException, LookupError, ValueError):
            pass
    return _parse_tolerantly(data, xml_error)


def render_opml(feeds: Iterable[OpmlFeed], *, title: str, created: datetime) -> bytes:
    """OPML 2.0 with one nested outline per folder path (feeds keep their order within a folder); UTF-8 bytes."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = _clean_text(title)
    ET.SubElement(head, "dateCreated").text = format_datetime(created)
    body = ET.SubElement(root, "body")
    folders: dict[tuple[str, ...], ET.Element] = {(): body}
    for feed in feeds:
        parent = _folder_element(folders, _split_folder(feed.folder))
        attrs = {"type": "rss", "text": _clean_text(feed.title) or feed.xml_url}
        attrs["title"] = attrs["text"]
        attrs["xmlUrl"] = _clean_text(feed.xml_url)
        if feed.html_url:
            attrs["htmlUrl"] = _clean_text(feed.html_url)
        ET.SubElement(parent, "outline", attrs)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _parse_strictly(data: bytes, *, warning: str) -> OpmlDocument:
    """defusedxml's SAX parser; raises SAXParseException for XML that is not well-formed."""
    handler = _OutlineHandler()
    try:
        defusedxml.sax.parseString(data, handler, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except defusedxml.DefusedXmlException:
        raise ParseError(
            "the file declares XML entities or external references, which are refused for safety"
        ) from None
    except _NotOpml as err:
        raise ParseError(str(err)) from None
    except xml.sax.SAXParseException:
        raise
    except xml.sax.SAXException as err:
        raise ParseError(f"the file is not readable XML: {err.getMessage()}") from None
    if not handler.seen_opml:
        raise ParseError("this is not an OPML file (it has no <opml> element)")
    return _finish(handler.title, handler.entries, handler.folders, handler.errors, warning=warning)


def feed_key(url: str) -> str:
    """The address two spellings of one feed share: host case, default port, tracking parameters, query order,
    trailing slash and fragment do not count. Unlike article URLs, every other query parameter is kept:
    ?section=sport and ?section=news are two feeds."""
    try:
        parts = urlsplit(str(normalize_url(url.strip(), strict=False, trailing_slash=False)))
    except (ValueError, TypeError):
        return url.strip().lower()
    return parts._replace(path=parts.path.rstrip("/"), fragment="").geturl()


def check_feed_url(raw: str) -> tuple[str, str]:
    """(url, "") for a usable http(s) feed address, else ("", the reason in plain words)."""
    url = raw.strip()
    if not url:
        return "", "has no feed address (xmlUrl)"
    if len(url) > MAX_URL_LENGTH:
        return "", f"has a feed address longer than {MAX_URL_LENGTH:,} characters"
    shown = _clip(url)
    if _WS.search(url) or ("://" not in url and ":" not in url.split("/", 1)[0]):
        return "", f"has a feed address that is not a web address: {shown}"
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return "", f"has a feed address that is not a web address: {shown}"
    scheme = parts.scheme.lower()
    if scheme not in {"http", "https"}:
        return "", f"has a feed address that is not http or https ({shown}); only web feeds can be imported"
    if not host:
        return "", f"has a feed address without a host name: {shown}"
    return url, ""


class _NotOpml(xml.sax.SAXException):
    """The document is XML but its root element is not <opml>."""


@dataclass(frozen=True, slots=True)
class _Entry:
    feed: OpmlFeed
    line: int | None


class _OutlineHandler(xml.sax.handler.ContentHandler):
    """Walks <outline> elements: a feed has xmlUrl (or a feed type); any other outline with children is a folder."""

    def __init__(self) -> None:
        super().__init__()
        self.seen_opml = False
        self.title = ""
        self.entries: list[_Entry] = []
        self.folders: list[str] = []
        self.errors: list[OpmlEntryError] = []
        self._stack: list[dict[str, Any]] = []  # open outlines
        self._path: list[str] = []  # tag names from the root
        self._title_text: list[str] | None = None

    def startElement(self, name: str, attrs: Any) -> None:
        tag = name.rsplit(":", 1)[-1].lower()
        if not self._path and tag != "opml":
            raise _NotOpml(f"this is not an OPML file (it is a <{_clip(name, 40)}> document)")
        self.seen_opml = True
        self._path.append(tag)
        if tag == "title" and self._path[-2:-1] == ["head"]:
            self._title_text = []
        elif tag == "outline":
            self._start_outline({key.lower(): value for key, value in attrs.items()})

    def endElement(self, name: str) -> None:
        tag = self._path.pop() if self._path else ""
        if tag == "title" and self._title_text is not None:
            self.title = _clean_text("".join(self._title_text))
            self._title_text = None
        elif tag == "outline" and self._stack:
            self._end_outline(self._stack.pop())

    def characters(self, content: str) -> None:
        if self._title_text is not None:
            self._title_text.append(content)

    def _line(self) -> int | None:
        locator = getattr(self, "_locator", None)
        return locator.getLineNumber() if locator is not None else None

    def _start_outline(self, attrs: dict[str, str]) -> None:
        parent = self._stack[-1] if self._stack else None
        if parent is not None and not parent["is_feed"] and not parent["has_children"]:
            parent["has_children"] = True
            self._note_folder(self._folder_path(self._stack))
        title = _clean_text(attrs.get("text", "")) or _clean_text(attrs.get("title", ""))
        kind = attrs.get("type", "").strip().lower()
        is_feed = "xmlurl" in attrs or kind in FEED_TYPES
        self._stack.append(
            {
                "attrs": attrs,
                "title": title,
                "kind": kind,
                "is_feed": is_feed,
                "has_children": False,
                "line": self._line(),
            }
        )
        if is_feed:
            self._add_feed(attrs, title)

    def _end_outline(self, outline: dict[str, Any]) -> None:
        attrs, title = outline["attrs"], outline["title"]
        if outline["is_feed"] or outline["has_children"]:
            return
        other_url = attrs.get("htmlurl", "").strip() or attrs.get("url", "").strip()
        if outline["kind"] in {"link", "include"}:
            self._refuse(title, other_url, "links to another subscription list, which is not imported", outline["line"])
        elif other_url:
            self._refuse(
                title, other_url, f"has no feed address (xmlUrl), only a web page: {_clip(other_url)}", outline["line"]
            )
        elif title:
            self._note_folder(self._folder_path([*self._stack, outline]))

    def _add_feed(self, attrs: dict[str, str], title: str) -> None:
        raw = attrs.get("xmlurl", "")
        url, reason = check_feed_url(raw)
        html_url = attrs.get("htmlurl", "").strip()
        if not raw.strip() and html_url:
            reason = f"has no feed address (xmlUrl), only a web page: {_clip(html_url)}"
        if reason:
            self._refuse(title, raw.strip(), reason, self._line())
            return
        folder = self._folder_path(self._stack[:-1])
        if not folder:
            folder = _category_folder(attrs.get("category", ""))
            self._note_folder(folder)
        html_url = html_url if check_feed_url(html_url)[0] else ""
        self.entries.append(_Entry(OpmlFeed(url, title[:200], html_url, folder), self._line()))

    @staticmethod
    def _folder_path(outlines: list[dict[str, Any]]) -> str:
        names = [o["title"].replace(FOLDER_SEPARATOR, "-") for o in outlines if not o["is_feed"] and o["title"]]
        return FOLDER_SEPARATOR.join(names)

    def _note_folder(self, folder: str) -> None:
        if folder and folder not in self.folders:
            self.folders.append(folder)

    def _refuse(self, title: str, url: str, reason: str, line: int | None) -> None:
        self.errors.append(OpmlEntryError(title[:200], url[:MAX_URL_LENGTH], reason, line))


def _recode_to_utf8(data: bytes) -> bytes | None:
    """The document in UTF-8 when its declared encoding is one Python knows but expat does not (Shift_JIS,
    GB18030, Big5, UTF-32 ...); None when there is no declaration or the bytes do not decode."""
    match = _DECLARED_ENCODING.match(data)
    if match is None:
        return None
    try:
        text = data.decode(match.group(1).decode("ascii"))
    except (LookupError, ValueError):
        return None
    return _DECLARED_ENCODING_TEXT.sub(r"\g<1>utf-8\g<2>", text, count=1).encode("utf-8")


def _parse_tolerantly(data: bytes, xml_error: str) -> OpmlDocument:
    """listparser reads what a strict parser refuses; entity declarations are refused here too."""
    if b"<!entity" in data.lower():
        raise ParseError("the file declares XML entities, which are refused for safety")
    result = listparser.parse(data)
    if not str(result.get("version", "")).startswith("opml"):
        raise ParseError(f"this is not a readable OPML file ({xml_error})")
    entries: list[_Entry] = []
    folders: list[str] = []
    errors: list[OpmlEntryError] = []
    for item in result.get("feeds", []):
        title = _clean_text(item.get("title", ""))[:200]
        url, reason = check_feed_url(item.get("url", ""))
        if reason:
            errors.append(OpmlEntryError(title, item.get("url", "")[:MAX_URL_LENGTH], reason))
            continue
        categories = item.get("categories") or [[]]
        folder = FOLDER_SEPARATOR.join(name.replace(FOLDER_SEPARATOR, "-") for name in categories[0] if name)
        if folder and folder not in folders:
            folders.append(folder)
        entries.append(_Entry(OpmlFeed(url, title, "", folder), None))
    for item in result.get("opportunities", []):
        title = _clean_text(item.get("title", ""))[:200]
        url = item.get("url", "")[:MAX_URL_LENGTH]
        errors.append(OpmlEntryError(title, url, f"has no feed address (xmlUrl), only a web page: {_clip(url)}"))
    if not entries and not errors:
        raise ParseError(f"this is not a readable OPML file ({xml_error})")
    warning = (
        f"the file is not well-formed XML ({xml_error}); it was read by a tolerant parser, "
        "so some entries may be missing"
    )
    return _finish(_clean_text(result.get("meta", {}).get("title", "")), entries, folders, errors, warning=warning)


def _finish(
    title: str, entries: list[_Entry], folders: list[str], errors: list[OpmlEntryError], *, warning: str
) -> OpmlDocument:
    """Drop repeated feeds (by canonical address) as errors and check the size limit."""
    if len(entries) + len(errors) > MAX_OPML_FEEDS:
        count = len(entries) + len(errors)
        raise ParseError(f"the file lists {count:,} feeds; one import takes at most {MAX_OPML_FEEDS:,}")
    first_seen: dict[str, _Entry] = {}
    feeds: list[OpmlFeed] = []
    refused = list(errors)
    for entry in entries:
        key = feed_key(entry.feed.xml_url)
        earlier = first_seen.get(key)
        if earlier is None:
            first_seen[key] = entry
            feeds.append(entry.feed)
            continue
        where = f" (first on line {earlier.line})" if earlier.line else ""
        refused.append(
            OpmlEntryError(
                entry.feed.title, entry.feed.xml_url, f"repeats a feed listed earlier in this file{where}", entry.line
            )
        )
    refused.sort(key=lambda e: e.line or 0)
    return OpmlDocument(title, tuple(feeds), tuple(folders), tuple(refused), warning)


def _category_folder(category: str) -> str:
    """OPML's category attribute ("/News/World,/Tech"): the first path is the folder."""
    first = category.split(",", 1)[0]
    return FOLDER_SEPARATOR.join(part.strip() for part in first.split("/") if part.strip())


def _split_folder(folder: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in folder.split(FOLDER_SEPARATOR) if part.strip())


def _folder_element(folders: dict[tuple[str, ...], ET.Element], path: tuple[str, ...]) -> ET.Element:
    element = folders.get(path)
    if element is None:
        parent = _folder_element(folders, path[:-1])
        name = _clean_text(path[-1])
        element = ET.SubElement(parent, "outline", {"text": name, "title": name})
        folders[path] = element
    return element


def _clean_text(text: str) -> str:
    return _WS.sub(" ", _NOT_XML.sub("", text or "")).strip()


def _clip(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")
