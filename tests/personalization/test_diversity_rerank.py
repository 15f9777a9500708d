"""diversity.rerank gives the plain MMR order: each pick the best score * (1 - diversity * the greatest similarity to
the `window` cards above), among the next `scan` cards by score, over the best `depth` cards."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from tidings.personalization.diversity import card_similarity, rerank
from tidings.personalization.ranking_types import Candidate, Reason, Scored

NOW = datetime(2026, 5, 1, tzinfo=UTC)


def _plain_mmr(scored: list[Scored], diversity: float, window: int, depth: int, scan: int) -> list[Scored]:
    ordered = sorted(scored, key=lambda s: (s.score, s.candidate.published_at, s.candidate.article_id), reverse=True)
    remaining, tail, result = ordered[:depth], ordered[depth:], []
    while remaining:
        values = [
            s.score
            * (1 - diversity * max((card_similarity(s.candidate, o.candidate) for o in result[-window:]), default=0))
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


def _card(article_id: int, story: int, categories: set[int], topics: set[int], score: float = 1.0) -> Scored:
    candidate = Candidate(article_id, NOW, 1, story, frozenset(categories), frozenset(topics))
    return Scored(candidate, score, 0.0, 0.0, 0.0, 1.0, Reason("latest"))


def test_cards_of_one_category_about_different_things_are_half_alike():
    match, other_match = _card(1, 1, {4}, {10}).candidate, _card(2, 2, {4}, {11}).candidate
    assert card_similarity(match, other_match) == 0.5
    assert card_similarity(match, _card(3, 3, {4}, {10}).candidate) == 1.0  # same section, same subject
    assert card_similarity(match, _card(4, 3, {5}, {10}).candidate) == 0.5  # same subject, other section
    assert card_similarity(match, _card(5, 1, {5}, {12}).candidate) == 1.0  # the same story
    assert card_similarity(match, _card(6, 6, {5}, {12}).candidate) == 0.0


def test_mmr_lets_a_second_card_of_a_category_through_unless_it_repeats_the_subject():
    top = _card(1, 1, {4}, {10}, score=1.0)
    other_subject = _card(2, 2, {4}, {11}, score=0.9)
    same_subject = _card(3, 3, {4}, {10}, score=0.9)
    elsewhere = _card(4, 4, {5}, {12}, score=0.7)
    # 0.9 x (1 - 0.4 x 0.5) = 0.72 stays above 0.7; 0.9 x (1 - 0.4) = 0.54 does not
    assert [s.candidate.article_id for s in rerank([top, other_subject, elsewhere], 0.4, 10)][:2] == [1, 2]
    assert [s.candidate.article_id for s in rerank([top, same_subject, elsewhere], 0.4, 10)][:2] == [1, 4]
