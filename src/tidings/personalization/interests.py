"""The implicit profile: what a reader's own actions say they care about, decayed over time (pure).

Input: the reader's logged events (personalization.models.Interaction), each joined to what its article is
about (categories, topics, source, embedding). Output: a score per (kind, id) (positive: wants more of it,
negative: turns it away) and a taste vector (the decayed, weighted mean embedding of what they engaged with).
Ranking (personalization.ranking) reads both; personalization.models.Interest stores the scores.

Weights say how much one event tells: an open is a small yes, reading for minutes a larger one, a save, a share
or "more like this" a clear one; "less like this" and "hide" are clear noes. An impression with no engagement
with that article is a weak no (the reader saw the card and passed): it only counts when the same article got
no positive event, so a card that was shown and then opened is never held against it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

# Evidence of one event, before decay.
EVENT_WEIGHTS: Mapping[str, float] = {
    "open": 1.0,
    "save": 3.0,
    "share": 3.0,
    "more": 4.0,
    "less": -4.0,
    "hide": -6.0,
}
SKIPPED_IMPRESSION_WEIGHT = -0.1
# "read": a base plus a share for each minute read, capped (a tab left open says nothing more).
READ_BASE = 0.5
READ_PER_MINUTE = 0.75
READ_MAX = 2.5
# How much of an event's evidence each thing the article is about receives.
KIND_SHARES: Mapping[str, float] = {"category": 1.0, "topic": 1.0, "source": 0.5}
# Evidence halves every this many days (TIDINGS_INTEREST_HALF_LIFE_DAYS overrides through the caller).
DEFAULT_HALF_LIFE_DAYS = 14.0
POSITIVE_KINDS = frozenset({"open", "read", "save", "share", "more"})


@dataclass(frozen=True, slots=True)
class Event:
    """One interaction, with what its article is about."""

    kind: str  # an InteractionKind value
    at: datetime
    article_id: int | None = None
    value: float = 1.0  # seconds for "read"
    category_ids: frozenset[int] = frozenset()
    topic_ids: frozenset[int] = frozenset()
    source_id: int | None = None
    embedding: Sequence[float] | None = None


@dataclass(frozen=True, slots=True)
class ImplicitProfile:
    """Scores by (kind, id), and the taste vector (unit length, or None when nothing was engaged with)."""

    scores: dict[tuple[str, int], float] = field(default_factory=dict)
    taste: tuple[float, ...] | None = None

    def score(self, kind: str, target_id: int) -> float:
        return self.scores.get((kind, target_id), 0.0)


def event_weight(event: Event) -> float:
    """Evidence of one event before decay (skipped impressions are decided in build_profile)."""
    if event.kind == "read":
        return min(READ_BASE + READ_PER_MINUTE * max(event.value, 0.0) / 60.0, READ_MAX)
    if event.kind == "impression":
        return SKIPPED_IMPRESSION_WEIGHT
    return EVENT_WEIGHTS.get(event.kind, 0.0)


def decay(at: datetime, now: datetime, half_life_days: float = DEFAULT_HALF_LIFE_DAYS) -> float:
    """1.0 for an event now, halving every half_life_days; future times count as now."""
    age_days = max((now - at).total_seconds() / 86400.0, 0.0)
    return math.pow(0.5, age_days / half_life_days)


def build_profile(
    events: Iterable[Event], now: datetime, half_life_days: float = DEFAULT_HALF_LIFE_DAYS
) -> ImplicitProfile:
    """Fold events into decayed scores and a taste vector."""
    events = list(events)
    engaged = {e.article_id for e in events if e.kind in POSITIVE_KINDS and e.article_id is not None}
    scores: dict[tuple[str, int], float] = defaultdict(float)
    taste: list[float] | None = None
    for event in events:
        if event.kind == "impression" and event.article_id in engaged:
            continue
        weight = event_weight(event) * decay(event.at, now, half_life_days)
        if weight == 0.0:
            continue
        for category_id in event.category_ids:
            scores[("category", category_id)] += KIND_SHARES["category"] * weight
        for topic_id in event.topic_ids:
            scores[("topic", topic_id)] += KIND_SHARES["topic"] * weight
        if event.source_id is not None:
            scores[("source", event.source_id)] += KIND_SHARES["source"] * weight
        if weight > 0 and event.embedding is not None:
            if taste is None:
                taste = [0.0] * len(event.embedding)
            if len(event.embedding) == len(taste):
                for i, x in enumerate(event.embedding):
                    taste[i] += weight * x
    return ImplicitProfile(scores=dict(scores), taste=_unit(taste))


def _unit(vector: list[float] | None) -> tuple[float, ...] | None:
    if vector is None:
        return None
    norm = math.sqrt(sum(x * x for x in vector))
    if norm == 0.0:
        return None
    return tuple(x / norm for x in vector)
