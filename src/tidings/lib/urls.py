"""Pure: the one rule for every URL Tidings stores or renders in an href/src: absolute http(s), or nothing.

A link from a feed or a page is untrusted text. A `javascript:`, `data:` or `vbscript:` link rendered
in an href runs script when a reader clicks it, so anything that is not an absolute http(s) URL is
dropped (the article is kept without that link). The check reads the value as a browser's URL parser
does (WHATWG): leading and trailing C0 controls and spaces are ignored and tabs/newlines anywhere are
removed, so `java\tscript:` and `\x01javascript:` are seen for what they are; an entity-encoded value
(`javascript&#58;…`) is also checked decoded, for a consumer that decodes it before use.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin, urlsplit

MAX_URL_LENGTH = 2048  # the URL columns' size: a longer URL is dropped, not cut into a wrong one

_C0_AND_SPACE = "".join(chr(code) for code in range(0x21))
_HTTP_SCHEMES = frozenset({"http", "https"})
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")


def safe_http_url(value: object, base: str | None = None) -> str:
    """`value` as an absolute http(s) URL, or "" when it is not one.

    A relative URL is resolved against `base` (which must itself pass this check); without a base it is
    dropped. A protocol-relative URL (`//host/path`) takes the base's scheme, or https without a base.
    The value comes back as the browser would read it (outer controls and spaces and inner tabs and
    newlines removed, inner spaces as %20), otherwise unchanged.
    """
    if not isinstance(value, str):
        return ""
    url = _as_browser_reads(value)
    if not url or _has_other_scheme(_as_browser_reads(html.unescape(url))):
        return ""
    if _scheme(url) is None:  # relative
        if url.startswith(("//", "\\\\", "/\\", "\\/")) and not base:
            url = "https:" + url
        else:
            safe_base = safe_http_url(base) if base else ""
            if not safe_base:
                return ""
            try:
                url = _as_browser_reads(urljoin(safe_base, url))
            except ValueError:
                return ""
    return url if _is_absolute_http(url) else ""


def is_safe_http_url(value: object) -> bool:
    """Whether `value` is already a stored-safe URL (what safe_http_url returns it as, unchanged)."""
    return isinstance(value, str) and bool(value) and safe_http_url(value) == value


def _as_browser_reads(value: str) -> str:
    url = value.strip(_C0_AND_SPACE)
    if "\t" in url or "\n" in url or "\r" in url:
        url = url.replace("\t", "").replace("\n", "").replace("\r", "")
    if _CONTROL.search(url):
        return ""  # a control character left inside: no honest URL has one
    return url.replace(" ", "%20") if " " in url else url


def _scheme(url: str) -> str | None:
    """The URL's scheme, lower-cased, as a browser finds it; None for a relative URL."""
    match = _SCHEME.match(url)
    return match.group(1).lower() if match else None


def _has_other_scheme(url: str) -> bool:
    scheme = _scheme(url)
    return scheme is not None and scheme not in _HTTP_SCHEMES


def _is_absolute_http(url: str) -> bool:
    if len(url) > MAX_URL_LENGTH or _scheme(url) not in _HTTP_SCHEMES:
        return False
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018  (raises ValueError for a port that is not a number in range)
    except ValueError:
        return False
    return bool(host) and url.lower().startswith(("http://", "https://"))
