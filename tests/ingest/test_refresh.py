"""Refreshing a source from a real local server: detection, storage once, health in plain words."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.lib import FeedServer, unused_port
from tidings.articles.models import Article
from tidings.ingest.refresh import next_fetch_after, refresh_source
from tidings.ingest.tasks import refresh_due_sources
from tidings.sources.models import Source

DATA = Path(__file__).parent / "data"
CONTENT_TYPES = {
    "rss2.xml": "application/rss+xml",
    "rss1.rdf": "application/rdf+xml",
    "rss091.xml": "text/xml",
    "atom.xml": "application/atom+xml",
    "feed.json": "application/feed+json",
    "article.html": "text/html",
    "not_a_feed.html": "text/html",
}

pytestmark = pytest.mark.django_db


def serve(server: FeedServer, name: str, path: str = "/", **options) -> str:
    options.setdefault("content_type", CONTENT_TYPES[name])
    return server.add(path, (DATA / name).read_bytes(), **options)


def make_source(url: str, name: str = "Test source") -> Source:
    return Source.objects.create(url=url, name=name)


def refreshed(source: Source) -> Source:
    refresh_source(source.pk)
    source.refresh_from_db()
    return source


@pytest.mark.parametrize(
    ("name", "kind", "count"),
    [
        ("rss2.xml", "rss", 2),
        ("rss1.rdf", "rss", 2),
        ("rss091.xml", "rss", 1),
        ("atom.xml", "atom", 2),
        ("feed.json", "jsonfeed", 2),
    ],
)
def test_feed_is_detected_and_its_items_stored(server, name, kind, count):
    source = refreshed(make_source(serve(server, name, "/feed")))
    assert source.kind == kind
    assert Article.objects.filter(source=source).count() == count
    assert source.health == "ok" and source.last_status == 200 and source.last_error == ""


def test_refreshing_twice_does_not_duplicate(server):
    source = refreshed(make_source(serve(server, "rss2.xml", "/feed")))
    outcome = refresh_source(source.pk)
    assert (outcome.status, outcome.created, outcome.duplicates) == ("ok", 0, 2)
    assert Article.objects.filter(source=source).count() == 2


def test_second_refresh_with_etag_is_not_modified(server):
    source = refreshed(make_source(serve(server, "atom.xml", "/feed", etag='"abc"')))
    assert source.etag == '"abc"'
    outcome = refresh_source(source.pk)
    source.refresh_from_db()
    assert outcome.status == "not_modified"
    assert (source.not_modified_count, source.fetch_count, source.last_status) == (1, 2, 304)
    assert Article.objects.filter(source=source).count() == 2


def test_stored_article_keeps_feed_fields(server):
    source = refreshed(make_source(serve(server, "rss2.xml", "/feed")))
    article = Article.objects.get(source=source, guid="quayside-1001")
    assert article.headline == "Lifeboat crew rescue two kayakers off the point"
    assert article.image_url == "https://quayside.example/img/lifeboat.jpg"
    assert article.author == "Morwenna Tregarthen"


def test_feed_title_replaces_the_default_name(server):
    url = serve(server, "feed.json", "/feed")
    source = refreshed(make_source(url, name="127.0.0.1"))
    assert source.name == "Estuary Notes"
    assert source.site_url == "https://estuary.example/"


def test_feed_title_replaces_a_name_that_is_the_feed_address(server):
    """Rows named by their (possibly tokened) feed address before add_source refused such names."""
    url = serve(server, "feed.json", "/feed")
    assert refreshed(make_source(url, name=url)).name == "Estuary Notes"


def test_a_name_given_by_a_person_is_kept(server):
    source = refreshed(make_source(serve(server, "feed.json", "/feed"), name="My estuary"))
    assert source.name == "My estuary"


def test_html_article_page_becomes_one_article(server):
    source = refreshed(make_source(serve(server, "article.html", "/news/ferry"), name="127.0.0.1"))
    assert source.kind == "html"
    assert source.name == "The Quayside Courier"  # the page's site name replaces the default
    [article] = Article.objects.filter(source=source)
    assert article.headline == "Harbour ferry returns after winter repairs"
    assert article.image_credit == "Ennis Polglaze"


def test_page_that_is_neither_feed_nor_article_records_why(server):
    source = refreshed(make_source(serve(server, "not_a_feed.html", "/")))
    assert source.last_error == "this address returned a web page that is neither a feed nor an article"
    assert source.health == "failing" and source.error_count == 1


def test_home_page_that_links_to_a_feed_says_which_feed_to_add(server):
    source = refreshed(make_source(server.add("/", (DATA / "home_with_feed.html").read_bytes())))
    assert source.last_error == (
        "this address returned a web page that is neither a feed nor an article; "
        f"it links to a feed you can add instead: {server.url('/feeds/latest.xml')}"
    )


def test_binary_document_records_what_it_was(server):
    source = refreshed(make_source(server.add("/logo", b"\x89PNG\r\n\x1a\n" + b"\0" * 20, content_type="image/png")))
    assert source.last_error == "this address returned image/png, which is neither a feed nor a web page"


@pytest.fixture
def stored_source(server) -> Source:
    """A source whose feed has already been stored once (2 articles)."""
    source = refreshed(make_source(serve(server, "rss2.xml", "/feed")))
    assert Article.objects.filter(source=source).count() == 2
    return source


def test_404_is_recorded_and_earlier_articles_stay(server, stored_source):
    server.routes.pop("/feed")
    source = refreshed(stored_source)
    assert source.last_error == "the server answered 404 Not Found"
    assert source.last_status == 404 and source.paused_reason == ""
    assert Article.objects.filter(source=source).count() == 2


def test_500_is_recorded_with_jittered_exponential_backoff(server, stored_source, settings):
    settings.REFRESH_INTERVAL_SECONDS = 600
    server.add("/feed", b"oops", status=500)
    before = timezone.now()
    source = refreshed(stored_source)
    assert source.last_error == "the server answered 500 Internal Server Error"
    # First error: between half and all of the base interval.
    assert before + timedelta(seconds=300) <= source.next_fetch_at <= timezone.now() + timedelta(seconds=600)
    source = refreshed(source)
    assert source.error_count == 2
    assert source.next_fetch_at >= before + timedelta(seconds=600)
    assert source.last_success_at is not None and source.health == "failing"


def test_backoff_is_capped_at_a_day():
    now = timezone.now()
    assert next_fetch_after(now, 30, 1800) == now + timedelta(hours=24)


def test_connection_refused_is_recorded(stored_source):
    stored_source.url = f"http://127.0.0.1:{unused_port()}/feed"
    stored_source.save()
    source = refreshed(stored_source)
    assert source.last_error == "could not connect to 127.0.0.1 (connection refused)"
    assert Article.objects.filter(source=source).count() == 2


def test_body_over_the_size_cap_is_recorded(server, stored_source, settings):
    settings.FETCH_MAX_BYTES = 1024
    source = refreshed(stored_source)
    assert source.last_error == "the server sent more than 1 KB; the limit is 1 KB"
    assert Article.objects.filter(source=source).count() == 2


def test_redirect_to_a_private_address_is_refused_and_pauses(server, stored_source, settings):
    settings.FETCH_ALLOW_NETWORKS = ["127.0.0.1/32"]
    server.add("/feed", status=302, headers={"Location": "http://10.0.0.7/feed"})
    source = refreshed(stored_source)
    assert source.last_error == "10.0.0.7 is a private or reserved address; refusing to fetch it"
    assert source.health == "paused"
    assert Article.objects.filter(source=source).count() == 2


def test_gone_pauses_the_source(server, stored_source):
    server.add("/feed", b"gone", status=410)
    source = refreshed(stored_source)
    assert source.paused_reason.endswith("the server answered 410 Gone")
    assert not Source.objects.due().filter(pk=source.pk).exists()


def test_missing_source_is_an_outcome_not_an_exception():
    assert refresh_source(987654).error == "there is no source #987654"


def test_refresh_due_sources_refreshes_due_ones_only(server):
    due = make_source(serve(server, "atom.xml", "/due"), name="due")
    later = make_source(serve(server, "rss2.xml", "/later"), name="later")
    later.next_fetch_at = timezone.now() + timedelta(hours=1)
    later.save()
    assert refresh_due_sources.call() == 1
    assert Article.objects.filter(source=due).count() == 2
    assert server.hits["/later"] == 0


def test_refresh_command_prints_a_line_per_failure(server):
    ok = make_source(serve(server, "atom.xml", "/ok"), name="Good feed")
    bad = make_source(server.url("/missing"), name="Bad feed")
    out = StringIO()
    call_command("refresh", str(ok.pk), str(bad.pk), stdout=out, stderr=StringIO())
    lines = out.getvalue().splitlines()
    assert lines[0] == f"#{bad.pk} Bad feed: the server answered 404 Not Found"
    assert lines[1] == "Refreshed 2 sources: 1 ok, 0 not modified, 1 failed; 2 new articles."


def test_refresh_command_refuses_unknown_ids():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no source with id 424242"):
        call_command("refresh", "424242", stdout=StringIO())


DUMP = (
    "Harbour council approves the new ferry terminal\n\n"
    "Harbour council approves the new ferry terminal\n\n"
    "The terminal will open next spring, the council said.\n\n"
    "Councillors voted nine to two on Tuesday to approve the terminal on the old quay. "
    "The harbour master said the work would start in March.\n\n"
    "Opponents said the plan ignored the fishing fleet, which uses the quay every morning. "
    "The council said the fleet would move to the north pier.\n"
)


def test_a_plain_text_article_file_becomes_one_article(server):
    url = server.add("/story.txt", DUMP.encode(), content_type="text/plain; charset=utf-8")
    source = refreshed(make_source(url))
    assert source.kind == "text"
    article = Article.objects.get(source=source)
    assert article.headline == "Harbour council approves the new ferry terminal"
    assert article.standfirst == "The terminal will open next spring, the council said."
    assert len(article.paragraphs) == 2


def test_binary_bytes_at_a_text_address_are_recorded_not_stored(server):
    url = server.add("/blob.txt", b"\x00\x01\x02" * 100, content_type="text/plain")
    source = refreshed(make_source(url))
    assert source.health == "failing" and "text file" in source.last_error
    assert not Article.objects.filter(source=source).exists()
