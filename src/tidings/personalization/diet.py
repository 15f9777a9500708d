"""The News diet: what a reader read, by category and week, next to what they follow (pure).

Input: the articles the reader opened or read (one Reading per article and day, with the top-level categories
it is listed in) and the top-level categories of what they follow. Output: per-week counts by category for
the last N weeks, the share of each category in all that reading, and its share of the follows. An article
in two categories counts half in each, so a week's bars add up to the articles read that week.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

# Keys besides category ids: the categories past the shown ones, and articles filed under no category.
OTHER = -1
UNFILED = 0
DEFAULT_WEEKS = 8
DEFAULT_SHOWN = 6


@dataclass(frozen=True, slots=True)
class Reading:
    """One article the reader opened or read, on one day, with the top-level categories it is listed in."""

    article_id: int
    day: date
    category_ids: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class DietWeek:
    start: date  # a Monday
    articles: int  # distinct articles read that week
    by_category: Mapping[int, float] = field(default_factory=dict)  # keys: shown ids, OTHER, UNFILED


@dataclass(frozen=True, slots=True)
class Diet:
    weeks: tuple[DietWeek, ...]  # oldest first
    categories: tuple[int, ...]  # the keys shown, in legend order (shown ids, then OTHER, UNFILED if used)
    read_share: Mapping[int, float]  # of all articles read in these weeks; sums to 1 (or empty)
    follow_share: Mapping[int, float]  # of the followed categories; sums to 1 (or empty)
    total_read: int

    @property
    def empty(self) -> bool:
        return self.total_read == 0


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def news_diet(
    readings: Iterable[Reading],
    followed_category_ids: Iterable[int],
    today: date,
    weeks: int = DEFAULT_WEEKS,
    shown: int = DEFAULT_SHOWN,
) -> Diet:
    """Fold readings into weekly counts by category and shares against the follows (see the module)."""
    starts = [week_start(today) - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    first = starts[0]
    seen: set[tuple[int, date]] = set()
    raw: dict[date, dict[int, float]] = {start: defaultdict(float) for start in starts}
    counts: dict[date, int] = dict.fromkeys(starts, 0)
    totals: dict[int, float] = defaultdict(float)
    for reading in readings:
        start = week_start(reading.day)
        if start < first or start not in raw or (reading.article_id, start) in seen:
            continue
        seen.add((reading.article_id, start))
        counts[start] += 1
        cats = sorted(reading.category_ids) or [UNFILED]
        for category_id in cats:
            raw[start][category_id] += 1.0 / len(cats)
            totals[category_id] += 1.0 / len(cats)

    follows: dict[int, float] = defaultdict(float)
    for category_id in followed_category_ids:
        follows[category_id] += 1.0
    follow_total = sum(follows.values())
    follow_share_raw = {k: v / follow_total for k, v in follows.items()} if follow_total else {}
    total_read = sum(counts.values())
    read_share_raw = {k: v / total_read for k, v in totals.items()} if total_read else {}

    # Shown: the categories that weigh most in reading and following together; the rest is OTHER.
    candidates = {k for k in (*read_share_raw, *follow_share_raw) if k != UNFILED}
    ranked = sorted(candidates, key=lambda k: (-(read_share_raw.get(k, 0.0) + follow_share_raw.get(k, 0.0)), k))
    kept = ranked[:shown]

    def fold(values: Mapping[int, float]) -> dict[int, float]:
        folded: dict[int, float] = defaultdict(float)
        for key, value in values.items():
            folded[key if key in kept or key == UNFILED else OTHER] += value
        return dict(folded)

    legend = list(kept)
    read_share = fold(read_share_raw)
    follow_share = fold(follow_share_raw)
    for extra in (OTHER, UNFILED):
        if read_share.get(extra) or follow_share.get(extra):
            legend.append(extra)
    return Diet(
        weeks=tuple(DietWeek(start=s, articles=counts[s], by_category=fold(raw[s])) for s in starts),
        categories=tuple(legend),
        read_share=read_share,
        follow_share=follow_share,
        total_read=total_read,
    )


def top_level(category_ids: Iterable[int], parents: Mapping[int, int | None]) -> frozenset[int]:
    """Each category rolled up to its top-level ancestor (parents: id → parent id or None)."""
    tops = set()
    for category_id in category_ids:
        current, hops = category_id, 0
        while parents.get(current) is not None and hops < 10:  # IPTC is shallow; the bound guards a cycle
            current = parents[current]  # type: ignore[assignment]
            hops += 1
        tops.add(current)
    return frozenset(tops)
