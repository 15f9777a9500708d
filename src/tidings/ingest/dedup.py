"""Pure dedup keys: canonical URLs and content hashes."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from courlan import normalize_url

_WS = re.compile(r"\s+")


def canonicalize_url(url: str) -> str:
    """Normalise a URL: lower-case host, no fragment, no tracking parameters, no default port."""
    url = url.strip()
    if not url:
        return ""
    try:
        return str(normalize_url(url, strict=True, trailing_slash=False))
    except (ValueError, TypeError):
        return url


def content_hash(headline: str, body_text: str) -> str:
    """Hash of the normalised headline and body: equal for copies that differ only in spacing or case."""
    text = unicodedata.normalize("NFKC", f"{headline}\n{body_text}").casefold()
    text = _WS.sub(" ", text).strip()
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
