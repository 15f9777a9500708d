"""Source health figures: the pure computation and the edge that counts recent items."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from tests.articles.factories import ArticleFactory
from tests.sources.factories import SourceFactory
from tidings.sources.health import FetchFacts, compute_health, count_recent_items, source_health, status_text

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)

FACTS = FetchFacts(
    source_id=7,
    is_active=True,
    created_at=NOW - timedelta(days=30),
    last_fetched_at=NOW - timedelta(minutes=10),
    last_success_at=NOW - timedelta(minutes=10),
    next_fetch_at=NOW + timedelta(minutes=20),
    last_status=200,
    last_error="",
    error_count=0,
    fetch_count=40,
    not_modified_count=30,
    paused_reason="",
)


def health(facts: FetchFacts = FACTS, recent_items: int = 0):
    return compute_health(facts, recent_items=recent_items, now=NOW)


def test_not_modified_rate_is_the_share_of_fetches_answered_304():
    assert health().not_modified_rate == 0.75


def test_not_modified_rate_is_unknown_before_the_first_fetch():
    assert health(replace(FACTS, fetch_count=0, not_modified_count=0)).not_modified_rate is None


def test_items_per_day_averages_the_last_seven_days():
    assert health(recent_items=35).items_per_day == 5.0


def test_items_per_day_of_a_young_source_divides_by_its_age():
    young = replace(FACTS, created_at=NOW - timedelta(days=2))
    assert health(young, recent_items=10).items_per_day == 5.0


def test_items_per_day_of_a_source_added_today_counts_a_whole_day():
    brand_new = replace(FACTS, created_at=NOW - timedelta(hours=1))
    assert health(brand_new, recent_items=30).items_per_day == 30.0


def test_recent_item_count_is_passed_through():
    assert health(recent_items=12).items_last_7_days == 12


def test_healthy_source_is_ok():
    assert health().state == "ok"


def test_source_with_an_error_is_failing_and_shows_it_in_plain_words():
    failing = replace(FACTS, last_error="the server sent 60 MB; the limit is 10 MB", last_status=None, error_count=2)
    result = health(failing)
    assert (result.state, result.last_error, result.error_count) == (
        "failing",
        "the server sent 60 MB; the limit is 10 MB",
        2,
    )


def test_paused_source_has_its_reason_and_no_next_fetch():
    paused = replace(FACTS, paused_reason="gone (HTTP 410)", last_status=410)
    result = health(paused)
    assert (result.state, result.paused_reason, result.next_fetch_at) == ("paused", "gone (HTTP 410)", None)


def test_disabled_source_has_no_next_fetch():
    result = health(replace(FACTS, is_active=False))
    assert (result.state, result.next_fetch_at) == ("disabled", None)


def test_never_fetched_source_is_new():
    never = replace(FACTS, last_fetched_at=None, last_success_at=None, last_status=None, fetch_count=0)
    assert health(never).state == "new"


def test_next_fetch_is_reported_for_an_active_source():
    assert health().next_fetch_at == NOW + timedelta(minutes=20)


def test_last_status_is_given_with_its_name():
    assert health(replace(FACTS, last_status=304)).last_status_text == "304 Not Modified"


@pytest.mark.parametrize(("status", "text"), [(None, ""), (429, "429 Too Many Requests"), (599, "HTTP 599")])
def test_status_text(status, text):
    assert status_text(status) == text


@pytest.mark.django_db
def test_recent_items_count_only_this_source_in_the_window():
    source = SourceFactory()
    ArticleFactory(source=source, fetched_at=NOW - timedelta(days=1))
    ArticleFactory(source=source, fetched_at=NOW - timedelta(days=6, hours=23))
    ArticleFactory(source=source, fetched_at=NOW - timedelta(days=8))
    ArticleFactory(fetched_at=NOW - timedelta(days=1))
    assert count_recent_items(source.pk, since=NOW - timedelta(days=7)) == 2


@pytest.mark.django_db
def test_source_health_reads_the_source_and_its_articles():
    source = SourceFactory(
        created_at=NOW - timedelta(days=30),
        last_success_at=NOW - timedelta(hours=1),
        last_status=200,
        fetch_count=10,
        not_modified_count=9,
    )
    ArticleFactory.create_batch(14, source=source, fetched_at=NOW - timedelta(days=2))
    result = source_health(source, now=NOW)
    assert (result.source_id, result.state, result.items_per_day, result.not_modified_rate) == (
        source.pk,
        "ok",
        2.0,
        0.9,
    )


@pytest.mark.django_db
def test_source_health_takes_one_query(django_assert_num_queries):
    source = SourceFactory(created_at=NOW - timedelta(days=10), last_success_at=NOW - timedelta(hours=1))
    ArticleFactory.create_batch(5, source=source, fetched_at=NOW - timedelta(days=1))
    with django_assert_num_queries(1):
        result = source_health(source, now=NOW)
    assert (result.source_id, result.state, result.items_last_7_days) == (source.pk, "ok", 5)
