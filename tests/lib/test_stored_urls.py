"""The data migrations' cleanup: stored links that are not absolute http(s) are blanked, once, and nothing else."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from tests.articles.factories import ArticleFactory
from tests.sources.factories import SourceFactory
from tidings.articles.models import Article
from tidings.lib.stored_urls import blank_unsafe_urls
from tidings.sources.models import Source

pytestmark = pytest.mark.django_db

UNSAFE = [
    "javascript:alert(document.cookie)",
    "\x01javascript:alert(1)",
    "data:text/html,x",
    "/relative",
    "java\tscript:x",
]


def stored_as(article: Article, **values: str) -> None:
    """Write values the way old code did, past Article.save's check."""
    Article.objects.filter(pk=article.pk).update(**values)


def test_unsafe_article_links_are_blanked_and_safe_ones_kept():
    unsafe = [ArticleFactory() for _ in UNSAFE]
    for article, value in zip(unsafe, UNSAFE, strict=True):
        stored_as(article, url=value, image_url=value)
    safe = ArticleFactory(image_url="https://news.example.org/i.jpg")
    tidy_later = ArticleFactory()
    stored_as(tidy_later, url=" https://news.example.org/spaced")

    assert blank_unsafe_urls(Article, ["url", "image_url"]) == 2 * len(UNSAFE)

    assert set(Article.objects.filter(pk__in=[a.pk for a in unsafe]).values_list("url", "image_url")) == {("", "")}
    safe_after = Article.objects.get(pk=safe.pk)
    assert (safe_after.url, safe_after.image_url) == (safe.url, "https://news.example.org/i.jpg")
    assert Article.objects.get(pk=tidy_later.pk).url == " https://news.example.org/spaced"  # safe: left as stored


def test_running_the_cleanup_again_changes_nothing():
    stored_as(ArticleFactory(), url="javascript:alert(1)")
    assert blank_unsafe_urls(Article, ["url", "image_url"]) == 1
    assert blank_unsafe_urls(Article, ["url", "image_url"]) == 0


def test_the_migrations_clean_articles_and_sources_with_their_historical_models():
    article = ArticleFactory()
    stored_as(article, url="javascript:alert(1)", image_url="vbscript:x")
    source = SourceFactory()
    Source.objects.filter(pk=source.pk).update(site_url="javascript:alert(2)")

    for module in (
        "tidings.articles.migrations.0003_blank_unsafe_urls",
        "tidings.sources.migrations.0006_blank_unsafe_urls",
    ):
        importlib.import_module(module).blank_unsafe_links(apps, None)

    article.refresh_from_db()
    source.refresh_from_db()
    assert (article.url, article.image_url, source.site_url) == ("", "", "")
    assert source.url.startswith("https://")  # a safe feed address is kept


def test_the_migration_renames_sources_named_by_their_feed_address():
    secret = "https://private.example.org/feed.xml?token=s3cr3t"
    named_by_address = SourceFactory(url=secret, name=secret, slug="httpsprivateexampleorgfeedxmltokens3cr3t")
    titled = SourceFactory(name="Harbour Herald")
    titled_slug = titled.slug
    migration = importlib.import_module("tidings.sources.migrations.0007_rename_sources_named_by_address")

    migration.rename_sources_named_by_address(apps, None)
    migration.rename_sources_named_by_address(apps, None)  # again: nothing left to rename

    named_by_address.refresh_from_db()
    titled.refresh_from_db()
    assert (named_by_address.name, named_by_address.slug) == ("private.example.org", "privateexampleorg")
    assert (titled.name, titled.slug) == ("Harbour Herald", titled_slug)
