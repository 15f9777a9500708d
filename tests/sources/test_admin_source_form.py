"""Adding and changing a source in the admin checks the address as the Sources page does (sources.services)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.accounts.newsroom import editor
from tests.sources.factories import SourceFactory
from tidings.sources.models import Source
from tidings.sources.signals import refresh_wanted

pytestmark = pytest.mark.django_db


@pytest.fixture
def ed_client(client):
    client.force_login(editor())
    return client


@pytest.fixture
def refresh_requests():
    """Source ids asked to be refreshed; ingest's receiver is set aside (the feeds are not on the network)."""
    asked: list[int] = []
    saved = refresh_wanted.receivers
    refresh_wanted.receivers = []
    refresh_wanted.sender_receivers_cache.clear()

    def record(sender: object, source_ids: list[int], **kwargs: object) -> None:
        asked.extend(source_ids)

    refresh_wanted.connect(record, weak=False)
    yield asked
    refresh_wanted.receivers = saved
    refresh_wanted.sender_receivers_cache.clear()


def test_editor_adds_a_source_that_is_normalised_and_queued(
    ed_client, refresh_requests, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = ed_client.post(
            reverse("admin:sources_source_add"),
            {"url": "News.Example.org/feed.xml", "name": "", "full_text": "auto", "folder": "Local"},
        )
    source = Source.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("admin:sources_source_changelist")
    assert (source.url, source.name, source.folder, source.added_by_id) == (
        "https://news.example.org/feed.xml",
        "news.example.org",
        "Local",
        None,
    )
    assert refresh_requests == [source.pk]


def test_a_second_source_for_the_same_feed_is_refused_with_the_first_ones_name(ed_client):
    SourceFactory(name="Harbour Herald", url="https://herald.example.org/feed.xml")
    response = ed_client.post(
        reverse("admin:sources_source_add"), {"url": "https://HERALD.example.org/feed.xml", "full_text": "auto"}
    )
    assert response.status_code == 200
    assert "is already a source (“Harbour Herald”)" in response.content.decode()
    assert Source.objects.count() == 1


def test_changing_the_address_to_something_else_than_a_web_address_is_refused(ed_client):
    source = SourceFactory(name="Harbour Herald")
    data = {"name": source.name, "url": "not an address", "kind": "rss", "full_text": "auto", "is_active": "on"}
    data |= {"boilerplate": "{}", "site_url": "", "language": "en", "folder": "", "paused_reason": "", "added_by": ""}
    response = ed_client.post(reverse("admin:sources_source_change", args=[source.pk]), data)
    assert response.status_code == 200 and "is not a web address" in response.content.decode()
    source.refresh_from_db()
    assert source.url.startswith("https://")
