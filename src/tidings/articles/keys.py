"""The compact lookup key of an article's content hash (the hash itself is tidings.ingest.dedup's)."""

from __future__ import annotations

import hashlib
import re

_HEX16 = re.compile(r"[0-9a-fA-F]{16}")


def content_key(digest: str) -> int:
    """The indexed lookup key of a content hash: its first 8 bytes as a signed 64-bit integer.

    Equal hashes give equal keys; two different hashes may share one, so a key match is only a candidate and
    the hashes themselves are compared after it (ingest.store). For a sha256 hex digest this is what
    PostgreSQL's `('x' || substr(content_hash, 1, 16))::bit(64)::bigint` gives (migration 0008 fills existing
    rows so); anything else (a hash that does not start with 16 hex digits) is keyed by its own sha256.
    """
    head = digest[:16]
    raw = bytes.fromhex(head) if _HEX16.fullmatch(head) else hashlib.sha256(digest.encode("utf-8")).digest()[:8]
    return int.from_bytes(raw, "big", signed=True)
