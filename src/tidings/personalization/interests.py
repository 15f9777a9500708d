"""The implicit profile: what a reader's own actions say they care about, decayed over time (pure).

Input: the reader's logged events (personalization.models.Interaction), each joined to what its article is
about (categories, topics, source, embedding). Output: a score per (kind, id) and a taste vector (the decayed,
weighted mean embedding of what they engaged with). Ranking (personalization.ranking) reads both;
personalization.models.Interest stores the scores.

A score is a log lift: how much more (positive) or less (negative) than their own average the reader engages
with articles about that thing, estimated as a rate per impression with a prior:
- each article the reader was shown, or engaged with, is one trial: `shown` is its impressions (decayed; an
  article engaged with but never logged as shown counts as shown once), `engaged` the evidence of what they did
  with it (an open is 1, reading for minutes adds up to READ_MAX, a save or a share 3, "more like this" 4);
  "less like this" and "hide" are clear noes: they count as that many impressions passed over;
- the reader's own rate r = (all engaged + BASE_STRENGTH x BASE_RATE) / (all shown + BASE_STRENGTH);
- the typical rate m of a kind (categories, topics, sources) is the mean over its things of their rates shrunk
  towards r, (engaged + PRIOR_STRENGTH x r) / (shown + PRIOR_STRENGTH): each thing counts once, however often it
  was shown (r alone would be the yardstick of what the reader was mostly shown: what they already like);
- a thing's rate is shrunk towards m the same way, so a thing seen on a few cards stays near m and one shown
  often and skipped falls below it (empirical Bayes: a Beta prior of PRIOR_STRENGTH impressions at m);
- score = ln(thing's rate / m): 0 for no evidence (an unknown thing is a typical one), ln 2 for twice as
  engaging as the typical thing of its kind;
- a topic is measured against its section instead: m is the rate its cards' categories predict (each card's best
  category's shrunk rate, impression-weighted), so its score is what it adds beyond them. A reader of all of
  sport gets no lift for every club sport covers (ranking would count the category twice); one who reads one club
  inside a section they skip does. Cards with no category are measured against the typical topic rate.
So a card shown and passed over lowers what it is about, and one shown and opened is never held against it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

Target = tuple[str, int]  # ("category" | "topic" | "source", id), as personalization.ranking_types has it

# Evidence of one event, before decay (negative: a no, counted as that many impressions passed over).
EVENT_WEIGHTS: Mapping[str, float] = {
    "open": 1.0,
    "save": 3.0,
    "share": 3.0,
    "more": 4.0,
    "less": -4.0,
    "hide": -6.0,
}
# "read": a base plus a share for each minute read, capped (a tab left open says nothing more).
READ_BASE = 0.5
READ_PER_MINUTE = 0.75
READ_MAX = 2.5
# The prior of a thing's rate: worth this many impressions at the reader's own rate.
PRIOR_STRENGTH = 8.0
# The prior of the reader's own rate (a new reader): worth this many impressions at this rate.
BASE_RATE = 0.1
BASE_STRENGTH = 10.0
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
    """Scores (log lifts) by (kind, id), and the taste vector (unit length, or None when nothing was engaged with)."""

    scores: dict[tuple[str, int], float] = field(default_factory=dict)
    taste: tuple[float, ...] | None = None

    def score(self, kind: str, target_id: int) -> float:
        return self.scores.get((kind, target_id), 0.0)


def event_weight(event: Event) -> float:
    """Evidence of one event before decay (an impression is a trial, not evidence: 0)."""
    if event.kind == "read":
        return min(READ_BASE + READ_PER_MINUTE * max(event.value, 0.0) / 60.0, READ_MAX)
    return EVENT_WEIGHTS.get(event.kind, 0.0)


def decay(at: datetime, now: datetime, half_life_days: float = DEFAULT_HALF_LIFE_DAYS) -> float:
    """1.0 for an event now, halving every half_life_days; future times count as now."""
    age_days = max((now - at).total_seconds() / 86400.0, 0.0)
    return math.pow(0.5, age_days / half_life_days)


@dataclass(slots=True)
class _Trial:
    """One article as the reader met it: decayed impressions and engagement, and what it is about."""

    targets: list[tuple[str, int]]
    shown: float = 0.0
    engaged: float = 0.0
    first_engaged: float = 0.0  # the decay of its most recent positive event (shown at least that much)


def _trials(events: Iterable[Event], now: datetime, half_life_days: float) -> list[_Trial]:
    trials: dict[object, _Trial] = {}
    for n, event in enumerate(events):
        key: object = event.article_id if event.article_id is not None else ("event", n)
        trial = trials.get(key)
        if trial is None:
            targets = [("category", i) for i in event.category_ids] + [("topic", i) for i in event.topic_ids]
            if event.source_id is not None:
                targets.append(("source", event.source_id))
            trial = trials[key] = _Trial(targets)
        fade = decay(event.at, now, half_life_days)
        if event.kind == "impression":
            trial.shown += fade
            continue
        weight = event_weight(event)
        if weight > 0:
            trial.engaged += weight * fade
            trial.first_engaged = max(trial.first_engaged, fade)
        elif weight < 0:
            trial.shown += -weight * fade
    for trial in trials.values():
        trial.shown = max(trial.shown, trial.first_engaged)
    return [t for t in trials.values() if t.shown > 0]


def build_profile(
    events: Iterable[Event],
    now: datetime,
    half_life_days: float = DEFAULT_HALF_LIFE_DAYS,
    prior_strength: float = PRIOR_STRENGTH,
) -> ImplicitProfile:
    """Fold events into log lifts per category, topic and source, and a taste vector."""
    events = list(events)
    trials = _trials(events, now, half_life_days)
    shown: dict[Target, float] = defaultdict(float)
    engaged: dict[Target, float] = defaultdict(float)
    for trial in trials:
        for target in trial.targets:
            shown[target] += trial.shown
            engaged[target] += trial.engaged
    own = (sum(t.engaged for t in trials) + BASE_STRENGTH * BASE_RATE) / (sum(t.shown for t in trials) + BASE_STRENGTH)
    # Each kind's typical rate: the mean over its things of their rates shrunk towards the reader's own (not the
    # reader's own rate itself, which is mostly what they were shown because they like it).
    typical: dict[str, list[float]] = defaultdict(list)
    for target, seen in shown.items():
        typical[target[0]].append((engaged[target] + prior_strength * own) / (seen + prior_strength))
    means = {kind: sum(rates) / len(rates) for kind, rates in typical.items()}
    scores = {target: _lift(engaged[target], seen, means[target[0]], prior_strength) for target, seen in shown.items()}
    # Topics are measured against their articles' categories instead (see the module docstring).
    scores.update(_topic_lifts(trials, shown, engaged, scores, means, prior_strength))
    return ImplicitProfile(scores=scores, taste=_taste(events, now, half_life_days))


def _lift(engaged: float, shown: float, expected: float, prior_strength: float) -> float:
    """ln of the shrunk rate (a Beta prior of prior_strength impressions at `expected`) over `expected`."""
    return math.log((engaged + prior_strength * expected) / (shown + prior_strength)) - math.log(expected)


def _topic_lifts(
    trials: list[_Trial],
    shown: Mapping[Target, float],
    engaged: Mapping[Target, float],
    scores: Mapping[Target, float],
    means: Mapping[str, float],
    prior_strength: float,
) -> dict[Target, float]:
    """Each topic's lift over the rate its cards' categories predict: the impression-weighted mean, over the cards
    about it, of the card's best category's shrunk rate (the typical topic rate for a card with no category)."""
    expected: dict[Target, float] = defaultdict(float)
    for trial in trials:
        topics = [t for t in trial.targets if t[0] == "topic"]
        if not topics:
            continue
        best = max((scores[t] for t in trial.targets if t[0] == "category"), default=None)
        rate = means["topic"] if best is None else means["category"] * math.exp(best)
        for target in topics:
            expected[target] += trial.shown * rate
    return {
        target: _lift(engaged[target], shown[target], predicted / shown[target], prior_strength)
        for target, predicted in expected.items()
    }


def _taste(events: list[Event], now: datetime, half_life_days: float) -> tuple[float, ...] | None:
    """The decayed, evidence-weighted mean embedding of what the reader engaged with (unit length)."""
    taste: list[float] | None = None
    for event in events:
        if event.embedding is None or event.kind not in POSITIVE_KINDS:
            continue
        weight = event_weight(event) * decay(event.at, now, half_life_days)
        if weight <= 0:
            continue
        if taste is None:
            taste = [0.0] * len(event.embedding)
        if len(event.embedding) == len(taste):
            for i, x in enumerate(event.embedding):
                taste[i] += weight * x
    return _unit(taste)


def _unit(vector: list[float] | None) -> tuple[float, ...] | None:
    if vector is None:
        return None
    norm = math.sqrt(sum(x * x for x in vector))
    if norm == 0.0:
        return None
    return tuple(x / norm for x in vector)
