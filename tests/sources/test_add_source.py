"""Adding a source by its web address."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tidings.articles.models import Article
from tidings.lib.errors import InvalidInput
from tidings.sources.models import Source
from tidings.sources.services import add_source

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent.parent / "ingest" / "data"


def test_new_source_is_unknown_until_fetched():
    source = add_source("https://news.example/feed.xml")
    assert (source.kind, source.url, source.name) == ("unknown", "https://news.example/feed.xml", "news.example")


def test_given_name_is_used():
    assert add_source("https://news.example/feed.xml", name="  Morning   News ").name == "Morning News"


def test_address_without_scheme_gets_https():
    assert add_source("www.news.example/rss").url == "https://www.news.example/rss"


def test_host_is_lower_cased_and_fragment_dropped():
    assert add_source("https://News.Example/Feed.xml#top").url == "https://news.example/Feed.xml"


@pytest.mark.parametrize(
    "text",
    ["not a url", "", "   ", "ftp://news.example/feed", "javascript:alert(1)", "https://", "http://exa mple.org/"],
)
def test_text_that_is_not_a_web_address_is_refused_and_nothing_created(text):
    with pytest.raises(InvalidInput, match="is not a web address"):
        add_source(text)
    assert not Source.objects.exists()


def test_duplicate_address_is_refused():
    add_source("https://news.example/feed.xml", name="News")
    with pytest.raises(InvalidInput, match=r"https://news\.example/feed\.xml is already a source \(“News”\)"):
        add_source("https://news.example/feed.xml")


def test_duplicate_differing_only_in_host_case_or_tracking_is_refused():
    add_source("https://news.example/feed.xml")
    with pytest.raises(InvalidInput, match="already a source"):
        add_source("https://NEWS.example/feed.xml?utm_source=newsletter")
    assert Source.objects.count() == 1


def test_first_refresh_runs_once_the_transaction_commits(server, django_capture_on_commit_callbacks):
    url = server.add("/feed", (DATA / "rss2.xml").read_bytes(), content_type="application/rss+xml")
    with django_capture_on_commit_callbacks() as callbacks:
        source = add_source(url)
    assert server.hits["/feed"] == 0  # nothing fetched before commit
    for callback in callbacks:
        callback()
    source.refresh_from_db()
    assert source.kind == "rss"
    assert source.name == "The Quayside Courier"
    assert Article.objects.filter(source=source).count() == 2


def test_add_source_command_reports_the_new_source():
    out = StringIO()
    call_command("add_source", "https://news.example/feed.xml", "--name", "News", stdout=out)
    source = Source.objects.get()
    assert out.getvalue().strip() == (
        f"Added source #{source.pk} News (https://news.example/feed.xml); its first refresh is queued."
    )


def test_add_source_command_error_is_one_plain_line():
    with pytest.raises(CommandError, match=r"^not-a-url is not a web address"):
        call_command("add_source", "not-a-url", stdout=StringIO())
