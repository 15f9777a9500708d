"""GET /api/sources (with health) and POST /api/sources (authenticated)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.sources.factories import SourceFactory
from tidings.sources.models import Source

pytestmark = pytest.mark.django_db


def test_sources_list_health(client):
    SourceFactory(name="A failing", last_error="HTTP 500 from server")
    SourceFactory(name="B fine", last_success_at=timezone.now())
    SourceFactory(name="C paused", paused_reason="gone (HTTP 410)")
    items = client.get("/api/sources").json()["items"]
    assert [(item["name"], item["health"]) for item in items] == [
        ("A failing", "failing"),
        ("B fine", "ok"),
        ("C paused", "paused"),
    ]
    assert items[0]["last_error"] == "HTTP 500 from server"


def test_sources_are_paginated(client):
    SourceFactory.create_batch(3)
    body = client.get("/api/sources", {"limit": 1}).json()
    assert (len(body["items"]), body["count"]) == (1, 3)


def test_adding_a_source_needs_authentication(client):
    response = client.post("/api/sources", {"url": "https://example.org/feed"}, content_type="application/json")
    assert response.status_code == 401
    assert "authentication required" in response.json()["detail"]
    assert not Source.objects.exists()


def test_adding_a_source_with_a_bad_token_is_401(client):
    response = client.post(
        "/api/sources",
        {"url": "https://example.org/feed"},
        content_type="application/json",
        headers={"Authorization": "Bearer tid_not-a-real-token"},
    )
    assert response.status_code == 401
    assert "detail" in response.json()
    assert not Source.objects.exists()  # nothing stored for an unauthenticated add


def test_adding_a_source_without_url_is_422(client, reader):
    response = client.post("/api/sources", {"name": "x"}, content_type="application/json", headers=reader.headers)
    assert response.status_code == 422
    assert response.json()["detail"].startswith("url: ")


def test_adding_a_source_with_malformed_json_is_400(client, reader):
    response = client.post("/api/sources", "{not json", content_type="application/json", headers=reader.headers)
    assert response.status_code == 400
    assert response.json()["detail"]


def test_adding_a_source_creates_it(client, reader):
    response = client.post(
        "/api/sources",
        {"url": "https://news.example.org/feed.xml", "name": "Example News"},
        content_type="application/json",
        headers=reader.headers,
    )
    assert response.status_code == 201, response.content
    assert response.json()["name"] == "Example News"
    assert Source.objects.filter(pk=response.json()["id"]).exists()


def test_adding_a_duplicate_source_is_400_with_message(client, reader):
    SourceFactory(url="https://news.example.org/feed.xml")
    response = client.post(
        "/api/sources",
        {"url": "https://news.example.org/feed.xml"},
        content_type="application/json",
        headers=reader.headers,
    )
    assert response.status_code == 400
    assert response.json()["detail"]
    assert Source.objects.count() == 1
