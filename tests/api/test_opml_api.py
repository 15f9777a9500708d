"""GET /api/sources/{id}/health, POST /api/sources/import-opml (authenticated), GET /api/sources/export.opml."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.articles.factories import ArticleFactory
from tests.sources.factories import SourceFactory
from tidings.sources.models import Source
from tidings.sources.opml import parse_opml

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent.parent / "sources" / "data"
IMPORT = "/api/sources/import-opml"


def upload(name: str = "subscriptions.opml") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (DATA / name).read_bytes(), content_type="text/x-opml")


def test_health_gives_the_fetch_figures(client):
    source = SourceFactory(
        last_fetched_at=timezone.now(),
        last_success_at=timezone.now(),
        last_status=304,
        fetch_count=4,
        not_modified_count=3,
        next_fetch_at=timezone.now() + timedelta(minutes=30),
    )
    body = client.get(f"/api/sources/{source.pk}/health").json()
    assert (body["state"], body["last_status_text"], body["not_modified_rate"]) == ("ok", "304 Not Modified", 0.75)
    assert body["next_fetch_at"] is not None


def test_health_counts_items_per_day(client):
    source = SourceFactory(created_at=timezone.now() - timedelta(days=30))
    ArticleFactory.create_batch(7, source=source)
    body = client.get(f"/api/sources/{source.pk}/health").json()
    assert (body["items_last_7_days"], body["items_per_day"]) == (7, 1.0)


def test_health_of_a_paused_source_says_why(client):
    source = SourceFactory(
        paused_reason="paused after an error that retrying cannot fix: gone (HTTP 410)", last_error="gone (HTTP 410)"
    )
    body = client.get(f"/api/sources/{source.slug}/health").json()
    assert (body["state"], body["next_fetch_at"]) == ("paused", None)
    assert body["paused_reason"].endswith("gone (HTTP 410)")


def test_health_of_an_unknown_source_is_404(client):
    response = client.get("/api/sources/999999/health")
    assert response.status_code == 404
    assert response.json()["detail"] == "no source 999999"


def test_health_of_an_id_too_big_for_the_database_is_404(client):
    assert client.get(f"/api/sources/{2**70}/health").status_code == 404


def test_import_needs_authentication(client):
    response = client.post(IMPORT, {"file": upload()})
    assert response.status_code == 401
    assert not Source.objects.exists()


def test_import_of_an_uploaded_file_adds_good_feeds_and_lists_bad_ones(client, reader):
    response = client.post(IMPORT, {"file": upload()}, headers=reader.headers)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["summary"] == "5 added, 0 already present, 4 not imported"
    assert {error["title"] for error in body["errors"]} == {
        "No feed here",
        "Script feed",
        "Courier again",
        "Not an address",
    }
    assert Source.objects.count() == 5


def test_import_report_gives_line_and_reason_of_each_bad_entry(client, reader):
    body = client.post(IMPORT, {"file": upload()}, headers=reader.headers).json()
    [error] = [error for error in body["errors"] if error["title"] == "Courier again"]
    assert (error["line"], error["reason"]) == (18, "repeats a feed listed earlier in this file (first on line 9)")


def test_import_report_gives_folders_of_added_sources(client, reader):
    body = client.post(IMPORT, {"file": upload()}, headers=reader.headers).json()
    assert {item["url"]: item["folder"] for item in body["added"]}["https://courier.example.org/feed.xml"] == (
        "News/World"
    )
    assert Source.objects.get(url="https://courier.example.org/feed.xml").folder == "News/World"


def test_import_of_a_raw_body(client, reader):
    data = (DATA / "subscriptions.opml").read_bytes()
    response = client.post(IMPORT, data, content_type="text/x-opml", headers=reader.headers)
    assert response.status_code == 200, response.content
    added = {item["url"] for item in response.json()["added"]}
    assert len(added) == 5
    assert set(Source.objects.values_list("url", flat=True)) == added


def test_import_of_a_sloppy_file_carries_the_warning(client, reader):
    body = client.post(IMPORT, {"file": upload("sloppy.opml")}, headers=reader.headers).json()
    assert "bare & read as &amp;" in body["warning"]


def test_import_of_an_unreadable_file_is_400_with_the_reason(client, reader):
    response = client.post(IMPORT, {"file": upload("malformed.opml")}, headers=reader.headers)
    assert response.status_code == 400
    assert response.json()["detail"].startswith("this is not a readable OPML file")
    assert not Source.objects.exists()


def test_import_of_an_entity_bomb_is_400(client, reader):
    response = client.post(IMPORT, {"file": upload("billion_laughs.opml")}, headers=reader.headers)
    assert response.status_code == 400
    assert "refused for safety" in response.json()["detail"]
    assert not Source.objects.exists()


def test_import_without_a_file_is_400(client, reader):
    response = client.post(IMPORT, {"other": "value"}, headers=reader.headers)
    assert response.status_code == 400
    assert "form field 'file'" in response.json()["detail"]


def test_import_with_an_empty_body_is_400(client, reader):
    response = client.post(IMPORT, b"", content_type="application/octet-stream", headers=reader.headers)
    assert response.status_code == 400
    assert "has no OPML file" in response.json()["detail"]


def test_import_of_a_raw_body_over_the_request_limit_is_413(client, reader, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    data = (DATA / "subscriptions.opml").read_bytes()
    response = client.post(IMPORT, data, content_type="text/x-opml", headers=reader.headers)
    assert response.status_code == 413
    assert "send the file as multipart form data" in response.json()["detail"]
    assert not Source.objects.exists()


def test_import_of_an_upload_over_the_opml_limit_is_413(client, reader):
    big = SimpleUploadedFile("big.opml", b" " * (10 * 1024 * 1024 + 1), content_type="text/x-opml")
    response = client.post(IMPORT, {"file": big}, headers=reader.headers)
    assert response.status_code == 413
    assert "larger than the limit of 10 MB" in response.json()["detail"]
    assert not Source.objects.exists()


def test_export_is_an_opml_download(client, reader):
    response = client.get("/api/sources/export.opml", headers=reader.headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/x-opml; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="tidings-sources.opml"'


def test_export_lists_every_source_in_its_folder(client, admin_user):
    SourceFactory(name="Filed", url="https://filed.example.org/rss", folder="News/World")
    client.force_login(admin_user)
    document = parse_opml(client.get("/api/sources/export.opml").content)
    assert [(feed.title, feed.folder) for feed in document.feeds] == [("Filed", "News/World")]


def test_source_list_shows_the_folder(client):
    SourceFactory(folder="Science")
    assert client.get("/api/sources").json()["items"][0]["folder"] == "Science"
