"""An editor pauses, resumes and refreshes sources from the admin list (sources.pausing, sources.signals)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from tests.accounts.newsroom import editor
from tests.sources.factories import SourceFactory
from tidings.sources.fetch_state import pause_reason
from tidings.sources.models import Source
from tidings.sources.pausing import PAUSED_BY_EDITOR, pause_sources, resume_sources

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent.parent / "ingest" / "data"


def run(client, action: str, sources: list[Source]):
    return client.post(
        reverse("admin:sources_source_changelist"),
        {"action": action, "_selected_action": [source.pk for source in sources]},
        follow=True,
    )


@pytest.fixture
def ed_client(client):
    client.force_login(editor())
    return client


def test_editor_pauses_sources_and_due_skips_them(ed_client):
    running, already = SourceFactory(), SourceFactory(paused_reason=pause_reason("HTTP 410 Gone"))
    response = run(ed_client, "pause", [running, already])
    assert "Paused 1 source(s)." in response.content.decode()
    running.refresh_from_db()
    already.refresh_from_db()
    assert running.paused_reason == PAUSED_BY_EDITOR and running.health == "paused"
    assert already.paused_reason.endswith("HTTP 410 Gone")  # its own reason is kept
    assert not Source.objects.due().filter(pk__in=[running.pk, already.pk]).exists()


def test_editor_resumes_a_paused_source_with_its_backoff_reset(ed_client):
    paused = SourceFactory(paused_reason=PAUSED_BY_EDITOR, error_count=4, last_error="")
    response = run(ed_client, "resume", [paused])
    assert "Resumed 1 source(s)." in response.content.decode()
    paused.refresh_from_db()
    assert paused.paused_reason == "" and paused.error_count == 0 and paused.next_fetch_at is None
    assert Source.objects.due().filter(pk=paused.pk).exists()


def test_health_filter_lists_the_paused_sources(ed_client):
    paused, _running = SourceFactory(name="Paused One"), SourceFactory(name="Running One")
    pause_sources([paused.pk])
    page = ed_client.get(reverse("admin:sources_source_changelist"), {"health": "paused"}).content.decode()
    assert "Paused One" in page and "Running One" not in page
    resume_sources([paused.pk])
    page = ed_client.get(reverse("admin:sources_source_changelist"), {"health": "paused"}).content.decode()
    assert "Paused One" not in page


def test_editor_refreshes_a_source_now(ed_client, server):
    url = server.add("/feed", (DATA / "rss2.xml").read_bytes(), content_type="application/rss+xml")
    source = Source.objects.create(url=url, name="chosen")
    response = run(ed_client, "refresh_now", [source])
    assert "Queued a refresh for 1 source(s)." in response.content.decode()
    source.refresh_from_db()
    assert source.last_success_at is not None and server.hits["/feed"] == 1
