"""Who may change what in the API: only a source's adder, staff and editors change it or see its feed address;
readers add sources up to their limit; the OPML export needs an account and holds what the caller may see."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.sources.factories import SourceFactory
from tests.sources.personas import (
    RESOLVED_IP,
    SECRET_FEED_URL,
    SITE_URL,
    editor_persona,
    persona,
    private_source,
)
from tidings.sources.models import Source
from tidings.sources.opml import parse_opml

pytestmark = pytest.mark.django_db

OPML = b"""<?xml version="1.0"?><opml version="2.0"><head><title>Mine</title></head><body>
<outline text="One" xmlUrl="https://one.example.org/feed"/>
<outline text="Ledger again" xmlUrl="https://private.example.org/feed.xml?token=s3cr3t-feed-token" />
<outline text="Two" xmlUrl="https://two.example.org/feed"/>
<outline text="Three" xmlUrl="https://three.example.org/feed"/>
</body></opml>"""


@pytest.fixture(autouse=True)
def queued_refreshes(monkeypatch) -> list[int]:
    """Added sources' first refreshes are queued, not run (the feeds are not on the network)."""
    queued: list[int] = []
    monkeypatch.setattr("tidings.sources.services._enqueue_refresh", queued.append)
    return queued


def listed_and_health(client, source: Source, headers: dict[str, str] | None = None) -> tuple[dict, dict]:
    [item] = client.get("/api/sources", headers=headers or {}).json()["items"]
    health = client.get(f"/api/sources/{source.pk}/health", headers=headers or {}).json()
    return item, health


def test_anonymous_caller_gets_no_feed_address_and_no_ip(client):
    source = private_source(persona("owner").user)
    item, health = listed_and_health(client, source)
    assert (item["name"], item["site_url"], item["url"], item["can_change"]) == (
        "Private Ledger",
        SITE_URL,
        None,
        False,
    )
    for text in (str(item), str(health)):
        assert SECRET_FEED_URL not in text and RESOLVED_IP not in text
    assert (
        health["last_error"]
        == "private.example.org points to a private or reserved address ([hidden]); refusing to fetch it"
    )


def test_other_reader_gets_no_feed_address_and_no_ip(client):
    source = private_source(persona("owner").user)
    item, health = listed_and_health(client, source, persona("other").headers)
    assert item["url"] is None
    assert RESOLVED_IP not in item["last_error"] + item["paused_reason"] + health["last_error"]


@pytest.mark.parametrize("who", ["owner", "staff", "editor"])
def test_owner_staff_and_editors_get_the_feed_address_and_the_error_as_stored(client, who):
    owner = persona("owner")
    source = private_source(owner.user)
    caller = {"owner": owner, "staff": persona("staff", is_staff=True), "editor": editor_persona()}[who]
    item, health = listed_and_health(client, source, caller.headers)
    assert (item["url"], item["can_change"]) == (SECRET_FEED_URL, True)
    assert RESOLVED_IP in item["last_error"] and RESOLVED_IP in health["last_error"]


def test_owner_signed_in_by_session_gets_the_feed_address(client):
    owner = persona("owner")
    private_source(owner.user)
    client.force_login(owner.user)
    assert client.get("/api/sources").json()["items"][0]["url"] == SECRET_FEED_URL


def test_bad_token_on_the_public_list_is_401(client):
    response = client.get("/api/sources", headers={"Authorization": "Bearer not-a-token"})
    assert response.status_code == 401 and "authentication required" in response.json()["detail"]


def patch(client, source: Source, headers: dict[str, str]):
    return client.patch(
        f"/api/sources/{source.pk}", {"full_text": "never"}, content_type="application/json", headers=headers
    )


def test_other_reader_cannot_patch_a_source_403_json(client):
    source = private_source(persona("owner").user, full_text="auto")
    response = patch(client, source, persona("other").headers)
    assert response.status_code == 403
    assert response.json() == {
        "detail": "You cannot change “Private Ledger”: only the reader who added it, staff and editors change a source."
    }
    assert Source.objects.get(pk=source.pk).full_text == "auto"


def test_operator_added_source_is_patched_by_editors_not_readers(client):
    source = SourceFactory(full_text="auto")
    assert patch(client, source, persona("reader").headers).status_code == 403
    assert patch(client, source, editor_persona().headers).status_code == 200
    assert Source.objects.get(pk=source.pk).full_text == "never"


def add(client, headers: dict[str, str], url: str = "https://fresh.example.org/feed"):
    return client.post("/api/sources", {"url": url}, content_type="application/json", headers=headers)


def test_added_source_is_the_callers(client):
    reader = persona("reader")
    response = add(client, reader.headers)
    assert response.status_code == 201 and response.json()["url"] == "https://fresh.example.org/feed"
    assert Source.objects.get().added_by == reader.user


def test_adding_over_the_limit_is_403_with_the_reason(client, settings):
    settings.MAX_SOURCES_PER_READER = 1
    reader = persona("reader")
    assert add(client, reader.headers, "https://first.example.org/feed").status_code == 201
    response = add(client, reader.headers, "https://second.example.org/feed")
    assert response.status_code == 403
    assert response.json() == {
        "detail": "You cannot add a source: you have added 1 sources, the limit for one reader on this server is 1."
    }
    assert Source.objects.count() == 1


def test_editors_add_beyond_the_limit(client, settings):
    settings.MAX_SOURCES_PER_READER = 0
    assert add(client, editor_persona().headers).status_code == 201


def import_opml(client, headers: dict[str, str]):
    upload = SimpleUploadedFile("mine.opml", OPML, content_type="text/x-opml")
    return client.post("/api/sources/import-opml", {"file": upload}, headers=headers)


def test_import_adds_up_to_the_limit_and_reports_the_rest_as_not_added(client, settings):
    settings.MAX_SOURCES_PER_READER = 2
    private_source(persona("owner").user)
    reader = persona("reader")
    response = import_opml(client, reader.headers)
    assert response.status_code == 200, response.content
    body = response.json()
    assert [source["name"] for source in body["added"]] == ["One", "Two"]
    assert [source["name"] for source in body["already_present"]] == ["Private Ledger"]  # not counted
    assert [(error["title"], error["reason"]) for error in body["errors"]] == [
        ("Three", "not added: you have added 2 sources, the limit for one reader on this server is 2")
    ]
    assert Source.objects.filter(added_by=reader.user).count() == 2


def test_import_never_changes_a_source_someone_else_added(client):
    source = private_source(persona("owner").user, folder="")
    opml = OPML.replace(b'<outline text="Ledger again"', b'<outline text="Filed"><outline text="Ledger again"')
    opml = opml.replace(b'token=s3cr3t-feed-token" />', b'token=s3cr3t-feed-token" /></outline>')
    upload = SimpleUploadedFile("mine.opml", opml, content_type="text/x-opml")
    response = client.post("/api/sources/import-opml", {"file": upload}, headers=persona("reader").headers)
    assert response.status_code == 200, response.content
    assert Source.objects.get(pk=source.pk).folder == ""


def test_import_with_no_quota_left_is_403(client, settings):
    settings.MAX_SOURCES_PER_READER = 0
    response = import_opml(client, persona("reader").headers)
    assert response.status_code == 403
    assert response.json()["detail"] == "You cannot add a source: on this server only staff and editors add sources."
    assert not Source.objects.exists()


def test_export_needs_an_account(client):
    private_source(None)
    response = client.get("/api/sources/export.opml")
    assert response.status_code == 401 and "authentication required" in response.json()["detail"]


def exported_urls(client, headers: dict[str, str]) -> set[str]:
    response = client.get("/api/sources/export.opml", headers=headers)
    assert response.status_code == 200
    return {feed.xml_url for feed in parse_opml(response.content).feeds}


def test_reader_exports_the_sources_they_added_staff_export_all(client):
    owner = persona("owner")
    private_source(owner.user)
    SourceFactory(url="https://public.example.org/feed", added_by=persona("other").user)
    SourceFactory(url="https://operator.example.org/feed")
    assert exported_urls(client, owner.headers) == {SECRET_FEED_URL}
    assert exported_urls(client, persona("reader").headers) == set()
    assert exported_urls(client, persona("staff", is_staff=True).headers) == {
        SECRET_FEED_URL,
        "https://public.example.org/feed",
        "https://operator.example.org/feed",
    }


def test_import_reports_a_present_source_by_the_files_address_unless_the_caller_may_see_the_stored_one(client):
    owner = persona("owner")
    private_source(owner.user, url="https://private.example.org/feed.xml?lang=en&token=s3cr3t-feed-token")
    spelled = "https://PRIVATE.example.org/feed.xml?token=s3cr3t-feed-token&amp;lang=en&amp;utm_source=mail"
    opml = f'<opml version="2.0"><body><outline text="L" xmlUrl="{spelled}"/></body></opml>'.encode()

    def present_url(caller) -> str:
        upload = SimpleUploadedFile("mine.opml", opml, content_type="text/x-opml")
        body = client.post("/api/sources/import-opml", {"file": upload}, headers=caller.headers).json()
        [present] = body["already_present"]
        return present["url"]

    assert present_url(persona("other")) == spelled.replace("&amp;", "&")
    assert present_url(owner) == "https://private.example.org/feed.xml?lang=en&token=s3cr3t-feed-token"
