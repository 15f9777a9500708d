"""The per-source full-text setting: auto detects summary-only feeds, always and never override it,
and the server-wide FETCH_FULL_TEXT=False still turns every kind of page fetching off."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tidings.articles.models import Article
from tidings.ingest.engine import wants_full_text
from tidings.ingest.refresh import refresh_sources
from tidings.ingest.types import ExtractedArticle
from tidings.lib.errors import InvalidInput
from tidings.sources.models import FullTextMode, Source
from tidings.sources.services import add_source, set_full_text_mode
from tools.feedfarm import running_farm

LONG = "A paragraph long enough to be the article itself rather than a teaser for it. " * 8


def item(text: str, url: str = "https://news.example/a") -> ExtractedArticle:
    return ExtractedArticle(headline="Headline", paragraphs=(text,) if text else (), url=url, guid=url)


FULL_FEED = (item(LONG), item(LONG, "https://news.example/b"))
SUMMARY_FEED = (item("A teaser."), item("Another teaser.", "https://news.example/b"))


def test_auto_fetches_pages_for_a_summary_only_feed():
    assert wants_full_text(FullTextMode.AUTO, SUMMARY_FEED)


def test_auto_keeps_a_feed_that_carries_the_articles():
    assert not wants_full_text(FullTextMode.AUTO, FULL_FEED)


def test_always_fetches_pages_even_when_the_feed_carries_the_articles():
    assert wants_full_text(FullTextMode.ALWAYS, FULL_FEED)


def test_always_has_nothing_to_fetch_without_links():
    assert not wants_full_text(FullTextMode.ALWAYS, (item(LONG, url=""),))


def test_never_keeps_a_summary_only_feed_as_it_is():
    assert not wants_full_text(FullTextMode.NEVER, SUMMARY_FEED)


@pytest.mark.django_db
def test_new_sources_default_to_auto():
    assert add_source("https://news.example/feed.xml").full_text == "auto"


@pytest.mark.django_db
def test_add_source_takes_a_full_text_setting():
    assert add_source("https://news.example/feed.xml", full_text="always").full_text == "always"


@pytest.mark.django_db
def test_unknown_full_text_setting_is_refused_and_nothing_stored():
    with pytest.raises(InvalidInput, match="is not a full-text setting; use one of auto, always, never"):
        add_source("https://news.example/feed.xml", full_text="sometimes")
    assert not Source.objects.exists()


@pytest.mark.django_db
def test_set_full_text_mode_stores_the_setting():
    source = Source.objects.create(url="https://news.example/feed.xml", name="News")
    set_full_text_mode(source, "never")
    assert Source.objects.get(pk=source.pk).full_text == "never"


@pytest.mark.django_db
def test_add_source_command_takes_full_text():
    out = StringIO()
    call_command("add_source", "https://news.example/feed.xml", "--full-text", "never", stdout=out)
    assert Source.objects.get().full_text == "never"


@pytest.mark.django_db
def test_add_source_command_refuses_an_unknown_full_text_setting():
    with pytest.raises(CommandError, match="invalid choice: 'sometimes'"):
        call_command("add_source", "https://news.example/feed.xml", "--full-text", "sometimes")


# The engine against the feed farm: requests counted at the farm.


@pytest.fixture(scope="module")
def farm() -> Iterator[Any]:
    with running_farm(feeds=10, seed=2, items=6) as running:
        yield running


@pytest.fixture
def engine_settings(settings) -> None:
    settings.FETCH_HOST_KEY_PATH_SEGMENTS = 2
    settings.FETCH_FULL_TEXT = True


def farm_feed(farm, *, full_content: bool) -> dict[str, Any]:
    return next(f for f in farm.truth["feeds"] if bool(f["full_content"]) is full_content and not f["fault"])


@pytest.mark.django_db
@pytest.mark.usefixtures("engine_settings")
def test_always_fetches_every_new_items_page_from_a_full_content_feed(farm):
    feed = farm_feed(farm, full_content=True)
    source = Source.objects.create(url=feed["url"], name="full", full_text="always")
    farm.reset_stats()
    [outcome] = refresh_sources([source.pk])
    assert outcome.status == "ok"
    assert farm.stats()["requests"] == 1 + len(feed["items"])


@pytest.mark.django_db
@pytest.mark.usefixtures("engine_settings")
def test_auto_does_not_fetch_pages_for_a_full_content_feed(farm):
    source = Source.objects.create(url=farm_feed(farm, full_content=True)["url"], name="full")
    farm.reset_stats()
    refresh_sources([source.pk])
    assert farm.stats()["requests"] == 1


@pytest.mark.django_db
@pytest.mark.usefixtures("engine_settings")
def test_never_keeps_the_summaries_of_a_summary_only_feed(farm):
    source = Source.objects.create(url=farm_feed(farm, full_content=False)["url"], name="s", full_text="never")
    farm.reset_stats()
    [outcome] = refresh_sources([source.pk])
    assert outcome.created >= 5
    assert farm.stats()["requests"] == 1
    assert max(len(body) for body in Article.objects.filter(source=source).values_list("body_text", flat=True)) < 400


@pytest.mark.django_db
@pytest.mark.usefixtures("engine_settings")
def test_always_fetches_pages_for_new_items_only(farm):
    source = Source.objects.create(url=farm_feed(farm, full_content=True)["url"], name="full", full_text="always")
    refresh_sources([source.pk])
    Source.objects.filter(pk=source.pk).update(etag="", last_modified="")
    farm.reset_stats()
    refresh_sources([source.pk])
    assert farm.stats()["requests"] == 1


@pytest.mark.django_db
@pytest.mark.usefixtures("engine_settings")
def test_server_wide_switch_turns_off_always(farm, settings):
    settings.FETCH_FULL_TEXT = False
    source = Source.objects.create(url=farm_feed(farm, full_content=True)["url"], name="full", full_text="always")
    farm.reset_stats()
    refresh_sources([source.pk])
    assert farm.stats()["requests"] == 1
