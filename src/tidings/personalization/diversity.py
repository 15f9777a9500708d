"""One card per story, and maximal marginal relevance so that one category or topic cannot take a whole page (pure).

MMR here is multiplicative: a card's adjusted score is score * (1 - diversity * s), where s is its greatest
similarity to the `window` cards just above it (card_similarity: 1 for the same story; else a share of the category
overlap plus the rest of the topic overlap, so two cards of one section about different things are partly alike).
Multiplying keeps the penalty in proportion deep in the list, where raw
scores are small, and lets the greedy scan stop early: no card scored below the best adjusted score can win.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

import numpy as np

from tidings.personalization.ranking_types import Candidate, Scored

# Only this many cards are re-ranked (five pages); the rest follow by score (keeps a long list's cost bounded).
MMR_DEPTH = 100
# Each pick considers at most this many of the best remaining cards.
MMR_SCAN = 40


def one_per_story(scored: Iterable[Scored]) -> list[Scored]:
    """The best-scored article of each story (ties: the newer, then the higher id); articles in no story stay."""
    best: dict[int, Scored] = {}
    alone: list[Scored] = []
    for s in scored:
        story = s.candidate.story_id
        if story is None:
            alone.append(s)
        elif story not in best or _order_key(s) > _order_key(best[story]):
            best[story] = s
    return [*alone, *best.values()]


def _order_key(s: Scored) -> tuple[float, object, int]:
    return (s.score, s.candidate.published_at, s.candidate.article_id)


def jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    if not a or not b:
        return 0.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared) if shared else 0.0


def similarity(a: Candidate, b: Candidate) -> float:
    """1 for the same story; else the larger overlap of categories or of topics (0 to 1): the measure of
    intra_list_diversity (bench/rank_eval.py's diversity target), under which two cards of one category are alike."""
    if a.story_id is not None and a.story_id == b.story_id:
        return 1.0
    return max(jaccard(a.category_ids, b.category_ids), jaccard(a.topic_ids, b.topic_ids))


# card_similarity: how much of it the section (category) makes; the topics make the rest. Two cards of one section
# about different things (two football matches, a budget vote and an election) read as partly alike, not as one
# card twice; one story told twice, or one subject twice, does read as a repeat.
CATEGORY_SHARE = 0.5


def card_similarity(a: Candidate, b: Candidate) -> float:
    """How much two cards repeat each other on a page (MMR): 1 for the same story; else CATEGORY_SHARE x the
    category overlap + the rest x the topic overlap (Jaccard), 0 to 1."""
    if a.story_id is not None and a.story_id == b.story_id:
        return 1.0
    return CATEGORY_SHARE * jaccard(a.category_ids, b.category_ids) + (1.0 - CATEGORY_SHARE) * jaccard(
        a.topic_ids, b.topic_ids
    )


def rerank(
    scored: Sequence[Scored], diversity: float, window: int, depth: int = MMR_DEPTH, scan: int = MMR_SCAN
) -> list[Scored]:
    """Greedy MMR over the best `depth` cards (best score first, ties to the newer, then the higher id).

    Each pick looks at the next `scan` cards by score at most; the similarities of the `depth` cards to one
    another are worked out at once beforehand (similarities(): a few array operations, not one Python call per
    pair), and each pick takes every card's penalty from them in one array operation.
    """
    ordered = sorted(scored, key=_order_key, reverse=True)
    if diversity <= 0 or window <= 0 or len(ordered) < 2:
        return ordered
    remaining, tail = ordered[:depth], ordered[depth:]
    sims = _similarity_matrix([s.candidate for s in remaining])
    scores = [s.score for s in remaining]
    left = list(range(len(remaining)))  # indices into remaining, by score
    picked: list[int] = []
    while left:
        best_index, best_value = 0, float("-inf")
        recent = picked[-window:]
        # Each card's penalty: its greatest similarity to the recent picks (one array operation for every card;
        # max picks one of the values, so it is the same float as a max over them one by one).
        penalties = sims[:, recent].max(axis=1).tolist() if recent else [0.0] * len(remaining)
        for index, i in enumerate(left[:scan]):
            if scores[i] <= best_value:
                break  # sorted by score, and a penalty only lowers it: nothing further down can win
            value = scores[i] * (1.0 - diversity * penalties[i])
            if value > best_value:
                best_index, best_value = index, value
        picked.append(left.pop(best_index))
    return [remaining[i] for i in picked] + tail


def similarities(candidates: Sequence[Candidate]) -> list[list[float]]:
    """card_similarity of every pair of these cards, as rows (the same values: Jaccard of exact counts)."""
    return _similarity_matrix(candidates).tolist()  # type: ignore[no-any-return]


def _similarity_matrix(candidates: Sequence[Candidate]) -> np.ndarray:
    """similarities() as an array."""
    categories = _jaccard_matrix([c.category_ids for c in candidates])
    topics = _jaccard_matrix([c.topic_ids for c in candidates])
    matrix = CATEGORY_SHARE * categories + (1.0 - CATEGORY_SHARE) * topics
    stories = np.array([-1 if c.story_id is None else c.story_id for c in candidates])
    matrix[(stories[:, None] == stories[None, :]) & (stories[:, None] != -1)] = 1.0
    return matrix


def _jaccard_matrix(sets: Sequence[frozenset[int]]) -> np.ndarray:
    """jaccard(a, b) for every pair of these sets (0 when they share nothing): the shared counts are added up
    per member, over the cards that hold it (most members are on one card only: nothing to add)."""
    holders: dict[int, list[int]] = defaultdict(list)
    for row, members in enumerate(sets):
        for member in members:
            holders[member].append(row)
    shared = np.zeros((len(sets), len(sets)))
    for rows in holders.values():
        if len(rows) > 1:
            index = np.array(rows)
            shared[index[:, None], index] += 1.0  # whole numbers: exact
    sizes = np.array([float(len(members)) for members in sets])
    np.fill_diagonal(shared, sizes)
    union = sizes[:, None] + sizes[None, :] - shared
    # a whole number over a whole number, one rounding: the same float as jaccard()'s int / int
    return np.divide(shared, union, out=np.zeros(shared.shape), where=shared > 0)


def intra_list_diversity(candidates: Sequence[Candidate]) -> float:
    """Mean dissimilarity (1 - similarity) over all pairs of a list; 0 for fewer than two (bench and tests)."""
    pairs = [(a, b) for i, a in enumerate(candidates) for b in candidates[i + 1 :]]
    if not pairs:
        return 0.0
    return sum(1.0 - similarity(a, b) for a, b in pairs) / len(pairs)
