"""The async client: many fetches at once, politely, through the same guard as `tidings.lib.http`.

httpx's API over aiohttp's HTTP/1.1 implementation (the `httpx-aiohttp` transport): measured here about four
times the requests per second of httpx's own transport (bench/http_clients.py). aiohttp never decompresses
(`auto_decompress=False`; our BoundedDecoder does, under the decompressed-size cap), never follows redirects
(each hop is checked by the SSRF guard first), never reads a proxy from the environment, and connects only to
the addresses the guard approved (`_GuardedResolver`).
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
import zlib
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import aiohttp
import httpx
from aiohttp.abc import AbstractResolver, ResolveResult
from django.conf import settings
from httpx_aiohttp import AiohttpTransport

from tidings.lib.errors import FetchError, FetchRefused, ResponseTooLarge
from tidings.lib.http import (
    MAX_REDIRECTS,
    PERMANENT_STATUSES,
    REDIRECT_STATUSES,
    HttpResponse,
    HttpStatusError,
    _connect_reason,
    _reason,
    fetchable_host_and_port,
    format_size,
    is_address_allowed,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class FetchLimits:
    """What one fetch may cost; built from settings at the edge (see `limits_from_settings`)."""

    timeout_s: float = 20.0  # total deadline per fetch, redirects included
    connect_timeout_s: float = 10.0
    max_bytes: int = 10 * 1024 * 1024  # on the wire
    max_decompressed_bytes: int = 10 * 1024 * 1024
    user_agent: str = "Tidings"
    allow_networks: tuple[str, ...] = ()
    max_redirects: int = MAX_REDIRECTS
    concurrency: int = 32
    per_host: int = 2
    host_key_path_segments: int = 0  # >0 only for simulated webs that put virtual hosts in the path


def limits_from_settings() -> FetchLimits:
    timeout_s = float(settings.FETCH_TIMEOUT_SECONDS)
    max_bytes = int(settings.FETCH_MAX_BYTES)
    return FetchLimits(
        timeout_s=timeout_s,
        connect_timeout_s=min(timeout_s, float(settings.FETCH_CONNECT_TIMEOUT_SECONDS)),
        max_bytes=max_bytes,
        max_decompressed_bytes=int(settings.FETCH_MAX_DECOMPRESSED_BYTES),
        user_agent=settings.FETCH_USER_AGENT,
        allow_networks=tuple(settings.FETCH_ALLOW_NETWORKS),
        concurrency=max(1, int(settings.FETCH_CONCURRENCY)),
        per_host=max(1, int(settings.FETCH_PER_HOST)),
        host_key_path_segments=int(settings.FETCH_HOST_KEY_PATH_SEGMENTS),
    )


def host_key(url: str, path_segments: int = 0) -> str:
    """The politeness key of a URL: its host and port (plus leading path segments, for simulated webs)."""
    parts = urlsplit(url)
    key = (parts.netloc or "").lower()
    if path_segments > 0:
        segments = [s for s in parts.path.split("/") if s][:path_segments]
        key += "/" + "/".join(segments)
    return key


class AsyncFetcher:
    """One httpx.AsyncClient (aiohttp transport) with a global and a per-host concurrency limit; `async with`."""

    def __init__(self, limits: FetchLimits) -> None:
        self.limits = limits
        self._global = asyncio.Semaphore(limits.concurrency)
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._throttled: dict[str, asyncio.Future[bool]] = {}
        self._resolved: dict[tuple[str, int], list[str]] = {}  # DNS answers for this run (one refresh pass)
        self._client: httpx.AsyncClient | None = None

    async def __aenter__(self) -> AsyncFetcher:
        limits = self.limits
        session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(
                limit=limits.concurrency,  # per-host limits are our semaphores, keyed by `host_key`
                resolver=_GuardedResolver(self._resolved),
                ssl=httpx.create_ssl_context(trust_env=False),
            ),
            auto_decompress=False,  # BoundedDecoder inflates under the decompressed-size cap
            cookie_jar=aiohttp.DummyCookieJar(),  # cookies stay httpx's business, as before (no second jar)
            trust_env=False,  # no proxy from the environment, so the guard sees the real destination
        )
        pool = httpx.Limits(max_connections=limits.concurrency, max_keepalive_connections=limits.concurrency)
        self._client = httpx.AsyncClient(
            transport=AiohttpTransport(client=session, limits=pool),
            follow_redirects=False,
            trust_env=False,
            timeout=httpx.Timeout(limits.timeout_s, connect=limits.connect_timeout_s),
        )
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        for held in self._throttled.values():
            held.cancel()
        if self._client is not None:
            await self._client.aclose()

    async def get(self, url: str, *, etag: str = "", last_modified: str = "", accept: str = "*/*") -> HttpResponse:
        """Like `get`, asynchronously: SSRF check on every hop, redirect limit and loop detection, caps, deadline."""
        limits = self.limits
        headers = {"User-Agent": limits.user_agent, "Accept": accept, "Accept-Encoding": "gzip, deflate"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current, seen, all_permanent = url, {url}, True
        deadline: float | None = None
        for _hop in range(limits.max_redirects + 1):
            host = await _check_url_allowed_async(current, limits.allow_networks, self._resolved)
            async with self._host_slot(current), self._global:
                loop = asyncio.get_running_loop()
                deadline = deadline if deadline is not None else loop.time() + limits.timeout_s
                try:
                    async with asyncio.timeout_at(deadline):
                        status, response_headers, content = await self._get_once(current, host, headers)
                except TimeoutError:
                    raise FetchError(
                        f"the server was too slow: no complete answer within {limits.timeout_s:g} s"
                    ) from None
            if status in REDIRECT_STATUSES and response_headers.get("location"):
                all_permanent = all_permanent and status in {301, 308}
                current = urljoin(current, response_headers["location"].strip())
                if current in seen:
                    raise FetchError("the server redirects in a loop", permanent=False)
                seen.add(current)
                logger.info("http_redirect status=%s to=%s", status, current)
                continue
            if status >= 400:
                if status == 429:
                    self._slow_down(current)
                raise HttpStatusError(
                    f"the server answered {status} {_reason(status)}",
                    status_code=status,
                    permanent=status in PERMANENT_STATUSES,
                    headers=response_headers,
                )
            moved = current if all_permanent and current != url else ""
            return HttpResponse(current, status, response_headers, content, permanent_url=moved)
        raise FetchError(f"the server redirected more than {limits.max_redirects} times")

    def _slow_down(self, url: str) -> None:
        """After a 429, take one of the host's slots for the rest of this run (never below one)."""
        key = host_key(url, self.limits.host_key_path_segments)
        if key in self._throttled or self.limits.per_host < 2:
            return
        self._throttled[key] = asyncio.ensure_future(self._host_slot(url).acquire())
        logger.info("http_host_slowed_down host=%s per_host=%d", key, self.limits.per_host - 1)

    def _host_slot(self, url: str) -> asyncio.Semaphore:
        key = host_key(url, self.limits.host_key_path_segments)
        slot = self._hosts.get(key)
        if slot is None:
            slot = self._hosts[key] = asyncio.Semaphore(self.limits.per_host)
        return slot

    async def _get_once(self, url: str, host: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        assert self._client is not None, "use AsyncFetcher as an async context manager"
        limits = self.limits
        wire_limit, body_limit = limits.max_bytes, limits.max_decompressed_bytes
        too_large = ResponseTooLarge(
            f"the server sent more than {format_size(wire_limit)}; the limit is {format_size(wire_limit)}"
        )
        try:
            async with self._client.stream("GET", url, headers=headers) as response:
                response_headers = {key.lower(): value for key, value in response.headers.items()}
                if response.status_code >= 300:
                    return response.status_code, response_headers, b""
                declared = response_headers.get("content-length", "")
                if declared.isdigit() and int(declared) > wire_limit:
                    raise too_large
                decoder = BoundedDecoder(response_headers.get("content-encoding", ""), body_limit)
                received = 0
                async for chunk in response.aiter_raw():
                    received += len(chunk)
                    if received > wire_limit:
                        raise too_large
                    decoder.feed(chunk)
                return response.status_code, response_headers, decoder.finish()
        except (httpx.HTTPError, aiohttp.ClientError) as exc:
            raise _fetch_error(exc, url, host, limits.timeout_s) from None


def _fetch_error(exc: Exception, url: str, host: str, timeout_s: float) -> FetchError:
    """The transport's failure in words; the aiohttp error underneath (if any) decides, not its httpx mapping."""
    cause = exc if isinstance(exc, aiohttp.ClientError) else exc.__cause__
    if not isinstance(cause, aiohttp.ClientError):
        cause = None
    if isinstance(cause, aiohttp.ServerTimeoutError) or (cause is None and isinstance(exc, httpx.TimeoutException)):
        connecting = isinstance(cause, aiohttp.ConnectionTimeoutError) or (
            cause is None and isinstance(exc, httpx.ConnectTimeout)
        )
        what = "could not connect in time" if connecting else "stopped answering"
        return FetchError(f"timed out: the server {what} (limit {timeout_s:g} s)")
    if isinstance(cause, aiohttp.ClientConnectorCertificateError):
        return FetchError(f"could not connect to {host} (its security certificate is not valid)")
    if isinstance(cause, aiohttp.ClientSSLError):
        return FetchError(f"could not connect to {host} (the secure connection failed)")
    if isinstance(cause, aiohttp.ClientConnectorError):
        return FetchError(f"could not connect to {host} ({_connect_reason(cause.os_error)})")
    if cause is None and isinstance(exc, httpx.ConnectError):
        return FetchError(f"could not connect to {host} ({_connect_reason(exc)})")
    if isinstance(cause, aiohttp.InvalidURL | aiohttp.NonHttpUrlClientError) or isinstance(
        exc, httpx.InvalidURL | httpx.UnsupportedProtocol
    ):
        return FetchRefused(f"{url!r} is not an address that can be fetched ({exc})")
    broke_off = (aiohttp.ServerDisconnectedError, aiohttp.ClientOSError, aiohttp.ClientPayloadError)
    if isinstance(cause, broke_off) or isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError):
        return FetchError(
            f"the connection to {host} broke off before the whole answer arrived ({exc or type(exc).__name__})"
        )
    if isinstance(cause, aiohttp.ClientResponseError):  # the server's answer was not valid HTTP
        return FetchError(f"{host} sent an answer that is not valid HTTP ({cause.message})")
    return FetchError(f"the connection to {host} failed ({exc or type(exc).__name__})")


class _GuardedResolver(AbstractResolver):
    """aiohttp's name lookups answered from the guard's own lookups, so a connection goes only to an address
    that was checked (no second DNS answer between the check and the connect); unknown names are refused."""

    def __init__(self, checked: dict[tuple[str, int], list[str]]) -> None:
        self._checked = checked

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        addresses = self._checked.get((_ascii_host(host), port))
        if not addresses:
            raise OSError(f"{host} was not checked by the address guard")
        results: list[ResolveResult] = []
        for address in addresses:
            ip = ipaddress.ip_address(address.split("%", 1)[0])
            results.append(
                {
                    "hostname": host,
                    "host": str(ip),
                    "port": port,
                    "family": socket.AF_INET6 if ip.version == 6 else socket.AF_INET,
                    "proto": 0,
                    "flags": socket.AI_NUMERICHOST,
                }
            )
        return results

    async def close(self) -> None:
        return None


class BoundedDecoder:
    """Decompress gzip/deflate chunk by chunk, never holding more than `limit` bytes (gzip bombs stop early)."""

    def __init__(self, content_encoding: str, limit: int) -> None:
        encoding = content_encoding.strip().lower()
        if encoding in {"", "identity"}:
            self._inflater = None
        elif encoding in {"gzip", "x-gzip"}:
            self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._inflater = zlib.decompressobj()
        else:
            raise FetchError(f"the server used a compression we did not ask for ({encoding})")
        self.limit = limit
        self._parts: list[bytes] = []
        self._size = 0

    def feed(self, chunk: bytes) -> None:
        if self._inflater is None:
            self._add(chunk)
            return
        data = chunk
        try:
            while data:
                self._add(self._inflater.decompress(data, self.limit - self._size + 1))
                data = self._inflater.unconsumed_tail
        except zlib.error:
            raise FetchError("the server sent a compressed body that could not be decompressed") from None

    def finish(self) -> bytes:
        if self._inflater is not None:
            try:
                self._add(self._inflater.flush())
            except zlib.error:
                raise FetchError("the server sent a compressed body that could not be decompressed") from None
        return b"".join(self._parts)

    def _add(self, data: bytes) -> None:
        self._size += len(data)
        if self._size > self.limit:
            raise ResponseTooLarge(
                f"the body inflates to more than {format_size(self.limit)} when decompressed; "
                f"the limit is {format_size(self.limit)}"
            )
        self._parts.append(data)


async def _resolve_async(host: str, port: int) -> list[str]:
    try:
        return [str(ipaddress.ip_address(host.strip("[]")))]  # an IP literal needs no lookup
    except ValueError:
        pass
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise FetchError(f"could not resolve the host name {host} (no internet?)") from None
    return sorted({str(info[4][0]) for info in infos})


async def _check_url_allowed_async(
    url: str, allow_networks: tuple[str, ...], resolved: dict[tuple[str, int], list[str]] | None = None
) -> str:
    """`check_url_allowed` without blocking the event loop on DNS; `resolved` caches lookups for one run."""
    host, port = fetchable_host_and_port(url)
    addresses = resolved.get((host, port)) if resolved is not None else None
    if addresses is None:
        addresses = await _resolve_async(host, port)
        if resolved is not None:
            resolved[(host, port)] = resolved[(_ascii_host(host), port)] = addresses
    for address in addresses:
        if not is_address_allowed(address, list(allow_networks)):
            what = (
                "is a private or reserved address"
                if _is_literal(host, address)
                else f"points to a private or reserved address ({address})"
            )
            raise FetchRefused(f"{host} {what}; refusing to fetch it")
    return host


def _is_literal(host: str, address: str) -> bool:
    """Whether `host` is `address` written as an IP literal (::ffff:10.0.0.1 is ::ffff:a00:1)."""
    try:
        return ipaddress.ip_address(host.strip("[]")) == ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False


def _ascii_host(host: str) -> str:
    """The host name as it goes on the wire (IDNA), the key shared by the guard and `_GuardedResolver`."""
    try:
        return host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return host.lower()
