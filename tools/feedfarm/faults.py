"""Fault kinds, their deterministic assignment to feeds, and the transport faults' responses.

Content faults (malformed XML, wrong encoding, billion laughs, duplicate GUIDs, odd dates, relative
links, JSON Feed with wrong types, 5,000 items) change the document and are written by `formats`;
transport faults (hang, trickle, status codes, redirects, huge body, gzip bomb, reset) are served here.
The README describes each kind and what a robust client must do.
"""

from __future__ import annotations

import asyncio
import random
import struct
import time
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from email.utils import formatdate
from typing import TYPE_CHECKING, Protocol

from .text import SECTIONS

if TYPE_CHECKING:
    from .web import Web


@dataclass(frozen=True, slots=True)
class FaultKind:
    name: str
    expect: str  # what a robust client ends up with (see README)
    summary: str


KINDS = (
    FaultKind("slow_body", "timeout", "200 whose body trickles 16 bytes per interval; never finishes in time"),
    FaultKind("hang", "timeout", "accepts the connection, reads the request, never answers"),
    FaultKind("http_500", "error", "500 Internal Server Error"),
    FaultKind("http_503", "retry_after", "503 with Retry-After: 120 (seconds)"),
    FaultKind("http_429", "retry_after", "429 with Retry-After as an HTTP date 600 s ahead"),
    FaultKind("http_404", "error", "404 Not Found"),
    FaultKind("http_410", "gone", "410 Gone"),
    FaultKind("redirect_301", "items_moved", "301 to the feed's new permanent URL"),
    FaultKind("redirect_308", "items_moved", "308 to the feed's new permanent URL"),
    FaultKind("redirect_302", "items_temporary", "302 to a temporary mirror"),
    FaultKind("redirect_307", "items_temporary", "307 to a temporary mirror"),
    FaultKind("redirect_loop", "error", "302 to a URL that 302s back, forever"),
    FaultKind("malformed_xml", "items", "unescaped &, stray <br>, missing closing tags"),
    FaultKind("wrong_encoding", "items", "declares UTF-8, body is windows-1252"),
    FaultKind("huge_body", "too_large", "60 MB streamed chunked without Content-Length"),
    FaultKind("gzip_bomb", "too_large", "~1 MB gzip that inflates to 1 GiB"),
    FaultKind("billion_laughs", "refused", "nested XML entities (billion laughs)"),
    FaultKind("reset_mid_body", "error", "connection reset (RST) after half the declared body"),
    FaultKind("html_page", "not_a_feed", "an HTML page with a <link rel=alternate> to the real feed"),
    FaultKind("many_items", "items", "a feed with 5,000 items"),
    FaultKind("duplicate_guids", "items", "every item carries the same GUID"),
    FaultKind("bad_dates", "items", "missing, unparseable and far-future item dates"),
    FaultKind("relative_links", "items", "item links relative to the feed URL (xml:base in Atom)"),
    FaultKind("jsonfeed_wrong_types", "items", "JSON Feed with numbers for strings, objects for lists, junk items"),
)
BY_NAME = {k.name: k for k in KINDS}
XML_ONLY = {"malformed_xml", "wrong_encoding", "billion_laughs"}
CONTENT_FAULTS = XML_ONLY | {"many_items", "duplicate_guids", "bad_dates", "relative_links", "jsonfeed_wrong_types"}
MAX_HANG_SECONDS = 3600.0


def assign(web: Web, rng: random.Random) -> None:
    """Give round(faulty x feeds) feeds a fault, cycling through the kinds so each appears."""
    config = web.config
    kinds = [k.name for k in KINDS if not config.faults or k.name in config.faults]
    unknown = set(config.faults) - set(BY_NAME)
    if unknown:
        raise ValueError(f"unknown fault kinds: {', '.join(sorted(unknown))}; known: {', '.join(BY_NAME)}")
    count = min(len(web.feeds), round(config.faulty * len(web.feeds)))
    if not kinds or count == 0:
        return
    for n, index in enumerate(sorted(rng.sample(range(len(web.feeds)), count))):
        feed = web.feeds[index]
        feed.fault = kinds[n % len(kinds)]
        if feed.fault in XML_ONLY and feed.format == "jsonfeed":
            feed.format = "rss2"
        elif feed.fault == "jsonfeed_wrong_types":
            feed.format = "jsonfeed"
        elif feed.fault == "many_items":
            extra = config.many_items - len(web.feed_items(feed))
            feed.article_ids.extend(
                web.add_article(
                    feed.host,
                    feed.section,
                    "brief",
                    web.new_story(rng.choice(SECTIONS)),
                    None,
                    config.epoch - timedelta(days=2, minutes=k),
                )
                for k in range(max(0, extra))
            )


# -- transport faults -------------------------------------------------------------------------------------
class Exchange(Protocol):
    """What the server gives a fault handler (see server.Exchange)."""

    base_url: str

    async def respond(self, status: int, headers: list[tuple[str, str]], body: bytes) -> None: ...
    async def stream(
        self, status: int, headers: list[tuple[str, str]], chunks: AsyncIterator[bytes], length: int | None
    ) -> None: ...
    async def wait_closed_by_client(self, limit: float) -> None: ...
    def reset(self) -> None: ...
    def client_gone(self) -> bool: ...


Render = Callable[[], Awaitable[tuple[bytes, str]]]
TRANSPORT = {
    "slow_body",
    "hang",
    "http_500",
    "http_503",
    "http_429",
    "http_404",
    "http_410",
    "redirect_301",
    "redirect_308",
    "redirect_302",
    "redirect_307",
    "redirect_loop",
    "huge_body",
    "gzip_bomb",
    "reset_mid_body",
}
_NO_STORE = [("Cache-Control", "no-store")]


def _page(status: int, title: str) -> bytes:
    return f"<!doctype html><title>{status} {title}</title><h1>{status} {title}</h1>\n".encode()


async def serve(
    kind: str, ex: Exchange, feed_path: str, render: Render, trickle: float, huge_mb: int, bomb_mb: int
) -> None:
    """Answer a request for a feed that has transport fault `kind`."""
    html = [("Content-Type", "text/html; charset=utf-8"), *_NO_STORE]
    if kind == "hang":
        await ex.wait_closed_by_client(MAX_HANG_SECONDS)
    elif kind == "slow_body":
        body, ctype = await render()
        await ex.stream(200, [("Content-Type", ctype), *_NO_STORE], _trickle(ex, body, trickle), len(body))
    elif kind == "reset_mid_body":
        body, ctype = await render()
        half = len(body) // 2

        async def first_half() -> AsyncIterator[bytes]:
            yield body[:half]
            await asyncio.sleep(0.05)
            ex.reset()

        await ex.stream(200, [("Content-Type", ctype), *_NO_STORE], first_half(), len(body))
    elif kind in ("http_500", "http_404", "http_410"):
        status = int(kind[-3:])
        title = {500: "Internal Server Error", 404: "Not Found", 410: "Gone"}[status]
        await ex.respond(status, html, _page(status, title))
    elif kind == "http_503":
        await ex.respond(503, [*html, ("Retry-After", "120")], _page(503, "Service Unavailable"))
    elif kind == "http_429":
        when = formatdate(time.time() + 600, usegmt=True)
        await ex.respond(429, [*html, ("Retry-After", when)], _page(429, "Too Many Requests"))
    elif kind.startswith("redirect_"):
        await _redirect(kind, ex, feed_path)
    elif kind == "huge_body":
        await ex.stream(
            200,
            [("Content-Type", "application/rss+xml; charset=utf-8"), *_NO_STORE],
            _huge(huge_mb * 1024 * 1024),
            None,
        )
    elif kind == "gzip_bomb":
        bomb = GzipBomb(bomb_mb)
        headers = [("Content-Type", "application/rss+xml; charset=utf-8"), ("Content-Encoding", "gzip"), *_NO_STORE]
        await ex.stream(200, headers, bomb.chunks(), bomb.length)
    else:
        raise ValueError(f"{kind} is not a transport fault")


def alias_path(feed_path: str, folder: str) -> str:
    """/h/x/sec/rss.xml → /h/x/sec/<folder>/rss.xml (v2 = permanent new home, mirror, loop)."""
    head, _, file = feed_path.rpartition("/")
    return f"{head}/{folder}/{file}"


async def _redirect(kind: str, ex: Exchange, feed_path: str) -> None:
    status = int(kind[-3:]) if kind != "redirect_loop" else 302
    folder = {"301": "v2", "308": "v2", "302": "mirror", "307": "mirror", "oop": "loop"}[kind[-3:]]
    location = ex.base_url + alias_path(feed_path, folder)
    await ex.respond(
        status, [("Location", location), ("Content-Type", "text/html; charset=utf-8")], _page(status, "Moved")
    )


async def _trickle(ex: Exchange, body: bytes, interval: float) -> AsyncIterator[bytes]:
    for start in range(0, len(body), 16):
        if ex.client_gone():
            return
        yield body[start : start + 16]
        await asyncio.sleep(interval)


_ITEM = (
    "<item><title>Filler item {n}</title><link>http://127.0.0.1/filler/{n}</link>"
    "<description>" + "Padding text for an oversized feed. " * 40 + "</description></item>\n"
)


async def _huge(total: int) -> AsyncIterator[bytes]:
    head = b'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Huge</title>\n'
    block = "".join(_ITEM.format(n=n) for n in range(40)).encode()
    sent = len(head)
    yield head
    while sent + len(block) < total:
        yield block
        sent += len(block)
        await asyncio.sleep(0)
    tail = b"</channel></rss>\n"
    yield b" " * max(0, total - sent - len(tail)) + tail


class GzipBomb:
    """A gzip stream of an RSS head, `mb` MiB of spaces and a tail, built block by block on demand.

    Each 1 MiB block of spaces is deflated once after a full flush; because a full flush resets the
    compressor's history, the same compressed block can be repeated. The CRC is computed as it streams.
    """

    _cache: dict[str, bytes] = {}

    def __init__(self, mb: int) -> None:
        self.mb = mb
        self.head = b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Bomb</title>'
        self.tail = b"</channel></rss>"
        if not self._cache:
            comp = zlib.compressobj(9, zlib.DEFLATED, -15)
            self._cache["head"] = comp.compress(self.head) + comp.flush(zlib.Z_FULL_FLUSH)
            block = comp.compress(b" " * 1048576) + comp.flush(zlib.Z_FULL_FLUSH)
            again = comp.compress(b" " * 1048576) + comp.flush(zlib.Z_FULL_FLUSH)
            if block != again:  # pragma: no cover - zlib always resets on a full flush
                raise RuntimeError("deflate blocks are not repeatable")
            self._cache["block"] = block
            self._cache["tail"] = comp.compress(self.tail) + comp.flush(zlib.Z_FINISH)
        self.length = 10 + len(self._cache["head"]) + mb * len(self._cache["block"]) + len(self._cache["tail"]) + 8

    async def chunks(self) -> AsyncIterator[bytes]:
        yield b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff" + self._cache["head"]
        crc = zlib.crc32(self.head)
        spaces = b" " * 1048576
        block_crc_input = spaces
        for _ in range(self.mb):
            yield self._cache["block"]
            crc = zlib.crc32(block_crc_input, crc)
            await asyncio.sleep(0)
        crc = zlib.crc32(self.tail, crc)
        size = len(self.head) + self.mb * 1048576 + len(self.tail)
        yield self._cache["tail"] + struct.pack("<II", crc, size & 0xFFFFFFFF)
