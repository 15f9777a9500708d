"""Import OPML from the Sources page: upload, a background import, and a page that follows its progress."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.accounts.factories import UserFactory
from tests.sources.factories import SourceFactory
from tidings.sources.models import OpmlImport, Source
from tidings.sources.opml import MAX_OPML_BYTES
from tidings.sources.opml_jobs import run_opml_import

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent.parent / "sources" / "data"
START = "/sources/import/"


def upload(name: str = "subscriptions.opml", content: bytes | None = None) -> SimpleUploadedFile:
    data = (DATA / name).read_bytes() if content is None else content
    return SimpleUploadedFile(name, data, content_type="text/x-opml")


@pytest.fixture
def reader(client):
    user = UserFactory()
    client.force_login(user)
    return user


@pytest.fixture
def queued_refreshes(monkeypatch) -> list[int]:
    """Source ids whose first refresh was queued; the refreshes are not run (the feeds are not on the network)."""
    queued: list[int] = []
    monkeypatch.setattr("tidings.sources.services._enqueue_refresh", queued.append)
    return queued


@pytest.fixture
def imported(client, reader, queued_refreshes, django_capture_on_commit_callbacks) -> OpmlImport:
    """subscriptions.opml uploaded and run (immediate task backend) with one feed already a source."""
    SourceFactory(url="https://bulletin.example.org/atom", name="Northern Bulletin")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(START, {"file": upload()})
    job = OpmlImport.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    return job


def test_upload_imports_the_good_feeds(imported):
    assert set(Source.objects.values_list("url", flat=True)) == {
        "https://bulletin.example.org/atom",
        "https://courier.example.org/feed.xml",
        "http://127.0.0.1:8765/ledger/rss?edition=1&lang=en",
        "https://labnotes.example.org/index.json",
        "https://gazette.example.org/rss.xml",
    }


def test_each_new_source_gets_its_first_refresh_queued(imported, queued_refreshes):
    assert sorted(queued_refreshes) == sorted(
        Source.objects.exclude(url="https://bulletin.example.org/atom").values_list("pk", flat=True)
    )


def test_import_records_its_counts(imported):
    job = OpmlImport.objects.get(pk=imported.pk)
    assert (job.status, job.total, job.done, job.imported, job.skipped) == ("done", 5, 5, 4, 1)
    assert job.started_at is not None and job.finished_at is not None


def test_progress_page_shows_counts_and_bad_entries(client, imported):
    body = client.get(imported.get_absolute_url()).content.decode()
    assert "Import finished" in body
    assert "5 of 5 done" in body
    assert "4 new sources" in body and "1 already a source" in body
    assert "Script feed" in body and "only web feeds can be imported" in body
    assert "repeats a feed listed earlier in this file" in body


def test_finished_import_stops_polling(client, imported):
    body = client.get(imported.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 1s"' not in body
    assert 'http-equiv="refresh"' not in body


def test_upload_keeps_the_file_as_sent(imported):
    assert bytes(OpmlImport.objects.get(pk=imported.pk).data) == (DATA / "subscriptions.opml").read_bytes()


def test_queued_import_polls_with_htmx_and_refreshes_without_js(client, reader):
    job = OpmlImport.objects.create(user=reader, file_name="list.opml", data=b"<opml/>", total=12)
    body = client.get(job.get_absolute_url()).content.decode()
    assert f'hx-get="{job.get_absolute_url()}" hx-trigger="every 1s"' in body
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in body
    assert "0 of 12 done" in body


def test_htmx_poll_gets_only_the_progress_partial(client, reader):
    job = OpmlImport.objects.create(user=reader, file_name="list.opml", data=b"<opml/>", status="running", total=3)
    body = client.get(job.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()
    assert body.startswith('<div id="opml-progress"')
    assert "<html" not in body


def test_invalid_file_is_a_form_error_and_nothing_is_stored(client, reader):
    response = client.post(START, {"file": upload("not_opml.xml")})
    body = response.content.decode()
    assert response.status_code == 400
    assert "This file cannot be imported: this is not an OPML file" in body
    assert 'class="field-error"' in body
    assert not OpmlImport.objects.exists() and not Source.objects.exists()


def test_oversized_file_is_a_form_error(client, reader):
    response = client.post(START, {"file": upload("big.opml", b"<opml>" + b" " * MAX_OPML_BYTES + b"</opml>")})
    assert response.status_code == 400
    assert "the limit for an OPML file is 10 MB" in response.content.decode()
    assert not OpmlImport.objects.exists()


def test_missing_file_is_a_form_error(client, reader):
    response = client.post(START, {})
    assert response.status_code == 400
    assert "Choose an OPML file to import." in response.content.decode()
    assert not OpmlImport.objects.exists()


def test_unsafe_file_is_refused(client, reader):
    response = client.post(START, {"file": upload("billion_laughs.opml")})
    assert response.status_code == 400
    assert "refused for safety" in response.content.decode()
    assert not OpmlImport.objects.exists()
    assert not Source.objects.exists()


def test_anonymous_upload_is_sent_to_sign_in(client):
    response = client.post(START, {"file": upload()})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:signin')}?next=/sources/"
    assert not OpmlImport.objects.exists()


def test_anonymous_progress_page_is_sent_to_sign_in(client, reader):
    job = OpmlImport.objects.create(user=reader, file_name="list.opml", data=b"<opml/>")
    client.logout()
    response = client.get(job.get_absolute_url())
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:signin"))


def test_another_readers_import_is_not_shown(client, reader):
    job = OpmlImport.objects.create(user=UserFactory(username="someone"), file_name="list.opml", data=b"<opml/>")
    assert client.get(job.get_absolute_url()).status_code == 404


def test_sources_page_offers_the_import_form_to_signed_in_readers(client, reader):
    body = client.get(reverse("web:sources")).content.decode()
    assert f'action="{START}" enctype="multipart/form-data"' in body


def test_sources_page_asks_anonymous_readers_to_sign_in_to_import(client):
    body = client.get(reverse("web:sources")).content.decode()
    assert START not in body
    assert "to import a subscription list" in body


def test_unreadable_stored_file_fails_with_the_reason(client, reader):
    job = OpmlImport.objects.create(user=reader, file_name="list.opml", data=b"<html><body>no</body></html>")
    assert run_opml_import(job.pk) == "failed"
    body = client.get(job.get_absolute_url()).content.decode()
    assert "Import failed" in body and "this is not an OPML file" in body


def test_finished_import_is_not_run_twice(imported):
    Source.objects.all().delete()
    assert run_opml_import(imported.pk) == "done"
    assert not Source.objects.exists()


def test_import_whose_worker_died_is_shown_as_failed(client, reader):
    long_ago = timezone.now() - dt.timedelta(hours=1)
    job = OpmlImport.objects.create(
        user=reader, file_name="list.opml", data=b"<opml/>", status="running", total=9, done=4, progress_at=long_ago
    )
    body = client.get(job.get_absolute_url()).content.decode()
    assert "Import failed" in body and "stopped without finishing" in body
    assert 'hx-trigger="every 1s"' not in body
    assert OpmlImport.objects.get(pk=job.pk).status == "failed"


def test_running_import_that_moved_recently_keeps_polling(client, reader):
    job = OpmlImport.objects.create(
        user=reader, file_name="list.opml", data=b"<opml/>", status="running", total=9, progress_at=timezone.now()
    )
    body = client.get(job.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 1s"' in body
    assert OpmlImport.objects.get(pk=job.pk).status == "running"


@pytest.mark.parametrize("signed_in", [True, False])
def test_opening_the_import_address_directly_shows_the_sources_page_at_the_import_form(client, signed_in):
    if signed_in:
        client.force_login(UserFactory())
    response = client.get(START)
    assert response.status_code == 302 and response["Location"] == "/sources/#import"
    page = client.get(response["Location"]).content.decode()
    assert page.lstrip().startswith("<!doctype html>") and 'id="import"' in page
    assert "Import OPML" in page
