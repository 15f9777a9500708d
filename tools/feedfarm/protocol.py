"""Minimal HTTP/1.1 over asyncio streams: keep-alive, HEAD, chunked streaming, and the farm's counters."""

from __future__ import annotations

import asyncio
import socket
import struct
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from email.utils import formatdate
from http import HTTPStatus

MAX_HEAD = 64 * 1024
MAX_REQUEST_BODY = 1024 * 1024


@dataclass
class HostCounters:
    requests: int = 0
    in_flight: int = 0
    max_concurrent: int = 0


@dataclass
class Stats:
    """Counters shown at /stats. Only touched from the event loop thread."""

    requests: int = 0
    status: dict[int, int] = field(default_factory=dict)
    bytes_sent: int = 0
    connections: int = 0
    max_connections: int = 0
    hosts: dict[str, HostCounters] = field(default_factory=dict)
    fault_hits: dict[str, int] = field(default_factory=dict)
    started: float = field(default_factory=time.monotonic)

    def snapshot(self) -> dict[str, object]:
        return {
            "requests": self.requests,
            "200": self.status.get(200, 0),
            "304": self.status.get(304, 0),
            "status": {str(k): v for k, v in sorted(self.status.items())},
            "bytes": self.bytes_sent,
            "connections_open": self.connections,
            "max_connections": self.max_connections,
            "max_concurrent_per_host": max((h.max_concurrent for h in self.hosts.values()), default=0),
            "hosts": {
                slug: {"requests": h.requests, "in_flight": h.in_flight, "max_concurrent": h.max_concurrent}
                for slug, h in sorted(self.hosts.items())
            },
            "fault_hits": dict(sorted(self.fault_hits.items())),
            "uptime_s": round(time.monotonic() - self.started, 3),
        }

    def reset(self) -> None:
        open_now = self.connections
        in_flight = {slug: h.in_flight for slug, h in self.hosts.items()}
        self.__init__()  # type: ignore[misc]
        self.connections = self.max_connections = open_now
        for slug, n in in_flight.items():
            if n:
                self.hosts[slug] = HostCounters(0, n, n)

    def enter_host(self, slug: str) -> None:
        h = self.hosts.setdefault(slug, HostCounters())
        h.requests += 1
        h.in_flight += 1
        h.max_concurrent = max(h.max_concurrent, h.in_flight)

    def leave_host(self, slug: str) -> None:
        h = self.hosts.setdefault(slug, HostCounters())
        h.in_flight = max(0, h.in_flight - 1)


class Exchange:
    """One request and the means to answer it (see faults.Exchange for the fault handlers' view)."""

    def __init__(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        stats: Stats,
        base_url: str,
        method: str,
        target: str,
        version: str,
        headers: dict[str, str],
    ) -> None:
        self.reader, self.writer, self.stats, self.base_url = reader, writer, stats, base_url
        self.method, self.version, self.headers = method, version, headers
        self.path, _, self.query = target.partition("?")
        conn = headers.get("connection", "").lower()
        self.keep_alive = "close" not in conn and (version == "HTTP/1.1" or "keep-alive" in conn)
        self.answered = False
        self.counted = True  # False for control endpoints (/stats, /truth)

    def _head(self, status: int, headers: list[tuple[str, str]], extra: str) -> bytes:
        reason = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Unknown"
        lines = [
            f"HTTP/1.1 {status} {reason}",
            f"Date: {formatdate(usegmt=True)}",
            "Server: feedfarm",
            *(f"{k}: {v}" for k, v in headers),
            *([extra] if extra else []),
            f"Connection: {'keep-alive' if self.keep_alive else 'close'}",
        ]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    def _count(self, status: int, sent: int) -> None:
        self.answered = True
        if not self.counted:
            return
        self.stats.requests += 1
        self.stats.status[status] = self.stats.status.get(status, 0) + 1
        self.stats.bytes_sent += sent

    async def respond(self, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
        no_body = self.method == "HEAD" or status in (204, 304)
        head = self._head(status, headers, f"Content-Length: {len(body)}" if status != 304 else "")
        data = head if no_body else head + body
        self.writer.write(data)
        self._count(status, len(data))
        await self.writer.drain()

    async def stream(
        self, status: int, headers: list[tuple[str, str]], chunks: AsyncIterator[bytes], length: int | None
    ) -> None:
        """Send a body piece by piece: with Content-Length when known, else chunked. Stops if the client goes."""
        framing = f"Content-Length: {length}" if length is not None else "Transfer-Encoding: chunked"
        self.keep_alive = False  # a streamed body ends the connection
        head = self._head(status, headers, framing)
        self.writer.write(head)
        sent = len(head)
        self._count(status, 0)
        if self.method == "HEAD":
            await self.writer.drain()
            return
        try:
            async for chunk in chunks:
                if self.client_gone():
                    break
                data = chunk if length is not None else b"%x\r\n%b\r\n" % (len(chunk), chunk)
                self.writer.write(data)
                sent += len(data)
                await self.writer.drain()
            else:
                if length is None and not self.client_gone():
                    self.writer.write(b"0\r\n\r\n")
                    await self.writer.drain()
        except (ConnectionError, RuntimeError):
            pass
        finally:
            if self.counted:
                self.stats.bytes_sent += sent

    def client_gone(self) -> bool:
        return self.writer.is_closing() or self.reader.at_eof()

    async def wait_closed_by_client(self, limit: float) -> None:
        self.keep_alive = False
        self.answered = True
        self.stats.requests += 1
        try:
            async with asyncio.timeout(limit):
                while await self.reader.read(65536):
                    pass
        except (TimeoutError, ConnectionError):
            pass

    def reset(self) -> None:
        """Abort the connection with a TCP RST (SO_LINGER 0) instead of an orderly FIN."""
        sock = self.writer.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.writer.transport.abort()


Handler = Callable[[Exchange], Awaitable[None]]


async def serve_connection(
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    handler: Handler,
    stats: Stats,
    base_url: str,
    idle_timeout: float = 30.0,
) -> None:
    """Read requests one after another on a keep-alive connection and pass each to `handler`."""
    stats.connections += 1
    stats.max_connections = max(stats.max_connections, stats.connections)
    try:
        while True:
            try:
                async with asyncio.timeout(idle_timeout):
                    raw = await reader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError, ConnectionError):
                break
            lines = raw.decode("latin-1").split("\r\n")
            parts = lines[0].split(" ")
            if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
                ex = Exchange(reader, writer, stats, base_url, "GET", "/", "HTTP/1.0", {"connection": "close"})
                await ex.respond(400, [("Content-Type", "text/plain")], b"bad request line\n")
                break
            headers = {}
            for line in lines[1:]:
                name, sep, value = line.partition(":")
                if sep:
                    headers[name.strip().lower()] = value.strip()
            length = int(headers.get("content-length", "0") or 0)
            if length > MAX_REQUEST_BODY:
                break
            if length:
                await reader.readexactly(length)
            ex = Exchange(reader, writer, stats, base_url, parts[0], parts[1], parts[2], headers)
            await handler(ex)
            if not ex.keep_alive or writer.is_closing():
                break
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        stats.connections -= 1
        if not writer.is_closing():
            writer.close()
