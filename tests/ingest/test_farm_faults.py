"""The engine against the feed farm: one test per fault kind, plus conditional GET, redirects and politeness.

Every fault: no hang past the deadline, no crash, memory bounded by the caps, the reason recorded on the
source in plain words, and articles stored earlier left intact.
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests.articles.factories import ArticleFactory
from tidings.articles.models import Article
from tidings.ingest.parse.feeds import MAX_ITEMS
from tidings.ingest.refresh import refresh_sources
from tidings.lib.canonical import canonicalize_url
from tidings.sources.models import Source
from tools.feedfarm import running_farm

pytestmark = pytest.mark.django_db
TIMEOUT_S = 2
MB = 1024 * 1024


@pytest.fixture(scope="module")
def farm() -> Iterator[Any]:
    # 48 feeds, every one faulty: each of the 24 kinds on two feeds.
    with running_farm(feeds=48, seed=3, faulty=1.0, many_items=2000) as running:
        yield running


@pytest.fixture(scope="module")
def feed_truth(farm) -> dict[str, dict[str, Any]]:
    return {feed["url"]: feed for feed in farm.truth["feeds"]}


@pytest.fixture(autouse=True)
def engine_settings(settings) -> None:
    settings.FETCH_TIMEOUT_SECONDS = TIMEOUT_S
    settings.FETCH_MAX_BYTES = 8 * MB
    settings.FETCH_MAX_DECOMPRESSED_BYTES = 16 * MB
    settings.FETCH_HOST_KEY_PATH_SEGMENTS = 2  # the farm's virtual hosts are /h/<host>/
    settings.FETCH_FULL_TEXT = False


def source_with_history(url: str) -> Source:
    """A source that already has one stored article, which no fault may remove."""
    source = Source.objects.create(url=url, name=url.rsplit("/", 3)[-3])
    ArticleFactory(source=source)
    return source


def refresh_fault(farm, kind: str) -> tuple[Source, float]:
    url = farm.urls_with_fault(kind)[0]
    source = source_with_history(url)
    started = time.monotonic()
    [outcome] = refresh_sources([source.pk])
    elapsed = time.monotonic() - started
    source.refresh_from_db()
    assert outcome.source_id == source.pk
    assert Article.objects.filter(source=source, guid__startswith="https://news.example.org/").count() == 1
    return source, elapsed


def stored_items(source: Source) -> int:
    return Article.objects.filter(source=source).exclude(guid__startswith="https://news.example.org/").count()


@pytest.mark.parametrize(
    "kind", ["malformed_xml", "duplicate_guids", "relative_links", "jsonfeed_wrong_types", "many_items"]
)
def test_content_fault_still_delivers_every_item(farm, feed_truth, kind):
    source, _ = refresh_fault(farm, kind)
    truth = feed_truth[source.url]
    assert source.last_error == "" and source.health == "ok"
    # Syndicated copies inside one feed are the same text: stored once; the parser reads at most 1,000 items.
    assert stored_items(source) >= min(0.9 * len(truth["items"]), MAX_ITEMS)


def test_relative_links_are_resolved_against_the_feed(farm, feed_truth):
    source, _ = refresh_fault(farm, "relative_links")
    expected = {canonicalize_url(link) for link in feed_truth[source.url]["item_links"]}
    stored = set(
        Article.objects.filter(source=source).exclude(url__contains="news.example.org").values_list("url", flat=True)
    )
    assert stored and stored <= expected


def test_wrong_declared_encoding_gives_clean_headlines(farm):
    source, _ = refresh_fault(farm, "wrong_encoding")
    headlines = list(Article.objects.filter(source=source).values_list("headline", flat=True))
    assert len(headlines) > 20
    assert not [h for h in headlines if "\ufffd" in h or "â€" in h]


def test_bad_dates_never_fail_the_feed_and_are_not_in_the_future(farm, feed_truth):
    source, _ = refresh_fault(farm, "bad_dates")
    assert source.last_error == ""
    assert stored_items(source) >= 0.9 * len(feed_truth[source.url]["items"])
    assert not Article.objects.filter(source=source, published_at__gt=timezone.now()).exists()


@pytest.mark.parametrize("kind", ["slow_body", "hang"])
def test_slow_or_hanging_server_is_cut_at_the_total_deadline(farm, kind):
    source, elapsed = refresh_fault(farm, kind)
    assert elapsed < TIMEOUT_S + 2
    assert "too slow" in source.last_error or "timed out" in source.last_error
    assert stored_items(source) == 0 and source.error_count == 1 and source.paused_reason == ""


def test_500_backs_off_and_keeps_the_source(farm):
    source, _ = refresh_fault(farm, "http_500")
    assert source.last_error == "the server answered 500 Internal Server Error"
    assert source.next_fetch_at > timezone.now() and source.paused_reason == ""


def test_503_retry_after_seconds_is_respected(farm):
    before = timezone.now()
    source, _ = refresh_fault(farm, "http_503")
    assert source.last_error == "the server answered 503 Service Unavailable"
    assert source.next_fetch_at >= before + timedelta(seconds=120)


def test_429_retry_after_http_date_is_respected(farm, settings):
    settings.REFRESH_INTERVAL_SECONDS = 60  # the backoff alone would retry within a minute
    before = timezone.now()
    source, _ = refresh_fault(farm, "http_429")
    assert source.last_error == "the server answered 429 Too Many Requests"
    assert source.next_fetch_at >= before + timedelta(seconds=590)


def test_404_is_recorded_as_not_found_without_pausing(farm):
    source, _ = refresh_fault(farm, "http_404")
    assert source.last_error == "the server answered 404 Not Found"
    assert source.health == "failing"


def test_410_pauses_the_source_with_the_reason(farm):
    source, _ = refresh_fault(farm, "http_410")
    assert source.paused_reason == "paused after an error that retrying cannot fix: the server answered 410 Gone"
    assert not Source.objects.due(timezone.now() + timedelta(days=30)).filter(pk=source.pk).exists()


@pytest.mark.parametrize("kind", ["redirect_301", "redirect_308"])
def test_permanent_redirect_updates_the_stored_url(farm, feed_truth, kind):
    original = farm.urls_with_fault(kind)[0]
    source, _ = refresh_fault(farm, kind)
    assert source.url == feed_truth[original]["moved_to"] != original
    assert stored_items(source) > 0


@pytest.mark.parametrize("kind", ["redirect_302", "redirect_307"])
def test_temporary_redirect_keeps_the_stored_url(farm, kind):
    original = farm.urls_with_fault(kind)[0]
    source, _ = refresh_fault(farm, kind)
    assert source.url == original
    assert stored_items(source) > 0 and source.last_error == ""


def test_redirect_loop_is_stopped_and_named(farm):
    source, _ = refresh_fault(farm, "redirect_loop")
    assert source.last_error == "the server redirects in a loop"


def test_huge_body_stops_at_the_cap_with_bounded_memory(farm):
    tracemalloc.start()
    try:
        source, _ = refresh_fault(farm, "huge_body")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert source.last_error == "the server sent more than 8 MB; the limit is 8 MB"
    assert peak < 40 * MB


def test_gzip_bomb_stops_at_the_decompressed_cap_with_bounded_memory(farm):
    tracemalloc.start()
    try:
        source, _ = refresh_fault(farm, "gzip_bomb")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert source.last_error == "the body inflates to more than 16 MB when decompressed; the limit is 16 MB"
    assert peak < 60 * MB


def test_billion_laughs_is_never_expanded(farm):
    tracemalloc.start()
    try:
        source, _ = refresh_fault(farm, "billion_laughs")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 40 * MB
    if source.last_error:  # refused by the safe parser, with the reason
        assert "entit" in source.last_error
    else:  # or read tolerantly without expanding anything
        assert not Article.objects.filter(source=source, headline__contains="lollol").exists()


def test_connection_reset_mid_body_stores_nothing_partial(farm):
    source, _ = refresh_fault(farm, "reset_mid_body")
    assert source.last_error.startswith("the connection to 127.0.0.1 broke off")
    assert stored_items(source) == 0 and source.paused_reason == ""


def test_html_page_at_a_feed_url_is_not_stored_as_articles(farm):
    source, _ = refresh_fault(farm, "html_page")
    assert "neither a feed nor an article" in source.last_error
    assert "it links to a feed you can add instead: http://127.0.0.1:" in source.last_error
    assert stored_items(source) == 0


# --- A clean farm: conditional GET, idempotency, politeness, SSRF --------------------------------------


@pytest.fixture(scope="module")
def clean_farm() -> Iterator[Any]:
    with running_farm(feeds=40, seed=5, latency_ms=20) as running:
        yield running


def add_sources(urls: list[str]) -> list[int]:
    return [Source.objects.create(url=url, name=f"feed {n}").pk for n, url in enumerate(urls)]


def test_second_pass_is_all_304(clean_farm):
    ids = add_sources(clean_farm.feed_urls)
    assert {o.status for o in refresh_sources(ids)} == {"ok"}
    clean_farm.reset_stats()
    outcomes = refresh_sources(ids)
    stats = clean_farm.stats()
    assert {o.status for o in outcomes} == {"not_modified"}
    assert stats["304"] == stats["requests"] == len(ids)


def test_refreshing_twice_stores_nothing_new(clean_farm):
    ids = add_sources(clean_farm.feed_urls)
    refresh_sources(ids)
    count = Article.objects.count()
    Source.objects.update(etag="", last_modified="")  # force full downloads
    outcomes = refresh_sources(ids)
    assert sum(o.created for o in outcomes) == 0
    assert Article.objects.count() == count


def test_per_host_concurrency_never_exceeds_the_limit(clean_farm, settings):
    settings.FETCH_PER_HOST = 2
    clean_farm.reset_stats()
    refresh_sources(add_sources(clean_farm.feed_urls))
    stats = clean_farm.stats()
    assert stats["requests"] == len(clean_farm.feed_urls)
    assert 1 <= stats["max_concurrent_per_host"] <= 2


def test_private_address_is_refused_unless_allowed(clean_farm, settings):
    settings.FETCH_ALLOW_NETWORKS = []
    [source_id] = add_sources(clean_farm.feed_urls[:1])
    [outcome] = refresh_sources([source_id])
    assert outcome.error == "127.0.0.1 is a private or reserved address; refusing to fetch it"
    assert Source.objects.get(pk=source_id).health == "paused"
