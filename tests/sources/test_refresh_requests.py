"""Sources asks ingest for refreshes through a signal (sources imports no ingest module): a source just
added and the admin's "refresh now" action both end in ingest's refresh task."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from tidings.sources.models import Source
from tidings.sources.signals import refresh_wanted, want_refresh

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent.parent / "ingest" / "data"


def test_ingest_takes_refresh_requests(server):
    url = server.add("/feed", (DATA / "rss2.xml").read_bytes(), content_type="application/rss+xml")
    source = Source.objects.create(url=url, name="x")
    assert want_refresh([source.pk]) == 1  # one receiver: ingest's (the suite runs tasks immediately)
    source.refresh_from_db()
    assert (source.kind, server.hits["/feed"]) == ("rss", 1)


def test_no_receiver_means_no_refresh_and_says_so():
    source = Source.objects.create(url="https://news.example/feed.xml", name="x")
    receivers = refresh_wanted.receivers
    refresh_wanted.receivers = []
    refresh_wanted.sender_receivers_cache.clear()
    try:
        assert want_refresh([source.pk]) == 0
    finally:
        refresh_wanted.receivers = receivers
        refresh_wanted.sender_receivers_cache.clear()
    source.refresh_from_db()
    assert source.last_fetched_at is None


def test_admin_refresh_now_refreshes_the_selected_sources_with_an_address(admin_client, server):
    url = server.add("/feed", (DATA / "rss2.xml").read_bytes(), content_type="application/rss+xml")
    chosen = Source.objects.create(url=url, name="chosen")
    no_address = Source.objects.create(url="", name="no address")
    other = Source.objects.create(url=url.replace("/feed", "/other"), name="not chosen")
    response = admin_client.post(
        reverse("admin:sources_source_changelist"),
        {"action": "refresh_now", "_selected_action": [chosen.pk, no_address.pk]},
        follow=True,
    )
    assert "Queued a refresh for 1 source(s)." in response.content.decode()
    chosen.refresh_from_db()
    other.refresh_from_db()
    assert chosen.kind == "rss" and chosen.last_success_at is not None
    assert other.last_fetched_at is None and server.hits["/feed"] == 1
