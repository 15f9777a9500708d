"""The full-text setting in the API: sources expose it, adding a source accepts it."""

from __future__ import annotations

import pytest

from tests.sources.factories import SourceFactory
from tidings.sources.models import Source

pytestmark = pytest.mark.django_db


def add(client, reader, **payload):
    return client.post("/api/sources", payload, content_type="application/json", headers=reader.headers)


def test_sources_list_exposes_the_full_text_setting(client):
    SourceFactory(name="A", full_text="never")
    SourceFactory(name="B")
    items = client.get("/api/sources").json()["items"]
    assert [(item["name"], item["full_text"]) for item in items] == [("A", "never"), ("B", "auto")]


def test_added_source_takes_the_given_setting(client, reader):
    response = add(client, reader, url="https://example.org/feed", full_text="always")
    assert response.status_code == 201
    assert response.json()["full_text"] == "always"
    assert Source.objects.get().full_text == "always"


def test_added_source_defaults_to_auto(client, reader):
    assert add(client, reader, url="https://example.org/feed").json()["full_text"] == "auto"


def test_unknown_setting_is_422_and_nothing_stored(client, reader):
    response = add(client, reader, url="https://example.org/feed", full_text="sometimes")
    assert response.status_code == 422
    assert "full_text" in str(response.json())
    assert not Source.objects.exists()


def test_openapi_lists_the_choices(client):
    schema = client.get("/api/openapi.json").json()["components"]["schemas"]
    assert schema["SourceIn"]["properties"]["full_text"]["enum"] == ["auto", "always", "never"]


def patch(client, key, payload, headers=None):
    return client.patch(f"/api/sources/{key}", payload, content_type="application/json", headers=headers or {})


def test_patch_changes_the_setting_by_id_or_slug(client, reader):
    source = SourceFactory(name="Harbour Gazette", added_by=reader.user)
    response = patch(client, source.pk, {"full_text": "never"}, reader.headers)
    assert response.status_code == 200 and response.json()["full_text"] == "never"
    assert patch(client, source.slug, {"full_text": "always"}, reader.headers).json()["full_text"] == "always"
    source.refresh_from_db()
    assert source.full_text == "always"


def test_patch_with_an_unknown_setting_is_422_and_keeps_the_old_one(client, reader):
    source = SourceFactory(full_text="never", added_by=reader.user)
    assert patch(client, source.pk, {"full_text": "sometimes"}, reader.headers).status_code == 422
    source.refresh_from_db()
    assert source.full_text == "never"


def test_patch_needs_a_signed_in_reader(client):
    source = SourceFactory()
    assert patch(client, source.pk, {"full_text": "never"}).status_code == 401
    source.refresh_from_db()
    assert source.full_text == "auto"


def test_patch_of_an_unknown_source_is_404(client, reader):
    response = patch(client, 999999, {"full_text": "never"}, reader.headers)
    assert response.status_code == 404
    assert "no source" in response.json()["detail"]
