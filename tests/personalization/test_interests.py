"""The implicit profile on hand-built events (pure, no database)."""

from datetime import UTC, datetime, timedelta

import pytest

from tidings.personalization.interests import Event, build_profile, decay, event_weight

NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)


def test_decay_halves_every_half_life_and_future_counts_as_now():
    assert decay(NOW, NOW) == 1.0
    assert decay(NOW - timedelta(days=14), NOW, 14) == pytest.approx(0.5)
    assert decay(NOW - timedelta(days=28), NOW, 14) == pytest.approx(0.25)
    assert decay(NOW + timedelta(days=3), NOW) == 1.0


def test_reading_longer_tells_more_but_is_capped():
    short = event_weight(Event("read", NOW, value=10))
    long = event_weight(Event("read", NOW, value=240))
    forever = event_weight(Event("read", NOW, value=10_000))
    assert 0 < short < long <= forever
    assert forever == event_weight(Event("read", NOW, value=20_000))


def test_scores_spread_over_categories_topics_and_source():
    profile = build_profile(
        [Event("save", NOW, article_id=1, category_ids=frozenset({7}), topic_ids=frozenset({3}), source_id=5)], NOW
    )
    assert profile.score("category", 7) == pytest.approx(3.0)
    assert profile.score("topic", 3) == pytest.approx(3.0)
    assert profile.score("source", 5) == pytest.approx(1.5)
    assert profile.score("category", 8) == 0.0


def test_less_like_this_turns_a_thing_away_and_old_evidence_weighs_less():
    events = [
        Event("open", NOW - timedelta(days=28), article_id=1, category_ids=frozenset({1})),
        Event("less", NOW, article_id=2, category_ids=frozenset({2})),
        Event("open", NOW, article_id=3, category_ids=frozenset({3})),
    ]
    profile = build_profile(events, NOW, half_life_days=14)
    assert profile.score("category", 2) < 0
    assert profile.score("category", 1) == pytest.approx(0.25)
    assert profile.score("category", 3) == pytest.approx(1.0)


def test_an_impression_counts_against_only_when_the_article_was_not_engaged_with():
    events = [
        Event("impression", NOW, article_id=1, category_ids=frozenset({1})),
        Event("open", NOW, article_id=1, category_ids=frozenset({1})),
        Event("impression", NOW, article_id=2, category_ids=frozenset({2})),
    ]
    profile = build_profile(events, NOW)
    assert profile.score("category", 1) == pytest.approx(1.0)
    assert profile.score("category", 2) < 0


def test_taste_is_the_unit_weighted_mean_of_engaged_embeddings():
    events = [
        Event("save", NOW, article_id=1, embedding=(1.0, 0.0)),
        Event("open", NOW, article_id=2, embedding=(0.0, 1.0)),
        Event("hide", NOW, article_id=3, embedding=(-1.0, -1.0)),
    ]
    taste = build_profile(events, NOW).taste
    assert taste is not None
    assert taste[0] > taste[1] > 0  # the save weighs three opens; the hide adds nothing to taste
    assert sum(x * x for x in taste) == pytest.approx(1.0)
    assert build_profile([Event("hide", NOW, article_id=3, embedding=(1.0, 0.0))], NOW).taste is None
