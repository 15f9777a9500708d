"""sources.fetch_state: recording a fetch on a Source, its field list, and the one-word health everywhere."""

from __future__ import annotations

import re
from dataclasses import fields
from datetime import UTC, datetime, timedelta

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from tests.sources.factories import SourceFactory
from tidings.api.schemas import SourceHealthOut, SourceOut
from tidings.sources.fetch_state import (
    FETCH_STATE_FIELDS,
    PUBLIC_FETCH_STATE_FIELDS,
    VALIDATOR_FIELDS,
    failing_since,
    failure_number,
    health_word,
    interval_in_force,
    pause_reason,
    record_failure,
    record_not_modified,
    record_success,
)
from tidings.sources.health import FetchFacts, source_health
from tidings.sources.models import Source

NOW = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def fresh_source(**extra: object) -> Source:
    """An unsaved source: the record functions only set attributes."""
    return Source(name="Harbour News", url="https://harbour.example.org/feed", created_at=NOW - 30 * HOUR, **extra)


def succeeded(source: Source, at: datetime = NOW, **extra: object) -> Source:
    values = {"status_code": 200, "etag": '"v1"', "last_modified": "Mon, 07 Dec 2026 01:00:00 GMT"} | extra
    record_success(source, now=at, next_fetch_in=HOUR, **values)
    return source


def failed(
    source: Source, at: datetime = NOW, *, pause: bool = False, error: str = "the server answered 500"
) -> Source:
    record_failure(source, now=at, status_code=500, error=error, next_fetch_in=2 * HOUR, pause=pause)
    return source


def test_a_success_keeps_the_validators_and_schedules_the_next_fetch():
    source = succeeded(fresh_source())
    assert (source.etag, source.last_modified, source.last_status) == (
        '"v1"',
        "Mon, 07 Dec 2026 01:00:00 GMT",
        200,
    )
    assert (source.last_fetched_at, source.last_success_at, source.next_fetch_at) == (NOW, NOW, NOW + HOUR)
    assert (source.fetch_count, source.not_modified_count) == (1, 0)


def test_a_success_clears_the_error_and_the_failures_in_a_row():
    source = failed(failed(fresh_source()), NOW + HOUR)
    succeeded(source, NOW + 2 * HOUR)
    assert (source.last_error, source.error_count, source.fetch_count) == ("", 0, 3)


def max_length(name: str) -> int:
    return Source._meta.get_field(name).max_length


def test_validators_are_cut_to_what_the_fields_hold():
    source = succeeded(fresh_source(), etag="e" * 600, last_modified="m" * 200)
    assert (
        (len(source.etag), len(source.last_modified))
        == (max_length("etag"), max_length("last_modified"))
        == (
            512,
            128,
        )
    )


def test_not_modified_counts_as_a_success_and_keeps_the_validators():
    source = failed(succeeded(fresh_source()), NOW + HOUR)
    record_not_modified(source, now=NOW + 2 * HOUR, status_code=304, next_fetch_in=3 * HOUR)
    assert (source.etag, source.last_status, source.last_error, source.error_count) == ('"v1"', 304, "", 0)
    assert (source.fetch_count, source.not_modified_count) == (3, 1)
    assert (source.last_success_at, source.next_fetch_at) == (NOW + 2 * HOUR, NOW + 5 * HOUR)


def test_a_failure_counts_one_more_in_a_row_and_keeps_the_last_success():
    source = succeeded(fresh_source())
    failed(source, NOW + HOUR)
    failed(source, NOW + 2 * HOUR, error="could not connect")
    assert (source.error_count, source.last_error, source.last_status) == (2, "could not connect", 500)
    assert (source.last_success_at, source.etag) == (NOW, '"v1"')
    assert (source.last_fetched_at, source.next_fetch_at, source.fetch_count) == (NOW + 2 * HOUR, NOW + 4 * HOUR, 3)
    assert source.paused_reason == ""


def test_a_failure_that_retrying_cannot_fix_pauses_with_the_error_as_reason():
    source = failed(fresh_source(), pause=True, error="the server answered 410 Gone")
    assert source.paused_reason == "paused after an error that retrying cannot fix: the server answered 410 Gone"


def test_a_long_error_is_cut_to_what_the_paused_reason_holds():
    assert len(pause_reason("x" * 800)) == max_length("paused_reason") == 500


def test_the_failure_number_counts_failures_since_the_last_success():
    source = succeeded(fresh_source())
    assert failure_number(source) == 1
    failed(failed(source))
    assert failure_number(source) == 3


def test_failing_since_is_the_last_success_else_the_creation():
    source = fresh_source()
    assert failing_since(source) == NOW - 30 * HOUR
    assert failing_since(succeeded(source)) == NOW


def test_the_interval_in_force_is_the_last_success_interval_and_none_after_a_failure():
    source = fresh_source()
    assert interval_in_force(source) is None
    assert interval_in_force(succeeded(source)) == HOUR
    assert interval_in_force(failed(source)) is None


def test_recording_writes_only_fetch_state_fields():
    """What refresh saves after recording (with the source's own metadata) covers everything recorded."""
    source = fresh_source()
    before = model_to_dict(source)
    record_not_modified(source, now=NOW, status_code=304, next_fetch_in=HOUR)
    failed(succeeded(source), pause=True)
    after = model_to_dict(source)
    changed = {name for name in after if after[name] != before[name]}
    assert changed and changed <= set(FETCH_STATE_FIELDS)


def test_fetch_state_fields_are_source_fields_and_the_public_ones_leave_out_the_validators():
    model_fields = {field.name for field in Source._meta.get_fields()}
    assert set(FETCH_STATE_FIELDS) <= model_fields
    assert set(PUBLIC_FETCH_STATE_FIELDS) == set(FETCH_STATE_FIELDS) - set(VALIDATOR_FIELDS)


@pytest.mark.parametrize("schema", [SourceOut, SourceHealthOut])
def test_the_api_shows_every_public_fetch_field_and_no_validator(schema):
    shown = set(schema.model_fields)
    assert set(PUBLIC_FETCH_STATE_FIELDS) <= shown and not shown & set(VALIDATOR_FIELDS)


def test_health_facts_copy_every_public_fetch_field():
    copied = {field.name for field in fields(FetchFacts)} - {"source_id", "is_active", "created_at"}
    assert copied == set(PUBLIC_FETCH_STATE_FIELDS)


@pytest.mark.parametrize(
    ("state", "word"),
    [
        ({"is_active": False, "paused_reason": "gone", "last_error": "gone", "last_success_at": NOW}, "disabled"),
        ({"is_active": False}, "disabled"),
        ({"paused_reason": "gone", "last_error": "gone", "last_success_at": NOW}, "paused"),
        ({"last_error": "timed out", "last_success_at": NOW}, "failing"),
        ({"last_error": "timed out"}, "failing"),
        ({"last_success_at": NOW}, "ok"),
        ({}, "new"),
    ],
)
def test_health_word_takes_the_first_that_holds(state, word):
    assert health_word(fresh_source(**state)) == word


@pytest.mark.django_db
def test_a_paused_deactivated_source_reads_disabled_on_every_surface(client):
    """Regression: the health endpoint said "paused" while the pages and the source list said "disabled"."""
    source = SourceFactory(
        name="Closed Gazette",
        is_active=False,
        paused_reason=pause_reason("the server answered 410 Gone"),
        last_error="the server answered 410 Gone",
        last_status=410,
        last_success_at=NOW - 48 * HOUR,
    )
    listed = client.get(reverse("web:sources")).content.decode()
    page = client.get(reverse("web:source", args=[source.slug])).content.decode()
    api_item = client.get("/api/sources").json()["items"][0]
    api_health = client.get(f"/api/sources/{source.pk}/health").json()
    words = {
        "web list": re.findall(r'class="health health-(\w+)"', listed),
        "web page": re.findall(r'class="health health-(\w+)"', page),
        "api list": [api_item["health"]],
        "api health": [api_health["state"]],
        "health figures": [source_health(source, now=NOW).state],
        "model": [source.health],
    }
    assert words == {surface: ["disabled"] for surface in words}
