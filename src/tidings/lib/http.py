"""The one guarded HTTP client: SSRF guard, hand-followed redirects, size cap, errors for people."""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
import ssl
import time
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from urllib.parse import urljoin, urlsplit

import httpx
from django.conf import settings

from tidings.lib.errors import FetchError, FetchRefused, ResponseTooLarge

logger = logging.getLogger(__name__)

MAX_REDIRECTS = 5
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
PERMANENT_STATUSES = frozenset({404, 410})
ALLOWED_SCHEMES = frozenset({"http", "https"})

_client: httpx.Client | None = None


class HttpStatusError(FetchError):
    """The server answered with an error status; `status_code` holds it."""

    def __init__(
        self, message: str, *, status_code: int, permanent: bool | None = None, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(message, permanent=permanent)
        self.status_code = status_code
        self.headers: Mapping[str, str] = headers or {}


@dataclass(frozen=True, slots=True)
class HttpResponse:
    """A finished response: final URL after redirects, status, lower-cased headers and the whole body."""

    url: str
    status_code: int
    headers: Mapping[str, str] = field(default_factory=dict)
    content: bytes = b""
    permanent_url: str = ""  # the final URL when every redirect on the way was permanent (301/308)

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


def get_client() -> httpx.Client:
    """The process-wide client; per-request settings (timeout, user agent) are passed on each call."""
    global _client
    if _client is None:
        # trust_env=False: no proxy from the environment, so the guard sees the real destination.
        _client = httpx.Client(follow_redirects=False, trust_env=False)
    return _client


def reset() -> None:
    """Close and forget the client (tests, forks)."""
    global _client
    if _client is not None:
        _client.close()
    _client = None


def get(url: str, *, etag: str = "", last_modified: str = "", accept: str = "*/*") -> HttpResponse:
    """GET `url` through the guard; 304 comes back as a response, error statuses raise HttpStatusError."""
    timeout_s = settings.FETCH_TIMEOUT_SECONDS
    headers = {"User-Agent": settings.FETCH_USER_AGENT, "Accept": accept}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    deadline = time.monotonic() + timeout_s
    current = url
    for _hop in range(MAX_REDIRECTS + 1):
        host = check_url_allowed(current)
        status, response_headers, content = _get_once(current, host, headers, timeout_s, deadline)
        if status in REDIRECT_STATUSES and response_headers.get("location"):
            current = urljoin(current, response_headers["location"])
            logger.info("http_redirect status=%s to=%s", status, current)
            continue
        if status >= 400:
            raise HttpStatusError(
                f"the server answered {status} {_reason(status)}",
                status_code=status,
                permanent=status in PERMANENT_STATUSES,
            )
        return HttpResponse(url=current, status_code=status, headers=response_headers, content=content)
    raise FetchError(f"the server redirected more than {MAX_REDIRECTS} times")


def check_url_allowed(url: str) -> str:
    """Refuse non-http(s) URLs and hosts that resolve to a non-public address; return the host name."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        raise FetchRefused(f"only http and https addresses can be fetched, not {parts.scheme or 'this'!r}")
    host = parts.hostname or ""
    if not host:
        raise FetchRefused(f"{url!r} has no host name")
    try:
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    except ValueError:
        raise FetchRefused(f"{url!r} has an invalid port") from None
    for address in resolve(host, port):
        if not is_address_allowed(address, settings.FETCH_ALLOW_NETWORKS):
            what = (
                "is a private or reserved address"
                if host.strip("[]") == address
                else (f"points to a private or reserved address ({address})")
            )
            raise FetchRefused(f"{host} {what}; refusing to fetch it")
    return host


def resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise FetchError(f"could not resolve the host name {host} (no internet?)") from None
    return sorted({str(info[4][0]) for info in infos})


def is_address_allowed(address: str, allow_networks: list[str]) -> bool:
    """True for a public address, or any address inside one of `allow_networks` (CIDR strings)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for cidr in allow_networks:
        try:
            network = ipaddress.ip_network(cidr, strict=False)
        except ValueError:
            logger.warning("fetch_allow_network_invalid value=%r", cidr)
            continue
        if ip in network:
            return True
    return not (
        ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_reserved or ip.is_multicast or ip.is_unspecified
    )


def format_size(num_bytes: int) -> str:
    """Sizes for people: '10 MB', '1.5 KB', '900 bytes'."""
    for unit, size in (("MB", 1024 * 1024), ("KB", 1024)):
        if num_bytes >= size:
            return f"{round(num_bytes / size, 1):g} {unit}"
    return f"{num_bytes} bytes"


def _get_once(
    url: str, host: str, headers: dict[str, str], timeout_s: int, deadline: float
) -> tuple[int, dict[str, str], bytes]:
    limit = settings.FETCH_MAX_BYTES
    too_large = ResponseTooLarge(f"the server sent more than {format_size(limit)}; the limit is {format_size(limit)}")
    try:
        with get_client().stream("GET", url, headers=headers, timeout=httpx.Timeout(timeout_s)) as response:
            response_headers = {key.lower(): value for key, value in response.headers.items()}
            if response.status_code >= 300:  # redirects, 304 and errors: the body is not needed
                return response.status_code, response_headers, b""
            declared = response_headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit:
                raise too_large
            chunks: list[bytes] = []
            received = 0
            for chunk in response.iter_bytes():
                received += len(chunk)
                if received > limit:
                    raise too_large
                if time.monotonic() > deadline:
                    raise FetchError(f"timed out after {timeout_s} s")
                chunks.append(chunk)
            return response.status_code, response_headers, b"".join(chunks)
    except httpx.TimeoutException:
        raise FetchError(f"timed out after {timeout_s} s") from None
    except httpx.ConnectError as exc:
        raise FetchError(f"could not connect to {host} ({_connect_reason(exc)})") from None
    except httpx.DecodingError:
        raise FetchError(f"{host} sent a body that could not be decompressed") from None
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
        raise FetchRefused(f"{url!r} is not an address that can be fetched ({exc})") from None
    except httpx.HTTPError as exc:
        raise FetchError(f"the connection to {host} failed ({exc or type(exc).__name__})") from None


def _connect_reason(exc: BaseException) -> str:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ConnectionRefusedError):
            return "connection refused"
        if isinstance(seen, ssl.SSLCertVerificationError):
            return "its security certificate is not valid"
        if isinstance(seen, ssl.SSLError):
            return "the secure connection failed"
        if isinstance(seen, OSError) and seen.strerror:
            return seen.strerror.lower()
        seen = seen.__cause__ or seen.__context__
    text = str(exc).lower()
    if "connection refused" in text:
        return "connection refused"
    if "certificate" in text:
        return "its security certificate is not valid"
    return text or "no reason given"


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "(unknown status)"


# --- The async client: many fetches at once, politely -------------------------------------------------


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
        connect_timeout_s=min(timeout_s, float(getattr(settings, "FETCH_CONNECT_TIMEOUT_SECONDS", 10))),
        max_bytes=max_bytes,
        max_decompressed_bytes=int(getattr(settings, "FETCH_MAX_DECOMPRESSED_BYTES", max_bytes)),
        user_agent=settings.FETCH_USER_AGENT,
        allow_networks=tuple(settings.FETCH_ALLOW_NETWORKS),
        concurrency=max(1, int(getattr(settings, "FETCH_CONCURRENCY", 32))),
        per_host=max(1, int(getattr(settings, "FETCH_PER_HOST", 2))),
        host_key_path_segments=int(getattr(settings, "FETCH_HOST_KEY_PATH_SEGMENTS", 0)),
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
    """One httpx.AsyncClient with a global and a per-host concurrency limit; use as `async with`."""

    def __init__(self, limits: FetchLimits) -> None:
        self.limits = limits
        self._global = asyncio.Semaphore(limits.concurrency)
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._throttled: dict[str, asyncio.Future[bool]] = {}
        self._resolved: dict[tuple[str, int], list[str]] = {}  # DNS answers for this run (one refresh pass)
        self._client: httpx.AsyncClient | None = None

    async def __aenter__(self) -> AsyncFetcher:
        limits = self.limits
        self._client = httpx.AsyncClient(
            follow_redirects=False,
            trust_env=False,
            limits=httpx.Limits(max_connections=limits.concurrency, max_keepalive_connections=limits.concurrency),
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
        except httpx.TimeoutException as exc:
            what = "could not connect in time" if isinstance(exc, httpx.ConnectTimeout) else "stopped answering"
            raise FetchError(f"timed out: the server {what} (limit {limits.timeout_s:g} s)") from None
        except httpx.ConnectError as exc:
            raise FetchError(f"could not connect to {host} ({_connect_reason(exc)})") from None
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            raise FetchRefused(f"{url!r} is not an address that can be fetched ({exc})") from None
        except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
            raise FetchError(
                f"the connection to {host} broke off before the whole answer arrived ({exc or type(exc).__name__})"
            ) from None
        except httpx.HTTPError as exc:
            raise FetchError(f"the connection to {host} failed ({exc or type(exc).__name__})") from None


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
    parts = urlsplit(url)
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        raise FetchRefused(f"only http and https addresses can be fetched, not {parts.scheme or 'this'!r}")
    host = parts.hostname or ""
    if not host:
        raise FetchRefused(f"{url!r} has no host name")
    try:
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    except ValueError:
        raise FetchRefused(f"{url!r} has an invalid port") from None
    addresses = resolved.get((host, port)) if resolved is not None else None
    if addresses is None:
        addresses = await _resolve_async(host, port)
        if resolved is not None:
            resolved[(host, port)] = addresses
    for address in addresses:
        if not is_address_allowed(address, list(allow_networks)):
            what = (
                "is a private or reserved address"
                if host.strip("[]") == address
                else f"points to a private or reserved address ({address})"
            )
            raise FetchRefused(f"{host} {what}; refusing to fetch it")
    return host
