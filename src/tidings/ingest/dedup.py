"""Pure dedup key: the content hash (the canonical URL is tidings.lib.canonical's)."""

from __future__ import annotations

import hashlib
import unicodedata


def content_hash(headline: str, body_text: str) -> str:
    """Hash of the normalised headline and body: equal for copies that differ only in spacing or case."""
    text = unicodedata.normalize("NFKC", f"{headline}\n{body_text}").casefold()
    text = " ".join(text.split())  # what re.sub(r"\s+", " ", text).strip() gives, three times faster
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
