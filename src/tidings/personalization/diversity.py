"""One card per story, and maximal marginal relevance so that one category or topic cannot take a whole page (pure).

MMR here is multiplicative: a card's adjusted score is score * (1 - diversity * s), where s is its greatest
similarity to the `window` cards just above it (card_similarity: 1 for the same story; else a share of the category
overlap plus the rest of the topic overlap, so two cards of one section about different things are partly alike).
Multiplying keeps the penalty in proportion deep in the list, where raw
scores are small, and lets the greedy scan stop early: no card scored below the best adjusted score can win.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

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

    Each pick looks at the next `scan` cards by score at most; a card's similarities to the cards picked so far
    are kept, so each pick computes one new similarity per card looked at.
    """
    ordered = sorted(scored, key=_order_key, reverse=True)
    if diversity <= 0 or window <= 0 or len(ordered) < 2:
        return ordered
    remaining, tail = ordered[:depth], ordered[depth:]
    result: list[Scored] = []
    seen: dict[int, list[float]] = {}  # id(card) -> its similarity to result[0], result[1], …
    while remaining:
        best_index, best_value = 0, float("-inf")
        for index, s in enumerate(remaining[:scan]):
            if s.score <= best_value:
                break  # sorted by score, and a penalty only lowers it: nothing further down can win
            sims = seen.setdefault(id(s), [])
            if len(sims) < len(result) - window:  # only the last `window` count: older ones are never read
                sims.extend([0.0] * (len(result) - window - len(sims)))
            for other in result[len(sims) :]:
                sims.append(card_similarity(s.candidate, other.candidate))
            penalty = max(sims[-window:], default=0.0)
            value = s.score * (1.0 - diversity * penalty)
            if value > best_value:
                best_index, best_value = index, value
        result.append(remaining.pop(best_index))
    return result + tail


def intra_list_diversity(candidates: Sequence[Candidate]) -> float:
    """Mean dissimilarity (1 - similarity) over all pairs of a list; 0 for fewer than two (bench and tests)."""
    pairs = [(a, b) for i, a in enumerate(candidates) for b in candidates[i + 1 :]]
    if not pairs:
        return 0.0
    return sum(1.0 - similarity(a, b) for a, b in pairs) / len(pairs)
