"""ranking.Scorer (what rank() scores with) gives exactly score() and excluded() on hand-built readers: follows of
every weight, mutes, learned likings and dislikes of categories, topics and sources, a taste vector, read and
hidden articles and stories; and rank() gives the list its reference definition (score(), excluded(),
one_per_story, the plain MMR of tests/personalization/test_diversity_rerank.py) gives."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from tidings.personalization.diversity import card_similarity, one_per_story, similarities
from tidings.personalization.ranking import (
    DEFAULT_WEIGHTS,
    Candidate,
    ReaderProfile,
    Scorer,
    Weights,
    _personal,
    excluded,
    rank,
    score,
)
from tidings.personalization.ranking_types import Ranked

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def _candidates(rng: random.Random, n: int, dims: int = 48) -> list[Candidate]:
    found = []
    for article_id in range(1, n + 1):
        embedding = None
        if rng.random() < 0.7:
            embedding = tuple(rng.uniform(-1, 1) for _ in range(dims)) if rng.random() < 0.95 else (0.0,) * dims
        found.append(
            Candidate(
                article_id=article_id,
                published_at=NOW - timedelta(minutes=rng.randrange(-30, 4000)),
                source_id=rng.randrange(1, 8),
                story_id=rng.choice([None, *range(1, n // 3 + 2)]),
                category_ids=frozenset(rng.sample(range(1, 9), rng.randrange(0, 4))),
                topic_ids=frozenset(rng.sample(range(20, 40), rng.randrange(0, 5))),
                story_sources=rng.randrange(1, 12),
                embedding=embedding,
            )
        )
    return found


def _reader(rng: random.Random, n: int, dims: int = 48) -> ReaderProfile:
    targets = [("category", i) for i in range(1, 9)] + [("topic", i) for i in range(20, 40)]
    targets += [("source", i) for i in range(1, 8)]
    followed = rng.sample(targets, rng.randrange(0, 10))
    rest = [t for t in targets if t not in followed]
    return ReaderProfile(
        follows={t: rng.choice([-1, 0, 1, 2]) for t in followed},
        mutes=frozenset(rng.sample(rest, rng.randrange(0, 3))),
        implicit={t: rng.choice([rng.uniform(-3, 3), 0.0, 5000.0]) for t in rng.sample(targets, rng.randrange(0, 15))},
        taste=rng.choice([None, tuple(rng.uniform(-1, 1) for _ in range(dims)), (1.0,) + (0.0,) * (dims - 1)]),
        read_article_ids=frozenset(rng.sample(range(1, n + 1), rng.randrange(0, 5))),
        read_story_ids=frozenset(rng.sample(range(1, n // 3 + 2), rng.randrange(0, 3))),
        hidden_story_ids=frozenset(rng.sample(range(1, n // 3 + 2), rng.randrange(0, 2))),
        hidden_article_ids=frozenset(rng.sample(range(1, n + 1), rng.randrange(0, 3))),
    )


def _reference_rank(candidates, profile, now, weights=DEFAULT_WEIGHTS):
    """rank() as defined: score() and excluded() per candidate, one per story, plain MMR, the personal list."""
    from tests.personalization.test_diversity_rerank import _plain_mmr

    scored = [score(c, profile, now, weights) for c in candidates if not excluded(c, profile)]
    ordered = _plain_mmr(one_per_story(scored), weights.diversity, weights.diversity_window, 100, 40)
    if not profile.is_empty:
        ordered = _personal(ordered, profile, weights)
    return [Ranked(s.candidate.article_id, s.candidate.story_id, s.score, s.reason) for s in ordered]


def test_scorer_gives_exactly_score_and_excluded():
    rng = random.Random(41)
    checked = kept = 0
    for _ in range(60):
        candidates, profile = _candidates(rng, 60), _reader(rng, 60)
        weights = rng.choice([DEFAULT_WEIGHTS, Weights(topic_share=0.3, implicit=0.7, lift_cap=1.5)])
        scorer = Scorer(profile, NOW, weights)
        for candidate in candidates:
            assert scorer.excluded(candidate) == excluded(candidate, profile)
            assert scorer.score(candidate) == score(candidate, profile, NOW, weights)  # every part, bit for bit
            checked += 1
            kept += not excluded(candidate, profile)
    assert checked == 3600 and 0 < kept < checked


def test_rank_gives_the_reference_list():
    rng = random.Random(42)
    compared = 0
    for _ in range(40):
        n = rng.choice([5, 40, 150])  # 150: more than MMR_DEPTH cards
        candidates, profile = _candidates(rng, n), _reader(rng, n)
        got = rank(candidates, profile, NOW)
        assert got == _reference_rank(candidates, profile, NOW)
        compared += len(got)
    assert compared > 500


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), st.integers(0, 5)),
            st.frozensets(st.integers(0, 6), max_size=4),
            st.frozensets(st.integers(0, 9), max_size=5),
        ),
        max_size=30,
    )
)
def test_similarities_are_card_similarity(rows):
    cards = [Candidate(i, NOW, 1, story, cats, topics) for i, (story, cats, topics) in enumerate(rows)]
    matrix = similarities(cards)
    assert matrix == [[card_similarity(a, b) for b in cards] for a in cards]  # exactly, not approximately


def test_stored_vectors_read_as_the_same_floats():
    import numpy as np

    from tidings.personalization.candidates import _vector

    stored = np.random.default_rng(3).standard_normal(384).astype("<f4")
    assert _vector(stored.tobytes()) == tuple(float(x) for x in stored)
    assert _vector(b"\x00" * 16) is None and _vector(b"\x00" * 5) is None
