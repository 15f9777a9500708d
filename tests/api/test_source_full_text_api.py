"""The full-text setting in the API: sources expose it, adding a source accepts it."""

from __future__ import annotations

import pytest

from tests.factories import SourceFactory
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
