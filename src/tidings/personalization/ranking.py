"""Ranking: one score per candidate article from what the reader follows, learned and skipped, then one card per
story, a diverse page (personalization.diversity) and a reason for every card (personalization.explain).

Pure: takes values (candidates, a profile, `now`) and returns values; the ORM edge is personalization.candidates.
The same code ranks My News, /api/me/feed, the home page's top stories (with an empty profile: coverage and
freshness only) and the simulated readers of bench/rank_eval.py.

score = relevance * lift * freshness, where
- relevance = base + interest (explicit follows, weighted by Follow.weight; taste cosine) + story importance (how
  many distinct outlets cover the story) + source preference; base is higher in a reader's own list than in one
  with no reader (the home page): there coverage is the only sign of what matters, in a personal list what the
  reader engages with is the main one and an eight-outlet story should not outweigh it five to one;
- lift = exp(learned), learned being the reader's learned log lifts (personalization.interests: how much more or
  less than their average they engage with a category, topic or source, estimated per impression with a prior)
  for what the article is about: positive ones add with diminishing returns, negative ones add up; 1 (no
  change) for a reader with nothing learned, so learning scales the rest of the score rather than competing
  with it: a top story in a category the reader keeps passing over falls below a small story they would read;
- freshness halves every `half_life_hours`.
Muted things, hidden stories and hidden articles are excluded; articles already read are excluded too (the
reader has seen them), and other articles of a story the reader has read from are demoted.
"""

from __future__ import annotations

import math
import operator
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from tidings.personalization.diversity import one_per_story, rerank
from tidings.personalization.ranking_types import Candidate, Ranked, ReaderProfile, Reason, Scored, Target

# Follow.weight -1 less, 0 normal, 1 more: how much a followed thing counts.
FOLLOW_WEIGHT_FACTORS: Mapping[int, float] = {-1: 0.4, 0: 1.0, 1: 1.6}
# A followed topic is more specific than a followed category.
FOLLOW_KIND_VALUES: Mapping[str, float] = {"topic": 1.2, "category": 1.0}


@dataclass(frozen=True, slots=True)
class Weights:
    """Every constant of the score, in one place.

    personal_base, implicit and diversity were chosen with `bench/rank_eval.py --tune` on its tuning readers and corpus
    (docs/benchmarks.md, "Ranking tuning", says with which rule); the others were set by hand and not tuned.
    """

    base: float = 0.15  # relevance of an article that matches nothing (lets fresh news in), for a list with no reader
    personal_base: float = 0.5  # the same in a reader's list (with interests): coverage counts for less there
    follow: float = 1.0  # one followed category or topic at normal weight
    implicit: float = 1.0  # how much of the learned log lift applies (1: the estimate as it is)
    topic_share: float = 0.5  # how much of a topic's learned log lift (over its categories' rate) counts
    lift_cap: float = 3.0  # the learned log lift is kept within ±this (a factor of about 20 either way)
    taste: float = 0.5  # cosine of the article's embedding with the taste vector (negatives count as 0)
    importance: float = 0.6  # a story covered by importance_saturation outlets or more
    importance_saturation: int = 8
    source: float = 0.3  # a followed source, or a learned source preference at full strength
    half_life_hours: float = 18.0
    read_story_factor: float = 0.3  # another article of a story the reader already read from
    diversity: float = 0.8  # MMR: how much similarity to the cards just above costs (0: none)
    diversity_window: int = 10  # cards above that count for similarity
    exploration_every: int = 10  # one exploration card in each run of this many (0: none)
    exploration_slot: int = 7  # its 0-based position within the run
    top_story_sources: int = 3  # "Top story: N sources" from this many outlets


DEFAULT_WEIGHTS = Weights()


def freshness(published_at: datetime, now: datetime, half_life_hours: float) -> float:
    """1.0 for an article published now, halving every half_life_hours; future dates count as now."""
    age_hours = max((now - published_at).total_seconds() / 3600.0, 0.0)
    return math.pow(0.5, age_hours / half_life_hours)


def importance(story_sources: int, weights: Weights = DEFAULT_WEIGHTS) -> float:
    """0 for one outlet, rising with the log of the outlet count to 1 at importance_saturation outlets."""
    if story_sources <= 1:
        return 0.0
    return min(math.log(story_sources) / math.log(weights.importance_saturation), 1.0)


def _diminishing(values: list[float]) -> float:
    """The largest value, plus half the next, a quarter of the one after, …: many weak matches do not add up
    to more than a strong one."""
    if len(values) < 2:
        return values[0] if values else 0.0
    total, factor = 0.0, 1.0
    for value in sorted(values, reverse=True):
        total += factor * value
        factor *= 0.5
    return total


def _about(candidate: Candidate) -> list[Target]:
    """The candidate's categories and topics as targets (not its source: that is source_preference's)."""
    return [("category", i) for i in candidate.category_ids] + [("topic", i) for i in candidate.topic_ids]


def follow_match(candidate: Candidate, profile: ReaderProfile, weights: Weights) -> tuple[float, Target | None]:
    """Followed categories and topics the article matches, weighted; and the best of them."""
    if not profile.follows:
        return 0.0, None
    matches = []
    for target in _about(candidate):
        weight = profile.follows.get(target)
        if weight is not None:
            matches.append(
                (weights.follow * FOLLOW_KIND_VALUES[target[0]] * FOLLOW_WEIGHT_FACTORS.get(weight, 1.0), target)
            )
    if not matches:
        return 0.0, None
    return _diminishing([v for v, _ in matches]), max(matches)[1]


def learned_match(candidate: Candidate, profile: ReaderProfile, weights: Weights) -> tuple[float, Target | None]:
    """The learned log lift of the article's categories and topics (topics at topic_share): positive ones add with
    diminishing returns, negative ones add up; times `implicit`, within ±lift_cap. And the most liked of them
    (None when none is liked)."""
    if not profile.implicit:
        return 0.0, None
    liked: list[tuple[float, Target]] = []
    disliked = 0.0
    for target in _about(candidate):
        value = profile.implicit.get(target)
        if value is None:
            continue
        if target[0] == "topic":
            value *= weights.topic_share
        if value > 0:
            liked.append((value, target))
        else:
            disliked += value
    best = max(liked)[1] if liked else None
    total = weights.implicit * (_diminishing([v for v, _ in liked]) + disliked)
    return max(min(total, weights.lift_cap), -weights.lift_cap), best


def taste_match(candidate: Candidate, profile: ReaderProfile) -> float:
    """Cosine of the article's embedding with the reader's taste vector, 0 when either is missing or opposite."""
    if profile.taste is None or candidate.embedding is None or len(profile.taste) != len(candidate.embedding):
        return 0.0
    dot = sum(a * b for a, b in zip(profile.taste, candidate.embedding, strict=True))
    norm = math.sqrt(sum(a * a for a in candidate.embedding)) * math.sqrt(sum(b * b for b in profile.taste))
    return max(dot / norm, 0.0) if norm else 0.0


def source_preference(candidate: Candidate, profile: ReaderProfile, weights: Weights) -> float:
    """A followed source (weighted as follows are) or the learned log lift for it, squashed into (-1, 1) by tanh."""
    target = ("source", candidate.source_id)
    if target in profile.follows:
        return weights.source * FOLLOW_WEIGHT_FACTORS.get(profile.follows[target], 1.0)
    return weights.source * math.tanh(profile.implicit.get(target, 0.0))


def excluded(candidate: Candidate, profile: ReaderProfile) -> bool:
    """Muted (any of its categories, topics or its source), hidden (article or story) or already read."""
    if candidate.article_id in profile.read_article_ids or candidate.article_id in profile.hidden_article_ids:
        return True
    if candidate.story_id is not None and candidate.story_id in profile.hidden_story_ids:
        return True
    return bool(profile.mutes) and any(t in profile.mutes for t in candidate.targets())


def score(candidate: Candidate, profile: ReaderProfile, now: datetime, weights: Weights = DEFAULT_WEIGHTS) -> Scored:
    """The candidate's score and its parts (not checked for exclusion: see excluded())."""
    base = weights.base if profile.is_empty else weights.personal_base
    return _combined(
        candidate,
        profile,
        now,
        weights,
        base,
        follow_match(candidate, profile, weights),
        learned_match(candidate, profile, weights),
        taste_match(candidate, profile),
        source_preference(candidate, profile, weights),
    )


def _combined(
    candidate: Candidate,
    profile: ReaderProfile,
    now: datetime,
    weights: Weights,
    base: float,
    follow: tuple[float, Target | None],
    learn: tuple[float, Target | None],
    taste: float,
    source: float,
) -> Scored:
    """The score from its parts (score() and Scorer.score() work the parts out their own ways)."""
    followed, followed_target = follow
    learned, learned_target = learn
    story_weight = importance(candidate.story_sources, weights)
    relevance = max(base + followed + weights.taste * taste + weights.importance * story_weight + source, 0.01)
    fresh = freshness(candidate.published_at, now, weights.half_life_hours)
    value = relevance * math.exp(learned) * fresh
    interest = followed + weights.taste * taste + max(learned, 0.0)
    if candidate.story_id is not None and candidate.story_id in profile.read_story_ids:
        value *= weights.read_story_factor
    reason = _reason(candidate, profile, weights, followed_target, learned, learned_target, taste)
    return Scored(candidate, value, interest, story_weight, source, fresh, reason)


class Scorer:
    """score() and excluded() for one reader, `now` and weights, with what does not depend on the candidate
    worked out once (follow and learned values by id, the taste vector's norm, each source's preference): the
    same values as score() and excluded(), at a fraction of the calls per candidate (rank() scores hundreds)."""

    def __init__(self, profile: ReaderProfile, now: datetime, weights: Weights = DEFAULT_WEIGHTS) -> None:
        self.profile, self.now, self.weights = profile, now, weights
        self.base = weights.base if profile.is_empty else weights.personal_base
        followed: dict[str, dict[int, tuple[float, Target]]] = {"category": {}, "topic": {}}
        for target, weight in profile.follows.items():
            if target[0] in followed:
                value = weights.follow * FOLLOW_KIND_VALUES[target[0]] * FOLLOW_WEIGHT_FACTORS.get(weight, 1.0)
                followed[target[0]][target[1]] = (value, target)
        self.followed_categories, self.followed_topics = followed["category"], followed["topic"]
        learned: dict[str, dict[int, tuple[float, Target]]] = {"category": {}, "topic": {}}
        for target, value in profile.implicit.items():
            if target[0] in learned:
                learned[target[0]][target[1]] = (value * weights.topic_share if target[0] == "topic" else value, target)
        self.learned_categories, self.learned_topics = learned["category"], learned["topic"]
        self.taste = profile.taste
        self.taste_norm = (
            math.sqrt(sum(map(operator.mul, profile.taste, profile.taste))) if profile.taste is not None else 0.0
        )
        self.sources: dict[int, float] = {}
        self.muted: dict[str, frozenset[int]] = {
            kind: frozenset(i for k, i in profile.mutes if k == kind) for kind in ("category", "topic", "source")
        }

    def excluded(self, candidate: Candidate) -> bool:
        """excluded(candidate, profile)."""
        profile = self.profile
        if candidate.article_id in profile.read_article_ids or candidate.article_id in profile.hidden_article_ids:
            return True
        if candidate.story_id is not None and candidate.story_id in profile.hidden_story_ids:
            return True
        muted = self.muted
        return bool(profile.mutes) and (
            candidate.source_id in muted["source"]
            or not muted["category"].isdisjoint(candidate.category_ids)
            or not muted["topic"].isdisjoint(candidate.topic_ids)
        )

    def score(self, candidate: Candidate) -> Scored:
        """score(candidate, profile, now, weights)."""
        weights, profile = self.weights, self.profile
        source = self.sources.get(candidate.source_id)
        if source is None:
            source = self.sources[candidate.source_id] = source_preference(candidate, profile, weights)
        return _combined(
            candidate,
            profile,
            self.now,
            weights,
            self.base,
            self._followed(candidate),
            self._learned(candidate),
            self._taste(candidate),
            source,
        )

    def _followed(self, candidate: Candidate) -> tuple[float, Target | None]:
        """follow_match()."""
        categories, topics = self.followed_categories, self.followed_topics
        # Most candidates match no follow: two set checks in C answer for them (the keys views of the dicts).
        if categories.keys().isdisjoint(candidate.category_ids) and topics.keys().isdisjoint(candidate.topic_ids):
            return 0.0, None
        matches = [categories[i] for i in candidate.category_ids if i in categories]
        matches += [topics[i] for i in candidate.topic_ids if i in topics]
        if not matches:
            return 0.0, None
        return _diminishing([v for v, _ in matches]), max(matches)[1]

    def _learned(self, candidate: Candidate) -> tuple[float, Target | None]:
        """learned_match()."""
        if not self.profile.implicit:
            return 0.0, None
        liked: list[tuple[float, Target]] = []
        disliked = 0.0
        for known, ids in (
            (self.learned_categories, candidate.category_ids),
            (self.learned_topics, candidate.topic_ids),
        ):
            for i in ids:
                found = known.get(i)
                if found is None:
                    continue
                if found[0] > 0:
                    liked.append(found)
                else:
                    disliked += found[0]
        best = max(liked)[1] if liked else None
        weights = self.weights
        total = weights.implicit * (_diminishing([v for v, _ in liked]) + disliked)
        return max(min(total, weights.lift_cap), -weights.lift_cap), best

    def _taste(self, candidate: Candidate) -> float:
        """taste_match()."""
        taste, embedding = self.taste, candidate.embedding
        if taste is None or embedding is None or len(taste) != len(embedding):
            return 0.0
        # map(mul): the same products added in the same order as taste_match's generators, without a frame each
        dot = sum(map(operator.mul, taste, embedding))
        norm = math.sqrt(sum(map(operator.mul, embedding, embedding))) * self.taste_norm
        return max(dot / norm, 0.0) if norm else 0.0


def _reason(
    candidate: Candidate,
    profile: ReaderProfile,
    weights: Weights,
    followed_target: Target | None,
    learned: float,
    learned_target: Target | None,
    taste: float,
) -> Reason:
    """The strongest reason in a fixed order: a follow, a followed source, a learned interest, taste, coverage."""
    if followed_target is not None:
        return Reason("follow", followed_target)
    source = ("source", candidate.source_id)
    if source in profile.follows:
        return Reason("follow", source)
    if learned_target is not None and learned > 0:
        return Reason("learned", learned_target)
    if taste >= 0.5:
        return Reason("taste")
    if candidate.story_sources >= weights.top_story_sources:
        return Reason("top_story", count=candidate.story_sources)
    if candidate.story_sources > 1:
        return Reason("covered", count=candidate.story_sources)
    return Reason("latest")


def rank(
    candidates: Iterable[Candidate], profile: ReaderProfile, now: datetime, weights: Weights = DEFAULT_WEIGHTS
) -> list[Ranked]:
    """Best first: excluded ones dropped, one per story (its best-scored article), diversified.

    An empty profile (a visitor, the home page) keeps every card. A reader with interests gets a personal list
    (see _personal): matching cards and top stories, plus a small share of exploration cards.
    """
    scorer = Scorer(profile, now, weights)
    scored = [scorer.score(c) for c in candidates if not scorer.excluded(c)]
    kept = one_per_story(scored)
    ordered = rerank(kept, weights.diversity, weights.diversity_window)
    if not profile.is_empty:
        ordered = _personal(ordered, profile, weights)
    return [Ranked(s.candidate.article_id, s.candidate.story_id, s.score, s.reason) for s in ordered]


def _personal(ordered: list[Scored], profile: ReaderProfile, weights: Weights) -> list[Scored]:
    """A personal list: what matches the reader and top stories, with one card in each run of
    exploration_every from outside the reader's interests (at exploration_slot); other cards are left out.

    Outside: no interest and no source preference, not a top story, and only categories the reader neither
    follows nor has liked. What is left of them after the slots is dropped: exploration is a small share.
    """
    known = profile.interested_categories()

    def matched(s: Scored) -> bool:
        return s.interest > 0 or s.source > 0 or s.candidate.story_sources >= weights.top_story_sources

    def outside(s: Scored) -> bool:
        return bool(s.candidate.category_ids) and not (s.candidate.category_ids & known)

    rest = deque(s for s in ordered if matched(s))
    picks = deque(s for s in ordered if not matched(s) and outside(s))
    result: list[Scored] = []
    every = weights.exploration_every
    while rest:
        if picks and every > 0 and len(result) % every == weights.exploration_slot:
            pick = picks.popleft()
            category = min(pick.candidate.category_ids)
            result.append(_with_reason(pick, Reason("explore", ("category", category))))
        else:
            result.append(rest.popleft())
    return result


def _with_reason(scored: Scored, reason: Reason) -> Scored:
    return Scored(
        scored.candidate, scored.score, scored.interest, scored.importance, scored.source, scored.freshness, reason
    )
