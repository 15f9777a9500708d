"""The one guarded HTTP client: SSRF guard, hand-followed redirects, size cap, errors for people."""

from __future__ import annotations

import ipaddress
import logging
import socket
import ssl
import time
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


def fetchable_host_and_port(url: str) -> tuple[str, int]:
    """The host and port of an http(s) URL; FetchRefused for any other scheme, no host or a bad port."""
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
    return host, port


def check_url_allowed(url: str) -> str:
    """Refuse non-http(s) URLs and hosts that resolve to a non-public address; return the host name."""
    host, port = fetchable_host_and_port(url)
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
