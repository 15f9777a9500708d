"""diversity.rerank gives the plain MMR order: each pick the best score * (1 - diversity * the greatest similarity to
the `window` cards above), among the next `scan` cards by score, over the best `depth` cards."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from tidings.personalization.diversity import rerank, similarity
from tidings.personalization.ranking_types import Candidate, Reason, Scored

NOW = datetime(2026, 5, 1, tzinfo=UTC)


def _plain_mmr(scored: list[Scored], diversity: float, window: int, depth: int, scan: int) -> list[Scored]:
    ordered = sorted(scored, key=lambda s: (s.score, s.candidate.published_at, s.candidate.article_id), reverse=True)
    remaining, tail, result = ordered[:depth], ordered[depth:], []
    while remaining:
        values = [
            s.score * (1 - diversity * max((similarity(s.candidate, o.candidate) for o in result[-window:]), default=0))
            for s in remaining[:scan]
        ]
        result.append(remaining.pop(values.index(max(values))))
    return result + tail


cards = st.lists(
    st.tuples(
        st.integers(0, 6),  # story
        st.frozensets(st.integers(0, 5), max_size=3),  # categories
        st.frozensets(st.integers(0, 8), max_size=4),  # topics
        st.floats(0.01, 3.0),  # score
    ),
    min_size=2,
    max_size=60,
)


@settings(max_examples=150, deadline=None)
@given(cards, st.integers(1, 12), st.integers(5, 40), st.integers(3, 20))
def test_rerank_is_plain_mmr(rows, window, depth, scan):
    scored = [
        Scored(
            Candidate(i, NOW - timedelta(minutes=i), 1, story, categories, topics),
            score,
            0.0,
            0.0,
            0.0,
            1.0,
            Reason("latest"),
        )
        for i, (story, categories, topics, score) in enumerate(rows)
    ]
    got = [s.candidate.article_id for s in rerank(scored, 0.35, window, depth, scan)]
    assert got == [s.candidate.article_id for s in _plain_mmr(scored, 0.35, window, depth, scan)]
