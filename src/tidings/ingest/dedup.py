"""Pure dedup keys: canonical URLs and content hashes."""

from __future__ import annotations

import hashlib
import unicodedata
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


def content_hash(headline: str, body_text: str) -> str:
    """Hash of the normalised headline and body: equal for copies that differ only in spacing or case."""
    text = unicodedata.normalize("NFKC", f"{headline}\n{body_text}").casefold()
    text = " ".join(text.split())  # what re.sub(r"\s+", " ", text).strip() gives, three times faster
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
