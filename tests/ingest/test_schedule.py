"""Pure scheduling: intervals from the publishing rate, jittered backoff, server hints, when to pause."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from tidings.ingest import schedule

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
DEFAULT = timedelta(minutes=30)


def hourly(count: int) -> list[datetime]:
    return [NOW - timedelta(hours=n) for n in range(count)]


def test_publishing_gap_is_the_median_gap():
    dates = [*hourly(5), NOW - timedelta(days=3)]  # one old outlier does not move the median
    assert schedule.publishing_gap(dates, now=NOW) == timedelta(hours=1)


def test_publishing_gap_ignores_future_and_missing_dates():
    dates = [NOW + timedelta(days=365 * 5), None, NOW, NOW - timedelta(hours=2)]
    assert schedule.publishing_gap(dates, now=NOW) == timedelta(hours=2)


def test_publishing_gap_needs_two_dates():
    assert schedule.publishing_gap([NOW, None], now=NOW) is None


def test_hourly_source_is_checked_every_half_hour():
    assert schedule.success_interval(timedelta(hours=1), default=DEFAULT) == timedelta(minutes=30)


def test_busy_source_is_not_checked_more_often_than_the_minimum():
    assert schedule.success_interval(timedelta(minutes=1), default=DEFAULT) == schedule.MIN_INTERVAL


def test_quiet_source_is_checked_at_least_daily():
    assert schedule.success_interval(timedelta(days=30), default=DEFAULT) == schedule.MAX_INTERVAL


def test_unknown_rate_uses_the_default():
    assert schedule.success_interval(None, default=DEFAULT) == DEFAULT


def test_max_age_postpones_the_next_check():
    interval = schedule.success_interval(timedelta(hours=1), default=DEFAULT, max_age_seconds=7200)
    assert interval == timedelta(hours=2)


def test_backoff_doubles_within_jitter_bounds():
    rng = random.Random(7)
    for errors, full in [(1, DEFAULT), (2, DEFAULT * 2), (3, DEFAULT * 4)]:
        delays = [schedule.backoff_delay(errors, base=DEFAULT, rng=rng) for _ in range(200)]
        assert all(full / 2 <= d <= full for d in delays)
        assert len(set(delays)) > 100  # jittered, not one value


def test_backoff_is_capped():
    delay = schedule.backoff_delay(40, base=DEFAULT, rng=random.Random(1))
    assert delay <= schedule.MAX_BACKOFF


def test_retry_after_wins_when_later_than_the_backoff():
    delay = schedule.backoff_delay(1, base=DEFAULT, rng=random.Random(1), retry_after=timedelta(hours=3))
    assert delay == timedelta(hours=3)


def test_retry_after_seconds():
    assert schedule.parse_retry_after("120", now=NOW) == timedelta(seconds=120)


def test_retry_after_http_date():
    assert schedule.parse_retry_after("Wed, 25 Nov 2026 12:10:00 GMT", now=NOW) == timedelta(minutes=10)


def test_retry_after_garbage_is_ignored():
    assert schedule.parse_retry_after("soon-ish", now=NOW) is None


def test_max_age_is_read_from_cache_control():
    assert schedule.parse_max_age("public, max-age=300") == 300


def test_no_cache_means_no_max_age():
    assert schedule.parse_max_age("no-cache, max-age=300") is None


def test_gone_pauses_at_once():
    assert schedule.should_pause(status_code=410, permanent=True, error_count=1, failing_since=NOW, now=NOW)


def test_not_found_pauses_only_after_long_persistent_failure():
    recent = NOW - timedelta(days=1)
    old = NOW - timedelta(days=20)
    assert not schedule.should_pause(status_code=404, permanent=True, error_count=50, failing_since=recent, now=NOW)
    assert not schedule.should_pause(status_code=404, permanent=True, error_count=3, failing_since=old, now=NOW)
    assert schedule.should_pause(status_code=404, permanent=True, error_count=10, failing_since=old, now=NOW)


def test_transient_errors_never_pause():
    old = NOW - timedelta(days=200)
    assert not schedule.should_pause(status_code=500, permanent=False, error_count=99, failing_since=old, now=NOW)
