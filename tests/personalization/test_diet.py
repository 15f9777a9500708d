"""The News diet's pure fold: weeks, categories, shares against the follows."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tidings.personalization.diet import OTHER, UNFILED, Reading, news_diet, top_level, week_start

TODAY = date(2026, 12, 9)  # a Wednesday; its week starts Monday 7 December


def test_weeks_run_oldest_first_and_end_with_this_week():
    diet = news_diet([], [], TODAY, weeks=4)
    assert [w.start for w in diet.weeks] == [
        date(2026, 11, 16),
        date(2026, 11, 23),
        date(2026, 11, 30),
        date(2026, 12, 7),
    ]
    assert diet.empty


def test_an_article_counts_once_a_week_and_splits_between_its_categories():
    readings = [
        Reading(1, TODAY, frozenset({10})),
        Reading(1, TODAY - timedelta(days=1), frozenset({10})),  # same article, same week: once
        Reading(2, TODAY, frozenset({10, 20})),
        Reading(3, TODAY - timedelta(days=7), frozenset()),  # last week, filed nowhere
        Reading(4, TODAY - timedelta(weeks=30), frozenset({10})),  # before the window
    ]
    diet = news_diet(readings, [], TODAY, weeks=2)
    last, this = diet.weeks
    assert this.articles == 2 and this.by_category == {10: 1.5, 20: 0.5}
    assert last.articles == 1 and last.by_category == {UNFILED: 1.0}
    assert diet.total_read == 3
    assert diet.read_share == pytest.approx({10: 0.5, 20: 1 / 6, UNFILED: 1 / 3})
    assert diet.categories == (10, 20, UNFILED)


def test_follow_share_is_per_followed_category_and_unread_follows_are_shown():
    diet = news_diet([Reading(1, TODAY, frozenset({10}))], [10, 30, 30], TODAY)
    assert diet.follow_share == pytest.approx({10: 1 / 3, 30: 2 / 3})
    assert set(diet.categories) == {10, 30}
    assert diet.read_share == {10: 1.0}


def test_categories_past_the_shown_ones_fold_into_other():
    readings = [Reading(n, TODAY, frozenset({100 + n})) for n in range(5)] + [Reading(9, TODAY, frozenset({100}))]
    diet = news_diet(readings, [], TODAY, shown=2)
    assert diet.categories[:2] == (100, 101) and diet.categories[-1] == OTHER
    assert diet.weeks[-1].by_category == {100: 2.0, 101: 1.0, OTHER: 3.0}
    assert sum(diet.read_share.values()) == pytest.approx(1.0)


def test_week_start_is_monday():
    assert week_start(date(2026, 12, 13)) == date(2026, 12, 7)
    assert week_start(date(2026, 12, 7)) == date(2026, 12, 7)


def test_top_level_rolls_categories_up_to_their_root():
    parents = {1: None, 2: 1, 3: 2, 4: None}
    assert top_level([3, 2, 4], parents) == frozenset({1, 4})
    assert top_level([], parents) == frozenset()
