"""Who may change what on the web: a source's adder, staff and editors change it and see its feed address;
other readers and anonymous visitors see its name, site and health without addresses."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.sources.factories import SourceFactory
from tests.sources.personas import (
    RESOLVED_IP,
    SECRET_FEED_URL,
    SITE_URL,
    editor_persona,
    persona,
    private_source,
)
from tidings.sources.models import OpmlImport, Source

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def queued_refreshes(monkeypatch) -> list[int]:
    """Added sources' first refreshes are queued, not run (the feeds are not on the network)."""
    queued: list[int] = []
    monkeypatch.setattr("tidings.sources.services._enqueue_refresh", queued.append)
    return queued


OPML = b"""<?xml version="1.0"?><opml version="2.0"><head><title>Mine</title></head><body>
<outline text="One" xmlUrl="https://one.example.org/feed"/>
<outline text="Two" xmlUrl="https://two.example.org/feed"/>
<outline text="Three" xmlUrl="https://three.example.org/feed"/>
</body></opml>"""


def pages(client, source: Source) -> list[str]:
    return [client.get(reverse("web:sources")).content.decode(), client.get(source.get_absolute_url()).content.decode()]


def test_anonymous_visitor_sees_name_and_site_but_no_feed_address_or_ip(client):
    source = private_source(persona("owner").user)
    for body in pages(client, source):
        assert "Private Ledger" in body
        assert SECRET_FEED_URL not in body and "s3cr3t-feed-token" not in body
        assert RESOLVED_IP not in body
    assert SITE_URL in pages(client, source)[1]
    assert "private or reserved address ([hidden])" in pages(client, source)[1]


def test_other_reader_sees_no_feed_address_or_ip_and_no_settings_form(client):
    source = private_source(persona("owner").user)
    client.force_login(persona("other").user)
    for body in pages(client, source):
        assert SECRET_FEED_URL not in body and RESOLVED_IP not in body
    body = pages(client, source)[1]
    assert reverse("web:source_full_text", args=[source.slug]) not in body
    assert "Only the reader who added this source, staff and editors change its settings." in body


@pytest.mark.parametrize("who", ["owner", "staff", "editor"])
def test_owner_staff_and_editors_see_the_feed_address_the_ip_and_the_form(client, who):
    owner = persona("owner")
    source = private_source(owner.user)
    user = {"owner": owner.user, "staff": persona("staff", is_staff=True).user, "editor": editor_persona().user}[who]
    client.force_login(user)
    listing, page = pages(client, source)
    assert RESOLVED_IP in listing
    assert SECRET_FEED_URL in page and RESOLVED_IP in page
    assert reverse("web:source_full_text", args=[source.slug]) in page


def test_other_reader_cannot_change_a_source_and_gets_a_403_page(client):
    source = private_source(persona("owner").user, full_text="auto")
    client.force_login(persona("other").user)
    response = client.post(reverse("web:source_full_text", args=[source.slug]), {"full_text": "never"})
    assert response.status_code == 403
    assert "only the reader who added it, staff and editors change a source" in response.content.decode()
    assert Source.objects.get(pk=source.pk).full_text == "auto"


def test_operator_added_source_is_changed_by_editors_only(client):
    source = SourceFactory(full_text="auto")  # added_by empty: the operator's
    client.force_login(persona("reader").user)
    url = reverse("web:source_full_text", args=[source.slug])
    assert client.post(url, {"full_text": "never"}).status_code == 403
    client.force_login(editor_persona().user)
    assert client.post(url, {"full_text": "never"}).status_code == 302
    assert Source.objects.get(pk=source.pk).full_text == "never"


def test_added_source_belongs_to_the_reader_who_added_it(client):
    reader = persona("reader").user
    client.force_login(reader)
    response = client.post(reverse("web:sources"), {"url": "https://fresh.example.org/feed", "name": ""})
    assert response.status_code == 302
    assert Source.objects.get().added_by == reader


def test_reader_over_the_limit_gets_a_form_error_and_nothing_is_added(client, settings):
    settings.MAX_SOURCES_PER_READER = 1
    reader = persona("reader").user
    SourceFactory(added_by=reader)
    client.force_login(reader)
    response = client.post(reverse("web:sources"), {"url": "https://fresh.example.org/feed", "name": ""})
    assert response.status_code == 403
    assert "the limit for one reader on this server is 1" in response.content.decode()
    assert Source.objects.count() == 1


def test_reader_at_the_limit_sees_why_instead_of_the_add_form(client, settings):
    settings.MAX_SOURCES_PER_READER = 1
    reader = persona("reader").user
    SourceFactory(added_by=reader)
    client.force_login(reader)
    body = client.get(reverse("web:sources")).content.decode()
    assert "You cannot add more sources: you have added 1 sources" in body
    assert 'action="/sources/" novalidate' not in body


def test_staff_add_beyond_the_limit(client, settings):
    settings.MAX_SOURCES_PER_READER = 0
    client.force_login(persona("staff", is_staff=True).user)
    response = client.post(reverse("web:sources"), {"url": "https://fresh.example.org/feed", "name": ""})
    assert response.status_code == 302 and Source.objects.count() == 1


def test_opml_upload_with_no_quota_left_is_refused_and_stores_nothing(client, settings):
    settings.MAX_SOURCES_PER_READER = 0
    client.force_login(persona("reader").user)
    upload = SimpleUploadedFile("mine.opml", OPML, content_type="text/x-opml")
    response = client.post(reverse("web:opml_import_start"), {"file": upload})
    assert response.status_code == 403
    assert "only staff and editors add sources" in response.content.decode()
    assert not OpmlImport.objects.exists() and not Source.objects.exists()


def test_opml_upload_adds_the_readers_sources_up_to_the_limit_and_lists_the_rest(
    client, settings, django_capture_on_commit_callbacks
):
    settings.MAX_SOURCES_PER_READER = 2
    reader = persona("reader").user
    client.force_login(reader)
    upload = SimpleUploadedFile("mine.opml", OPML, content_type="text/x-opml")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("web:opml_import_start"), {"file": upload})
    job = OpmlImport.objects.get()
    assert (job.status, job.imported) == ("done", 2)
    [refused] = job.bad_entries
    assert refused["title"] == "Three"
    assert refused["reason"] == "not added: you have added 2 sources, the limit for one reader on this server is 2"
    assert set(Source.objects.values_list("added_by", flat=True)) == {reader.pk}
