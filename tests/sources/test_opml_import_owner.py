"""OPML imports add sources as their importer's: the CLI's are the operator's, a web upload's its uploader's."""

from __future__ import annotations

import pytest

from tests.accounts.factories import UserFactory
from tidings.sources.models import OpmlImport, Source
from tidings.sources.opml_import import import_opml
from tidings.sources.opml_jobs import run_opml_import
from tidings.sources.opml_uploads import start_opml_import

pytestmark = pytest.mark.django_db

OPML = b"""<?xml version="1.0"?><opml version="2.0"><body>
<outline text="One" xmlUrl="https://one.example.org/feed"/>
<outline text="Two" xmlUrl="https://two.example.org/feed"/>
</body></opml>"""


@pytest.fixture(autouse=True)
def queued_refreshes(monkeypatch) -> list[int]:
    queued: list[int] = []
    monkeypatch.setattr("tidings.sources.services._enqueue_refresh", queued.append)
    return queued


def test_cli_import_is_the_operators_and_has_no_limit(settings):
    settings.MAX_SOURCES_PER_READER = 0
    report = import_opml(OPML)
    assert len(report.added) == 2 and not report.errors
    assert list(Source.objects.values_list("added_by", flat=True)) == [None, None]


def test_uploaded_import_runs_as_its_uploader(django_capture_on_commit_callbacks):
    reader = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        job = start_opml_import(OPML, file_name="mine.opml", user_id=reader.pk)
    assert OpmlImport.objects.get(pk=job.pk).imported == 2
    assert set(Source.objects.values_list("added_by", flat=True)) == {reader.pk}


def test_upload_whose_account_was_deleted_fails_and_adds_nothing():
    reader = UserFactory()
    job = start_opml_import(OPML, file_name="mine.opml", user_id=reader.pk)  # not run: no on-commit here
    reader.delete()
    assert run_opml_import(job.pk) == "failed"
    assert OpmlImport.objects.get(pk=job.pk).error == "the account that uploaded this file no longer exists"
    assert not Source.objects.exists()


def test_an_untitled_feed_whose_title_is_its_tokened_address_is_named_by_its_host():
    """OPML exporters (Tidings' own too) give an untitled feed its address as text; that address may carry a
    private token, which the source's name and slug (shown to everyone) must not."""
    secret = "https://private.example.org/feed.xml?token=s3cr3t-feed-token"
    opml = f"""<?xml version="1.0"?><opml version="2.0"><body>
<outline text="{secret.replace("&", "&amp;")}" xmlUrl="{secret.replace("&", "&amp;")}"/>
<outline text="Feed at https://other.example.org/rss" xmlUrl="https://other.example.org/rss"/>
</body></opml>""".encode()
    report = import_opml(opml)
    assert len(report.added) == 2 and not report.errors
    names_and_slugs = list(Source.objects.order_by("pk").values_list("name", "slug"))
    assert names_and_slugs == [("private.example.org", "privateexampleorg"), ("other.example.org", "otherexampleorg")]
