"""Pure: the canonical form of a URL, one key for addresses that name the same page (dedup, finding a source).

Apart from lib/urls.py (the safety rule every stored or rendered URL passes): courlan takes ~0.15 s to
import, which only the code that compares addresses pays.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from courlan import normalize_url


def canonicalize_url(url: str) -> str:
    """Normalise a URL: lower-case host, no fragment, no tracking parameters, no default port."""
    url = url.strip()
    if not url:
        return ""
    try:
        # Not strict: strict mode also drops query parameters that identify the page (?story=123).
        normalized = str(normalize_url(url, strict=False, trailing_slash=False))
    except (ValueError, TypeError):
        return url
    return urlunsplit(urlsplit(normalized)._replace(fragment=""))
