"""Pure: the long-lived near-duplicate window of an ingest process (band keys and sketches, no fingerprints).

neardup.NearDuplicateIndex holds whole fingerprints for one linking call; BandIndex keeps only what finding
candidates needs across calls, so a 7-day window costs ~400 bytes an article (neardup_service).
"""

from __future__ import annotations

import numpy as np

from tidings.stories.neardup import BANDS, NUM_PERM, band_keys, keys_in_bucket, put_in_bucket


class BandIndex:
    """LSH band keys and a 16-bit MinHash sketch of a window's articles, without fingerprints: ~400 B each.

    For the long-lived window of an ingest process: the fingerprints (shingles, ~3 KB) are not kept, the
    caller fingerprints the few candidates again from their stored text to verify them. Band keys sit in
    one array sorted for numpy's searchsorted; additions wait in a small dict that is merged in every
    `buffer` articles. Each article carries `at` (when it entered, in seconds; `expire` drops it by that)
    and `digest`, a 32-bit token of the text its keys were made from (to notice an edited text).
    """

    def __init__(self, buffer: int = 1024) -> None:
        self._buffer = buffer
        self._keys = np.empty(0, dtype=np.uint32)  # sorted band keys...
        self._owners = np.empty(0, dtype=np.int64)  # ...and the article each belongs to
        self._pks = np.empty(0, dtype=np.int64)  # sorted, one per merged article
        self._at = np.empty(0, dtype=np.float64)  # NaN once removed
        self._digests = np.empty(0, dtype=np.uint32)
        self._sketches = np.empty((0, NUM_PERM), dtype=np.uint16)  # low 16 bits of each MinHash value
        # Not merged yet (never also live among the merged ones): key → (band keys, at, digest, sketch)
        self._pending: dict[int, tuple[np.ndarray, float, int, np.ndarray]] = {}
        self._pending_buckets: dict[int, int | list[int]] = {}  # one key, or a list once shared
        self._merged = 0  # live merged articles

    def __len__(self) -> int:
        return self._merged + len(self._pending)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, int) and (key in self._pending or self._slot(key) is not None)

    @property
    def nbytes(self) -> int:
        """Bytes held, the pending dicts estimated at ~110 bytes a Python entry and ~700 an article."""
        arrays = self._keys, self._owners, self._pks, self._at, self._digests, self._sketches
        return sum(a.nbytes for a in arrays) + len(self._pending) * (BANDS * 110 + 700)

    def digest(self, key: int) -> int | None:
        if key in self._pending:
            return self._pending[key][2]
        slot = self._slot(key)
        return None if slot is None else int(self._digests[slot])

    def add(self, key: int, signature: np.ndarray, at: float, digest: int = 0) -> None:
        """Index (or index again, after an edit) one article's signature."""
        keys = band_keys(signature)
        self._discard_merged(key)
        self._pending[key] = (keys, at, digest, _sketch(signature))
        for bucket in keys.tolist():
            put_in_bucket(self._pending_buckets, bucket, key)
        if len(self._pending) >= self._buffer:
            self.merge()

    def discard(self, key: int) -> None:
        self._pending.pop(key, None)
        self._discard_merged(key)

    def candidates(self, signature: np.ndarray, min_estimate: float = 0.0) -> set[int]:
        """Keys of live articles sharing a band with `signature`, and whose estimated Jaccard reaches `min_estimate`."""
        keys = band_keys(signature)
        found: set[int] = set()
        if len(self._keys):
            lo = np.searchsorted(self._keys, keys, side="left")
            hi = np.searchsorted(self._keys, keys, side="right")
            for start, stop in zip(lo.tolist(), hi.tolist(), strict=True):
                found.update(self._owners[start:stop].tolist())
        for bucket in keys.tolist():
            found.update(keys_in_bucket(self._pending_buckets, bucket))
        sketch = _sketch(signature)
        live = set()
        for key in found:
            if key in self._pending:
                other = self._pending[key][3]
            elif (slot := self._slot(key)) is not None:
                other = self._sketches[slot]
            else:
                continue
            if not min_estimate or np.count_nonzero(other == sketch) >= min_estimate * NUM_PERM:
                live.add(key)
        return live

    def expire(self, before: float) -> int:
        """Drop the articles that entered before `before`; returns how many."""
        old = [key for key, value in self._pending.items() if value[1] < before]
        for key in old:
            self.discard(key)
        stale = self._at < before  # NaN compares False
        self._at[stale] = np.nan
        dropped = int(np.count_nonzero(stale))
        self._merged -= dropped
        return len(old) + dropped

    def trim(self, max_articles: int) -> int:
        """Drop the oldest articles beyond `max_articles`; returns how many."""
        if len(self) <= max_articles:
            return 0
        self.merge()
        excess = self._merged - max_articles
        live = np.flatnonzero(~np.isnan(self._at))
        self._at[live[np.argsort(self._at[live], kind="stable")[:excess]]] = np.nan
        self._merged -= excess
        self.merge()
        return excess

    def _slot(self, key: int) -> int | None:
        slot = int(np.searchsorted(self._pks, key))
        if slot < len(self._pks) and self._pks[slot] == key and not np.isnan(self._at[slot]):
            return slot
        return None

    def merge(self) -> None:
        """Fold the pending articles into the sorted arrays, dropping removed and re-indexed ones."""
        alive = ~np.isnan(self._at)
        keep = np.isin(self._owners, self._pks[alive])
        pending = list(self._pending.items())
        new_keys = [value[0] for _key, value in pending]
        keys = np.concatenate([self._keys[keep], *new_keys])
        owners = np.concatenate([self._owners[keep], np.repeat([k for k, _ in pending], BANDS).astype(np.int64)])
        order = np.argsort(keys, kind="stable")
        self._keys, self._owners = keys[order], owners[order]
        pks = np.concatenate([self._pks[alive], np.array([k for k, _ in pending], dtype=np.int64)])
        at = np.concatenate([self._at[alive], np.array([v[1] for _, v in pending], dtype=np.float64)])
        digests = np.concatenate([self._digests[alive], np.array([v[2] for _, v in pending], dtype=np.uint32)])
        new_sketches = np.array([v[3] for _, v in pending], dtype=np.uint16).reshape(-1, NUM_PERM)
        sketches = np.concatenate([self._sketches[alive], new_sketches])
        order = np.argsort(pks, kind="stable")
        self._pks, self._at, self._digests = pks[order], at[order], digests[order]
        self._sketches = sketches[order]
        self._merged = len(self._pks)
        self._pending.clear()
        self._pending_buckets.clear()

    def _discard_merged(self, key: int) -> None:
        slot = self._slot(key)
        if slot is not None:
            self._at[slot] = np.nan
            self._merged -= 1


def _sketch(signature: np.ndarray) -> np.ndarray:
    return (np.asarray(signature, dtype=np.uint32) & 0xFFFF).astype(np.uint16)
