"""My News ordering: a simple score of recency decay plus how many followed things an article matches.

Pure: takes values (what an article is about, what the profile follows, `now`) and returns values.
Ranking proper (feedback, diversity, stories) comes later in ranking.py.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

# A day-old article weighs half as much as a fresh one for recency.
HALF_LIFE_HOURS = 24.0
# Each further followed thing an article matches adds this much (the first match is implied by selection).
MATCH_WEIGHT = 0.35
# A followed topic is more specific than a followed category or source.
KIND_WEIGHTS: Mapping[str, float] = {"topic": 1.5, "category": 1.0, "source": 1.0}


@dataclass(frozen=True, slots=True)
class FeedCandidate:
    """What My News needs to know about one article to score it."""

    article_id: int
    published_at: datetime
    source_id: int
    category_ids: frozenset[int]  # the followed categories it is listed in (taxonomy.membership)
    topic_ids: frozenset[int]


@dataclass(frozen=True, slots=True)
class Followed:
    """Ids a profile follows, by kind."""

    category_ids: frozenset[int] = frozenset()
    topic_ids: frozenset[int] = frozenset()
    source_ids: frozenset[int] = frozenset()

    @classmethod
    def from_states(cls, states: Mapping[str, Mapping[int, str]]) -> Followed:
        """Build from personalization.services.followed_ids() output, keeping only 'follow' (not 'mute')."""

        def pick(kind: str) -> frozenset[int]:
            return frozenset(i for i, action in states.get(kind, {}).items() if action == "follow")

        return cls(category_ids=pick("category"), topic_ids=pick("topic"), source_ids=pick("source"))


def recency(published_at: datetime, now: datetime) -> float:
    """1.0 for an article published now, halving every HALF_LIFE_HOURS; future dates count as now."""
    age_hours = max((now - published_at).total_seconds() / 3600.0, 0.0)
    return math.pow(0.5, age_hours / HALF_LIFE_HOURS)


def relevance(candidate: FeedCandidate, followed: Followed) -> float:
    """Weighted count of followed things the article matches."""
    return (
        KIND_WEIGHTS["category"] * len(candidate.category_ids & followed.category_ids)
        + KIND_WEIGHTS["topic"] * len(candidate.topic_ids & followed.topic_ids)
        + KIND_WEIGHTS["source"] * (1 if candidate.source_id in followed.source_ids else 0)
    )


def score(candidate: FeedCandidate, followed: Followed, now: datetime) -> float:
    """Recency in [0, 1] plus a bonus for each match beyond the first."""
    extra_matches = max(relevance(candidate, followed) - 1.0, 0.0)
    return recency(candidate.published_at, now) + MATCH_WEIGHT * extra_matches


def rank(candidates: Iterable[FeedCandidate], followed: Followed, now: datetime) -> Sequence[int]:
    """Article ids, best first; ties go to the newer article, then the higher id."""
    scored = sorted(
        candidates,
        key=lambda c: (score(c, followed, now), c.published_at, c.article_id),
        reverse=True,
    )
    return [c.article_id for c in scored]
