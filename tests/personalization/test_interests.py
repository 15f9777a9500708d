"""The implicit profile on hand-built events (pure, no database)."""

import math
from datetime import UTC, datetime, timedelta

import pytest

from tidings.personalization.interests import (
    BASE_RATE,
    BASE_STRENGTH,
    PRIOR_STRENGTH,
    Event,
    build_profile,
    decay,
    event_weight,
)

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


def cards(category: int, shown: int, opened: int, start: int, at: datetime = NOW) -> list[Event]:
    """`shown` impressions of different articles in one category, the first `opened` of them opened."""
    events = []
    for n in range(shown):
        about = {"article_id": start + n, "category_ids": frozenset({category})}
        events.append(Event("impression", at, **about))
        if n < opened:
            events.append(Event("open", at, **about))
    return events


def test_an_engaged_article_lifts_its_category_and_source_alike_and_its_topic_by_what_it_adds():
    profile = build_profile(
        [Event("save", NOW, article_id=1, category_ids=frozenset({7}), topic_ids=frozenset({3}), source_id=5)], NOW
    )
    lift = profile.score("category", 7)
    assert lift > 0
    assert profile.score("source", 5) == pytest.approx(lift)
    assert 0 < profile.score("topic", 3) < lift  # measured against category 7's (already lifted) rate
    assert profile.score("category", 8) == 0.0


def topical(category: int, topic: int | None, shown: int, opened: int, start: int) -> list[Event]:
    """Like cards(), every card also about `topic` (None: no topic)."""
    topics = frozenset() if topic is None else frozenset({topic})
    return [
        Event(e.kind, e.at, e.article_id, category_ids=e.category_ids, topic_ids=topics)
        for e in cards(category, shown, opened, start)
    ]


def test_a_topic_on_every_card_of_a_liked_category_adds_little_to_it():
    events = topical(1, 10, shown=20, opened=10, start=100) + topical(2, None, shown=20, opened=0, start=200)
    profile = build_profile(events, NOW)
    assert profile.score("category", 1) > 0.5
    assert abs(profile.score("topic", 10)) < 0.25 * profile.score("category", 1)  # was equal to it


def test_a_topic_read_inside_a_skipped_category_is_lifted_above_it():
    events = (
        topical(1, None, shown=20, opened=10, start=100)
        + topical(2, 20, shown=3, opened=3, start=200)
        + topical(2, None, shown=17, opened=0, start=300)
    )
    profile = build_profile(events, NOW)
    assert profile.score("category", 2) < 0
    assert profile.score("topic", 20) > 0.5


def test_a_topic_skipped_inside_a_liked_category_is_lowered():
    events = topical(1, None, shown=20, opened=12, start=100) + topical(1, 30, shown=8, opened=0, start=200)
    profile = build_profile(events, NOW)
    assert profile.score("category", 1) > 0
    assert profile.score("topic", 30) < -0.3


def test_a_score_is_the_log_of_a_things_shrunk_rate_against_the_typical_rate_of_its_kind():
    events = cards(1, shown=10, opened=5, start=100) + cards(2, shown=10, opened=0, start=200)
    profile = build_profile(events, NOW, prior_strength=PRIOR_STRENGTH)
    own = (5 + BASE_STRENGTH * BASE_RATE) / (20 + BASE_STRENGTH)
    first = [(5 + PRIOR_STRENGTH * own) / (10 + PRIOR_STRENGTH), PRIOR_STRENGTH * own / (10 + PRIOR_STRENGTH)]
    typical = sum(first) / 2  # the mean of the two categories' rates, each shrunk towards the reader's own
    expected = math.log((5 + PRIOR_STRENGTH * typical) / (10 + PRIOR_STRENGTH) / typical)
    assert profile.score("category", 1) == pytest.approx(expected)
    assert profile.score("category", 2) == pytest.approx(math.log(PRIOR_STRENGTH / (10 + PRIOR_STRENGTH)))


def test_the_typical_rate_is_per_kind_so_a_category_the_reader_was_mostly_shown_is_not_the_yardstick():
    liked = cards(1, shown=40, opened=20, start=100)
    others = [e for n in range(2, 6) for e in cards(n, shown=2, opened=0, start=100 * n)]
    profile = build_profile(liked + others, NOW)
    own = (20 + BASE_STRENGTH * BASE_RATE) / (48 + BASE_STRENGTH)
    shrunk_to_own = (20 + PRIOR_STRENGTH * own) / (40 + PRIOR_STRENGTH)
    assert profile.score("category", 1) > math.log(shrunk_to_own / own)  # more than its lift over the reader's own


def test_shown_and_skipped_lowers_a_category_more_the_more_often_it_is_skipped():
    base = cards(1, shown=10, opened=4, start=100)
    once = build_profile([*base, *cards(2, shown=2, opened=0, start=200)], NOW).score("category", 2)
    often = build_profile([*base, *cards(2, shown=20, opened=0, start=200)], NOW).score("category", 2)
    assert often < once < 0


def test_the_prior_keeps_a_little_evidence_near_zero():
    events = cards(1, shown=1, opened=1, start=100) + cards(2, shown=12, opened=12, start=200)
    events += cards(3, shown=30, opened=0, start=300)
    profile = build_profile(events, NOW)
    assert 0 < profile.score("category", 1) < profile.score("category", 2)


def test_a_reader_who_opens_everything_alike_learns_no_preference():
    profile = build_profile(cards(1, shown=10, opened=5, start=100) + cards(2, shown=10, opened=5, start=200), NOW)
    assert profile.score("category", 1) == pytest.approx(profile.score("category", 2))


def test_less_like_this_turns_a_thing_away_and_old_evidence_weighs_less():
    events = [
        Event("open", NOW - timedelta(days=28), article_id=1, category_ids=frozenset({1})),
        Event("less", NOW, article_id=2, category_ids=frozenset({2})),
        Event("open", NOW, article_id=3, category_ids=frozenset({3})),
    ]
    profile = build_profile(events, NOW, half_life_days=14)
    assert profile.score("category", 2) < 0
    assert 0 < profile.score("category", 1) < profile.score("category", 3)


def test_an_impression_counts_against_only_when_the_article_was_not_engaged_with():
    events = [
        Event("impression", NOW, article_id=1, category_ids=frozenset({1})),
        Event("open", NOW, article_id=1, category_ids=frozenset({1})),
        Event("impression", NOW, article_id=2, category_ids=frozenset({2})),
    ]
    profile = build_profile(events, NOW)
    assert profile.score("category", 1) > 0
    assert profile.score("category", 2) < 0


def test_reading_longer_lifts_more_than_opening():
    opened = [Event("impression", NOW, article_id=1, category_ids=frozenset({1}))]
    opened.append(Event("open", NOW, article_id=1, category_ids=frozenset({1})))
    read = [*opened, Event("read", NOW, article_id=1, value=240, category_ids=frozenset({1}))]
    skipped = cards(2, shown=10, opened=0, start=100)
    assert build_profile(read + skipped, NOW).score("category", 1) > build_profile(opened + skipped, NOW).score(
        "category", 1
    )


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
