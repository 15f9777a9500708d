"""Pure: near-duplicate articles across outlets (MinHash LSH), verified strictly before they are linked.

Two articles are near-duplicates when one is a light edit of the other: a syndicated copy under a new
headline, a rewrite with a phrase swapped or an update line appended. Different articles about one story
(same event, people and figures, other words) are *not* near-duplicates and are never linked.

Candidates come from MinHash LSH over 5-word shingles of the body: datasketch MinHash signatures, banded
(datasketch's MinHashLSH keeps a set per bucket, ~6 KB an article): NearDuplicateIndex holds the
fingerprints of one linking call, neardup_window.BandIndex only the band keys of a long window (~400 bytes
an article).
Each candidate is then verified on exact shingle Jaccard and containment, on figures (a copy may add
numbers, never contradict them), on names, and on the headline. Precision first: when in doubt, the articles stay apart.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

import numpy as np
from datasketch import MinHash

SHINGLE_WORDS = 5
BANDS, ROWS = 21, 3  # P(candidate) is 0.99 at Jaccard 0.6, 0.94 at 0.5, 0.02 at 0.1: verification decides
NUM_PERM = BANDS * ROWS
MIN_SHINGLES = 16  # 20 words: below, a text (a one-sentence summary) is too short to call a copy of anything
MIN_JACCARD = 0.6  # farm copies >= 0.68, same-story rewrites <= 0.46; real different texts <= 0.31 (design.md)
STRONG_JACCARD = 0.85  # so alike that a different headline does not matter
MIN_CONTAINMENT = 0.8  # share of the shorter text's shingles found in the longer one
# A window proposes only candidates whose MinHash estimate (NUM_PERM values, sd <= 0.063) reaches this:
# a pair at MIN_JACCARD falls below it with p < 0.1%, most same-story rewrites (<= 0.46) do.
MIN_ESTIMATE = 0.4
MIN_NAME_OVERLAP = 0.8
MIN_HEADLINE_OVERLAP = 0.5

_WORD = re.compile(r"\w+", re.UNICODE)
_NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")
_CLOCK = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?")  # "updated at 14:05" is not one of the story's figures
_NAME = re.compile(r"\b[A-Z][\w'\u2019-]*[a-z][\w'\u2019-]*\b")  # a capitalised word: names, places
_STOP_HEADLINE = frozenset(  # words that say nothing about which story a headline tells
    "a an the of in on at to for and or but by with from as is are was were be update latest report".split()
)


@dataclass(frozen=True, slots=True, eq=False)
class Fingerprint:
    """What near-duplicate detection keeps of one article."""

    key: int
    shingles: np.ndarray  # sorted unique uint32 hashes of the body's word shingles
    signature: np.ndarray  # MinHash of the shingles (NUM_PERM uint32 values)
    numbers: np.ndarray  # the same, of the figures in the body (clock times left out)
    names: np.ndarray  # of its capitalised words (people, organisations, places)
    headline_words: np.ndarray  # of its headline's words, minus filler


@dataclass(frozen=True, slots=True)
class Entry:
    """An article as the linker sees it: its fingerprint, its place in time, its current link."""

    fingerprint: Fingerprint
    order: tuple[float, int]  # (published timestamp, id): the smallest is the canonical article
    duplicate_of: int | None = None


@dataclass(frozen=True, slots=True)
class LinkPlan:
    """links: article key → canonical key to set; promotions: old canonical → new (earlier) canonical."""

    links: Mapping[int, int] = field(default_factory=dict)
    promotions: Mapping[int, int] = field(default_factory=dict)


def normalise_words(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def shingle_hashes(text: str, size: int = SHINGLE_WORDS) -> np.ndarray:
    """Sorted unique 32-bit hashes of the text's `size`-word shingles (one shingle for shorter texts)."""
    words = normalise_words(text)
    if not words:
        return np.empty(0, dtype=np.uint32)
    grams = {" ".join(words[i : i + size]) for i in range(max(len(words) - size + 1, 1))}
    return np.unique(np.fromiter((zlib.crc32(g.encode("utf-8")) for g in grams), dtype=np.uint32, count=len(grams)))


@cache
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    return MinHash(num_perm=NUM_PERM, seed=1).permutations


def _identity(value: int) -> int:
    return value


def signature_of(shingles: np.ndarray) -> np.ndarray:
    """The MinHash signature (NUM_PERM uint32 values) of a shingle set."""
    minhash = MinHash(num_perm=NUM_PERM, seed=1, hashfunc=_identity, permutations=_permutations(), scheme="affine32")
    if len(shingles):
        minhash.update_batch(shingles.tolist())
    return np.asarray(minhash.hashvalues, dtype=np.uint32)


_BAND_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9], dtype=np.uint64)
_BAND_SALT = (np.arange(1, BANDS + 1, dtype=np.uint64) * np.uint64(0xD6E8FEB86659FD93)).reshape(-1, 1)


def band_keys(signature: np.ndarray) -> np.ndarray:
    """One 32-bit bucket key per band of ROWS values (the band's number mixed in), stable across processes."""
    bands = np.asarray(signature, dtype=np.uint64).reshape(BANDS, ROWS)
    mixed = (bands * _BAND_MIX).sum(axis=1, dtype=np.uint64) + _BAND_SALT[:, 0]  # wraps modulo 2**64
    mixed ^= mixed >> np.uint64(29)
    mixed *= np.uint64(0xBF58476D1CE4E5B9)
    return (mixed >> np.uint64(32)).astype(np.uint32)


def put_in_bucket(buckets: dict[int, int | list[int]], bucket: int, key: int) -> None:
    """File `key` under `bucket`: one key is held as itself, several as a list."""
    held = buckets.setdefault(bucket, key)
    if isinstance(held, list):
        held.append(key)
    elif held != key:
        buckets[bucket] = [held, key]


def keys_in_bucket(buckets: dict[int, int | list[int]], bucket: int) -> Iterable[int]:
    held = buckets.get(bucket)
    return held if isinstance(held, list) else () if held is None else (held,)


def _hashes(tokens: Iterable[str]) -> np.ndarray:
    unique = {zlib.crc32(token.encode("utf-8")) for token in tokens}
    return np.array(sorted(unique), dtype=np.uint32)


def fingerprint(key: int, headline: str, body_text: str) -> Fingerprint | None:
    """The article's fingerprint, or None when its body is too short to compare safely."""
    shingles = shingle_hashes(body_text)
    if len(shingles) < MIN_SHINGLES:
        return None
    text = unicodedata.normalize("NFKC", body_text)
    return Fingerprint(
        key=key,
        shingles=shingles,
        signature=signature_of(shingles),
        numbers=_hashes(n.replace(",", "") for n in _NUMBER.findall(text) if not _CLOCK.fullmatch(n)),
        names=_hashes(n.replace("\u2019", "'") for n in _NAME.findall(text)),  # curly apostrophe = straight
        headline_words=_hashes(w for w in normalise_words(headline) if w not in _STOP_HEADLINE),
    )


def jaccard(a: Fingerprint, b: Fingerprint) -> tuple[float, float]:
    """Exact (Jaccard, containment of the smaller in the larger) of the two shingle sets."""
    shared = _shared(a.shingles, b.shingles)
    union = len(a.shingles) + len(b.shingles) - shared
    smaller = min(len(a.shingles), len(b.shingles))
    return (shared / union if union else 0.0), (shared / smaller if smaller else 0.0)


def _shared(a: np.ndarray, b: np.ndarray) -> int:
    return len(np.intersect1d(a, b, assume_unique=True))


def _overlap(a: np.ndarray, b: np.ndarray) -> float:
    """Share of the smaller set found in the larger; 1.0 when either is empty."""
    if not len(a) or not len(b):
        return 1.0
    return _shared(a, b) / min(len(a), len(b))


def match_score(a: Fingerprint, b: Fingerprint) -> float | None:
    """The shingle Jaccard of a verified near-duplicate pair; None when they are not near-duplicates."""
    similarity, containment = jaccard(a, b)
    if similarity < MIN_JACCARD or containment < MIN_CONTAINMENT:
        return None
    # A copy may add figures (an update line) but never changes one: both sets, one inside the other.
    if _shared(a.numbers, b.numbers) != min(len(a.numbers), len(b.numbers)):
        return None
    if _overlap(a.names, b.names) < MIN_NAME_OVERLAP:
        return None
    if similarity < STRONG_JACCARD and _overlap(a.headline_words, b.headline_words) < MIN_HEADLINE_OVERLAP:
        return None
    return similarity


class NearDuplicateIndex:
    """An LSH index of whole fingerprints (for one linking call): add, then ask for verified matches."""

    def __init__(self) -> None:
        # Per band: bucket key → one article key, or a list of them once a bucket is shared.
        self._buckets: list[dict[int, int | list[int]]] = [{} for _ in range(BANDS)]
        self._fingerprints: dict[int, Fingerprint] = {}

    def add(self, fp: Fingerprint) -> None:
        if fp.key in self._fingerprints:
            return
        self._fingerprints[fp.key] = fp
        for buckets, bucket in zip(self._buckets, band_keys(fp.signature).tolist(), strict=True):
            put_in_bucket(buckets, bucket, fp.key)

    def get(self, key: int) -> Fingerprint | None:
        return self._fingerprints.get(key)

    def candidates(self, fp: Fingerprint) -> set[int]:
        """Keys sharing at least one LSH bucket with `fp` (itself excluded)."""
        found: set[int] = set()
        for buckets, bucket in zip(self._buckets, band_keys(fp.signature).tolist(), strict=True):
            found.update(keys_in_bucket(buckets, bucket))
        found.discard(fp.key)
        return found

    def matches(self, fp: Fingerprint) -> list[tuple[float, int]]:
        """Verified near-duplicates of `fp` already in the index: (score, key), best first."""
        found = []
        for key in self.candidates(fp):
            if (score := match_score(fp, self._fingerprints[key])) is not None:
                found.append((score, key))
        return sorted(found, key=lambda pair: (-pair[0], pair[1]))


def plan_links(existing: Sequence[Entry], new: Iterable[Entry], index: NearDuplicateIndex | None = None) -> LinkPlan:
    """Link each new article to the group of its best verified near-duplicate; earliest article is canonical.

    A new article joins a group only when it also verifies against the group's canonical article (when
    that one is known), so chains of small edits never pull two different stories together; groups are
    never merged with each other. `index` may be kept between calls (the new articles are added to it);
    keys in it that are not among `existing` or `new` are ignored.
    """
    index = NearDuplicateIndex() if index is None else index
    canonical: dict[int, int] = {}
    order: dict[int, tuple[float, int]] = {}
    for entry in existing:
        key = entry.fingerprint.key
        index.add(entry.fingerprint)
        canonical[key] = entry.duplicate_of or key
        order[key] = entry.order
    links: dict[int, int] = {}
    promotions: dict[int, int] = {}
    for entry in sorted(new, key=lambda e: e.order):
        fp = entry.fingerprint
        if fp.key in canonical:
            continue
        group = _group_for(fp, index, canonical)
        order[fp.key] = entry.order
        index.add(fp)
        if group is None:
            canonical[fp.key] = fp.key
            continue
        if group in order and entry.order < order[group]:
            promotions[group] = fp.key
            for key, head in canonical.items():
                if head == group:
                    canonical[key] = fp.key
                    links[key] = fp.key
            canonical[fp.key] = fp.key
            links.pop(fp.key, None)
        else:
            canonical[fp.key] = group
            links[fp.key] = group
    return LinkPlan(links=links, promotions=_resolve(promotions))


def _group_for(fp: Fingerprint, index: NearDuplicateIndex, canonical: Mapping[int, int]) -> int | None:
    for _score, key in index.matches(fp):
        if key not in canonical:
            continue  # kept in a long-lived index but outside this window
        head = canonical[key]
        head_fp = index.get(head)
        if head == key or head_fp is None or match_score(fp, head_fp) is not None:
            return head
    return None


def _resolve(promotions: Mapping[int, int]) -> dict[int, int]:
    """Follow promotion chains (a → b → c) to their end so each old canonical maps to the final one."""
    resolved = {}
    for old, new in promotions.items():
        seen = {old}
        while new in promotions and new not in seen:
            seen.add(new)
            new = promotions[new]
        resolved[old] = new
    return resolved
