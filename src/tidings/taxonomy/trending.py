"""Trending: topics whose share of the news grew most lately, not the biggest ones (pure: counts in, ranking out).

A topic's growth compares its articles in the recent window with what its share of the baseline window
predicts for the recent window's volume; PRIOR pseudo-articles on both sides keep a topic going from 1 to 2
articles from leading, and a topic needs MIN_RECENT recent articles at all. A continent named in every other
article has a steady share, so it does not trend however big it is.
"""

from __future__ import annotations

import heapq
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

RECENT_HOURS = 48
BASELINE_DAYS = 12  # the window before the recent one
MIN_RECENT = 3
PRIOR = 2.0
MIN_GROWTH = 1.0  # a topic whose share did not grow is not trending

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True, slots=True)
class Growth(Generic[K]):
    key: K
    recent: int
    baseline: int
    expected: float  # recent articles the baseline share predicts
    growth: float


def growth_ranking(
    counts: Mapping[K, tuple[int, int]],
    recent_total: int,
    baseline_total: int,
    *,
    min_recent: int = MIN_RECENT,
    prior: float = PRIOR,
    min_growth: float = MIN_GROWTH,
    limit: int | None = None,
) -> list[Growth[K]]:
    """Topics by growth, fastest first; `counts` maps a topic to (recent articles, baseline articles).

    recent_total and baseline_total are all articles in each window. With an empty baseline (a new site) the
    expectation is zero for every topic, so the ranking falls back to recent size. `limit`: only the first
    so many (the same as slicing the whole ranking, without sorting thousands of topics for a few).
    """
    scale = recent_total / baseline_total if baseline_total > 0 else 0.0
    found = []
    for key, (recent, baseline) in counts.items():
        if recent < min_recent:
            continue
        growth = (recent + prior) / (baseline * scale + prior)
        if growth > min_growth or baseline_total == 0:
            found.append((-round(growth, 4), -recent, str(key), key, baseline))
    first = sorted(found) if limit is None else heapq.nsmallest(limit, found)
    return [
        Growth(key, -minus_recent, baseline, round(baseline * scale, 3), -minus_growth)
        for minus_growth, minus_recent, _name, key, baseline in first
    ]
