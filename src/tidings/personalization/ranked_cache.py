"""A reader's ranked My News, kept for SHARED_POOLS_SECONDS: the next page, a reload or the feed reuse it.

Ranking a reader's candidates (the followed pool's queries, describing, scoring, one per story, diversity) is
most of My News' time, and its result changes only with what it is computed from: the reader
(personalization.ranking_types.ReaderProfile: follows, mutes, learned interests, taste, read and hidden
articles and stories) and the shared pools' generation (personalization.candidates.pools_generation: the newest
article, story link and listing row, and the time bucket). The cache key holds both, the reader as a digest of
every field of its ReaderProfile, so a follow, a hide or a read changes the key at once and a new article
starts a new generation; what the generation does not watch (a duplicate mark, a story merge) shows within
SHARED_POOLS_SECONDS, as for the shared pools. Nothing is kept when SHARED_POOLS_SECONDS is 0.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterable, Mapping, Set
from datetime import datetime

from django.conf import settings
from django.core.cache import cache

from tidings.personalization.candidates import pools_generation
from tidings.personalization.ranking_types import Ranked, ReaderProfile, Reason, Target


def reader_digest(reader: ReaderProfile) -> str:
    """A digest of every field of the reader (mappings and sets in sorted order): equal readers, equal digests."""
    parts: list[object] = []
    for f in dataclasses.fields(reader):
        value = getattr(reader, f.name)
        if isinstance(value, Mapping):
            value = sorted(value.items())
        elif isinstance(value, Set):
            value = sorted(value)
        elif value is not None:
            value = tuple(value) if not isinstance(value, str | int | float) else value
        parts.append((f.name, value))
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def ranked_for(
    reader: ReaderProfile,
    now: datetime,
    compute: Callable[[str | None], list[Ranked]],
    varies_with: object = None,
    generation: str | None = None,
) -> list[Ranked]:
    """The reader's ranked list: from the cache when an equal reader was ranked in this generation, else
    compute(generation) (the generation handed on, so the candidates' shared pools need not read it again).
    varies_with: anything else the list is computed from (its repr goes into the key: the muted words);
    generation: pools_generation(now), when the caller has read it already in this request."""
    generation = generation or pools_generation(now)
    if generation is None:
        return compute(None)
    extra = hashlib.blake2b(repr(varies_with).encode(), digest_size=8).hexdigest()
    key = f"tidings:ranked:{generation}:{reader_digest(reader)}:{extra}"
    packed: list[Packed] | None = cache.get(key)
    if packed is not None:
        return unpacked(packed)
    found = compute(generation)
    cache.set(key, [_packed(r) for r in found], settings.SHARED_POOLS_SECONDS)
    return found


Packed = tuple[int, int | None, float, str, Target | None, int]  # a Ranked as plain values


def _packed(ranked: Ranked) -> Packed:
    """A Ranked as a tuple of plain values: pickled at a fraction of the cost of the dataclasses (whose
    __getstate__ lists their fields for every object), with the same values."""
    reason = ranked.reason
    return (ranked.article_id, ranked.story_id, ranked.score, reason.kind, reason.target, reason.count)


def unpacked(rows: Iterable[Packed]) -> list[Ranked]:
    """The Ranked list _packed() made (equal reasons are one object)."""
    reasons: dict[tuple[str, Target | None, int], Reason] = {}
    found = []
    for article_id, story_id, score, kind, target, count in rows:
        reason = reasons.get((kind, target, count))
        if reason is None:
            reason = reasons[(kind, target, count)] = Reason(kind, target, count)
        found.append(Ranked(article_id, story_id, score, reason))
    return found
