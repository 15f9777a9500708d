"""The refresh engine: full text for summary-only feeds, progress, due sources, the function other code calls."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tidings.articles.models import Article
from tidings.ingest.engine import is_summary_only, merge_full_text
from tidings.ingest.refresh import refresh_sources
from tidings.ingest.types import ExtractedArticle
from tidings.sources.models import Source
from tools.feedfarm import running_farm

pytestmark = pytest.mark.django_db
LONG = "A paragraph long enough to be the article itself rather than a teaser for it. " * 8


def item(text: str, url: str = "https://news.example/a") -> ExtractedArticle:
    return ExtractedArticle(headline="Headline", paragraphs=(text,) if text else (), url=url, guid=url)


def test_feed_of_short_items_is_summary_only():
    assert is_summary_only((item("A teaser."), item(""), item(LONG)))


def test_feed_of_full_items_is_not_summary_only():
    assert not is_summary_only((item(LONG), item(LONG), item("A teaser.")))


def test_items_without_links_cannot_get_full_text():
    assert not is_summary_only((item("A teaser.", url=""),))


def test_merge_takes_the_page_text_and_keeps_the_feed_identity():
    page = ExtractedArticle(headline="Page headline", paragraphs=(LONG, LONG), image_caption="A caption")
    merged = merge_full_text(item("A teaser."), page)
    assert merged.paragraphs == (LONG, LONG) and merged.image_caption == "A caption"
    assert (merged.headline, merged.guid) == ("Headline", "https://news.example/a")


def test_merge_keeps_the_feed_text_when_the_page_gives_less():
    assert merge_full_text(item(LONG), ExtractedArticle(headline="x", paragraphs=("Short.",))).body_text == LONG


@pytest.fixture(scope="module")
def farm() -> Iterator[Any]:
    with running_farm(feeds=10, seed=2, items=6) as running:
        yield running


@pytest.fixture(autouse=True)
def engine_settings(settings) -> None:
    settings.FETCH_HOST_KEY_PATH_SEGMENTS = 2
    settings.FETCH_FULL_TEXT = True


def summary_feed(farm) -> dict[str, Any]:
    return next(feed for feed in farm.truth["feeds"] if not feed["full_content"] and not feed["fault"])


def test_summary_only_feed_gets_the_article_pages(farm):
    feed = summary_feed(farm)
    source = Source.objects.create(url=feed["url"], name="summaries")
    farm.reset_stats()
    [outcome] = refresh_sources([source.pk])
    assert outcome.status == "ok" and outcome.created >= 5
    assert farm.stats()["requests"] == 1 + len(feed["items"])  # the feed, then each article page once
    bodies = Article.objects.filter(source=source).values_list("body_text", flat=True)
    assert min(len(body) for body in bodies) > 400


def test_full_text_is_fetched_for_new_items_only(farm):
    source = Source.objects.create(url=summary_feed(farm)["url"], name="summaries")
    refresh_sources([source.pk])
    Source.objects.filter(pk=source.pk).update(etag="", last_modified="")
    farm.reset_stats()
    [outcome] = refresh_sources([source.pk])
    assert outcome.created == 0
    assert farm.stats()["requests"] == 1


def test_full_text_can_be_switched_off(farm, settings):
    settings.FETCH_FULL_TEXT = False
    source = Source.objects.create(url=summary_feed(farm)["url"], name="summaries")
    farm.reset_stats()
    refresh_sources([source.pk])
    assert farm.stats()["requests"] == 1


def test_progress_is_called_once_per_source(farm):
    ids = [Source.objects.create(url=url, name=f"f{n}").pk for n, url in enumerate(farm.feed_urls[:4])]
    seen = []
    outcomes = refresh_sources([*ids, 999999], progress=seen.append)
    assert sorted(o.source_id for o in seen) == sorted([*ids, 999999]) == sorted(o.source_id for o in outcomes)


def test_missing_and_addressless_sources_are_outcomes():
    empty = Source.objects.create(url="", name="Imported text")
    outcomes = {o.source_id: o.error for o in refresh_sources([424242, empty.pk])}
    assert outcomes == {
        424242: "there is no source #424242",
        empty.pk: "this source has no web address to fetch",
    }


def test_none_refreshes_the_due_sources_only(farm):
    due = Source.objects.create(url=farm.feed_urls[0], name="due")
    paused = Source.objects.create(url=farm.feed_urls[1], name="paused", paused_reason="gone")
    assert [o.source_id for o in refresh_sources(None)] == [due.pk]
    assert not Article.objects.filter(source=paused).exists()
