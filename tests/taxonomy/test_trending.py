"""Trending by growth: hand-built counts through the pure ranking."""

from hypothesis import given
from hypothesis import strategies as st

from tidings.taxonomy.trending import MIN_RECENT, growth_ranking


def keys(ranking):
    return [g.key for g in ranking]


def test_a_growing_topic_beats_a_bigger_steady_one():
    # 100 articles in each window; the continent keeps its 40% share, the ceasefire goes from 1 to 8.
    counts = {"Europe": (40, 40), "ceasefire": (8, 1)}
    assert keys(growth_ranking(counts, recent_total=100, baseline_total=100)) == ["ceasefire"]


def test_growth_is_measured_against_the_share_not_the_count():
    # Twice as many articles lately: a topic that doubled only kept its share.
    counts = {"doubled": (20, 10), "tripled": (30, 10)}
    ranking = growth_ranking(counts, recent_total=200, baseline_total=100)
    assert keys(ranking) == ["tripled"]
    assert ranking[0].expected == 20.0


def test_one_to_two_articles_does_not_lead():
    counts = {"tiny": (2, 0), "real": (12, 3)}
    assert keys(growth_ranking(counts, recent_total=100, baseline_total=100)) == ["real"]


def test_smoothing_ranks_more_evidence_first_at_the_same_raw_ratio():
    counts = {"small": (MIN_RECENT, 1), "large": (30, 10)}
    ranking = growth_ranking(counts, recent_total=100, baseline_total=100)
    assert keys(ranking) == ["large", "small"]
    assert ranking[0].growth > ranking[1].growth > 1


def test_falling_topics_are_not_trending():
    counts = {"fading": (5, 30)}
    assert growth_ranking(counts, recent_total=100, baseline_total=100) == []


def test_without_a_baseline_recent_size_decides():
    counts = {"a": (3, 0), "b": (9, 0), "c": (5, 0)}
    assert keys(growth_ranking(counts, recent_total=20, baseline_total=0)) == ["b", "c", "a"]


@given(
    counts=st.dictionaries(st.integers(1, 400), st.tuples(st.integers(0, 30), st.integers(0, 30)), max_size=120),
    totals=st.tuples(st.integers(0, 500), st.integers(0, 2000)),
    limit=st.integers(0, 30),
)
def test_a_limit_gives_the_first_of_the_whole_ranking(counts, totals, limit):
    # Ties in growth and count included (small integers): the order is the whole ranking's, cut at the limit.
    whole = growth_ranking(counts, *totals)
    assert growth_ranking(counts, *totals, limit=limit) == whole[:limit]
