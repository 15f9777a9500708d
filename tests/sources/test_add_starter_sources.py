"""`tidings add_starter_sources`: public feeds added once, kind detected on first fetch."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from tidings.sources.models import Source, SourceKind
from tidings.sources.starter import STARTER_FEEDS

pytestmark = pytest.mark.django_db


def add_starter_sources() -> str:
    out = StringIO()
    call_command("add_starter_sources", stdout=out)
    return out.getvalue()


def test_starter_sources_are_added_with_undetected_kind():
    out = add_starter_sources()
    assert Source.objects.count() == len(STARTER_FEEDS) >= 10
    assert set(Source.objects.values_list("kind", flat=True)) == {SourceKind.UNKNOWN}
    assert f"Added {len(STARTER_FEEDS)} starter sources" in out


def test_adding_starter_sources_twice_adds_nothing():
    add_starter_sources()
    out = add_starter_sources()
    assert Source.objects.count() == len(STARTER_FEEDS)
    assert "Added 0 starter sources" in out


def test_a_feed_that_is_already_a_source_is_left_alone():
    feed = STARTER_FEEDS[0]
    Source.objects.create(url=feed.url, name="My own name")
    add_starter_sources()
    assert Source.objects.get(url=feed.url).name == "My own name"
    assert Source.objects.count() == len(STARTER_FEEDS)


def test_starter_feeds_have_distinct_https_urls():
    urls = [feed.url for feed in STARTER_FEEDS]
    assert len(set(urls)) == len(urls)
    assert all(url.startswith("https://") for url in urls)
