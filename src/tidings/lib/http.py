"""What the guarded HTTP client (`tidings.lib.http_async`) shares: the SSRF address guard, responses, errors.

There is no synchronous client: one that resolved a name after the guard checked it could be sent elsewhere by
a second DNS answer (rebinding). The async client connects only to the addresses the guard approved.
"""

from __future__ import annotations

import ipaddress
import logging
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from urllib.parse import urlsplit

from tidings.lib.errors import FetchError, FetchRefused

logger = logging.getLogger(__name__)

MAX_REDIRECTS = 5
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
PERMANENT_STATUSES = frozenset({404, 410})
ALLOWED_SCHEMES = frozenset({"http", "https"})


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


# Networks that Python 3.11's `is_global` still calls global but that no public web server lives in.
_NOT_GLOBAL_EXTRA = tuple(
    ipaddress.ip_network(cidr)
    for cidr in (
        "192.88.99.0/24",  # 6to4 relay anycast (deprecated, RFC 7526)
        "fec0::/10",  # site-local (deprecated, RFC 3879)
        "64:ff9b:1::/48",  # local-use NAT64 (RFC 8215)
        "3fff::/20",  # documentation (RFC 9637)
        "5f00::/16",  # SRv6 SIDs (RFC 9602)
    )
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")  # deprecated ::a.b.c.d
_IPV4_TRANSLATED = ipaddress.ip_network("::ffff:0:0:0/96")  # SIIT ::ffff:0:a.b.c.d (RFC 2765)


def embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address carries: IPv4-mapped, IPv4-compatible and -translated, 6to4,
    NAT64 (64:ff9b::/96) and Teredo (server and client); a packet to it may end at any of them."""
    found: list[ipaddress.IPv4Address] = []
    if ip.ipv4_mapped is not None:
        found.append(ip.ipv4_mapped)
    if ip.sixtofour is not None:
        found.append(ip.sixtofour)
    if ip.teredo is not None:
        found.extend(ip.teredo)
    if ip in _NAT64 or ip in _IPV4_COMPATIBLE or ip in _IPV4_TRANSLATED:
        found.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return found


def is_address_allowed(address: str, allow_networks: Sequence[str]) -> bool:
    """True for a globally routable address (every IPv4 address wrapped inside it too), or any address
    inside one of `allow_networks` (CIDR strings; an IPv4-mapped address counts as its IPv4 address)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    plain = ip.ipv4_mapped if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None else ip
    for cidr in allow_networks:
        try:
            network = ipaddress.ip_network(cidr, strict=False)
        except ValueError:
            logger.warning("fetch_allow_network_invalid value=%r", cidr)
            continue
        if ip in network or plain in network:
            return True
    if isinstance(ip, ipaddress.IPv6Address):
        inner = embedded_ipv4(ip)
        if inner and not all(_is_public(address) for address in inner):
            return False
        if ip.ipv4_mapped is not None:
            return True  # the mapped IPv4 address is the destination, and it is public
    return _is_public(ip)


def _is_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if not ip.is_global or ip.is_multicast:
        return False
    return not any(ip in network for network in _NOT_GLOBAL_EXTRA if network.version == ip.version)


def format_size(num_bytes: int) -> str:
    """Sizes for people: '10 MB', '1.5 KB', '900 bytes'."""
    for unit, size in (("MB", 1024 * 1024), ("KB", 1024)):
        if num_bytes >= size:
            return f"{round(num_bytes / size, 1):g} {unit}"
    return f"{num_bytes} bytes"


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
