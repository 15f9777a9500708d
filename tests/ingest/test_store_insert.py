"""store_articles' own insert and lookups: the same rows and answers as the ORM calls they replace."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.forms.models import model_to_dict

from tidings.articles.models import Article
from tidings.ingest import store
from tidings.ingest.store import insert_rows, store_articles
from tidings.ingest.types import ExtractedArticle
from tidings.sources.models import Source
from tidings.taxonomy.models import ArticleCategory, Category

pytestmark = pytest.mark.django_db

WHEN = datetime(2026, 3, 4, 5, 6, 7, 890000, tzinfo=UTC)


def article(source: Source, n: int) -> Article:
    return Article(
        source=source,
        url=f"https://harbour.example.org/{n}",
        guid=f"g{n}",
        headline=f"Pier {n} reopens",
        standfirst="After repairs.",
        body_text="The pier reopened.\n\nCrowds came.",
        body_html="<p>The pier reopened.</p><p>Crowds came.</p>",
        author="Morwenna Kitto",
        published_at=WHEN,
        fetched_at=WHEN,
        image_url="https://harbour.example.org/pier.jpg",
        image_caption="The pier",
        image_credit="Harbour Times",
        language="en",
        content_hash=f"{n:064d}",
        publisher_categories=["Local", "Harbours & ports"],
    )


def insert_articles(articles: list[Article]) -> list[Article]:
    """insert_rows for model objects, setting their ids as bulk_create does (to compare the two)."""
    fields = [f for f in Article._meta.concrete_fields if not f.primary_key]
    ids = insert_rows([{f.attname: getattr(article, f.attname) for f in fields} for article in articles])
    for article, pk in zip(articles, ids, strict=True):
        article.pk = pk
    return articles


def stored(ids: list[int]) -> list[dict]:
    return [model_to_dict(a, exclude=["id"]) for a in Article.objects.filter(pk__in=ids).order_by("pk")]


@pytest.fixture
def source() -> Source:
    return Source.objects.create(name="Harbour Times", url="https://harbour.example.org/feed")


def test_insert_stores_the_rows_bulk_create_stores(source):
    ours = insert_articles([article(source, n) for n in range(3)])
    Article.objects.all().delete()
    django = Article.objects.bulk_create([article(source, n) for n in range(3)])
    assert all(a.pk for a in ours) and len({a.pk for a in ours}) == 3
    assert stored([a.pk for a in django]) == [model_to_dict(a, exclude=["id"]) for a in ours]


def test_insert_sets_the_ids_in_order(source):
    inserted = insert_articles([article(source, n) for n in range(70)])  # more than one statement on SQLite
    assert [Article.objects.get(pk=a.pk).headline for a in inserted] == [f"Pier {n} reopens" for n in range(70)]


def test_a_feed_too_large_for_one_lookup_is_still_deduplicated(source, monkeypatch):
    monkeypatch.setattr(store, "KNOWN_QUERY_VALUES", 2)
    items = [
        ExtractedArticle(headline=f"Pier {n}", paragraphs=("Text.",), url=f"https://h.example/{n}") for n in (1, 2)
    ]
    assert len(store_articles(source, items, enrich=False).created) == 2
    again = store_articles(source, items, enrich=False)
    assert (again.created, again.duplicates) == ([], 2)


def test_a_label_links_the_category_of_that_name_or_of_its_part_before_a_comma(source):
    ports = Category.objects.create(qcode="t:1", name="Harbours and ports", slug="harbours")
    arts = Category.objects.create(qcode="t:2", name="Arts, culture and entertainment", slug="arts")
    Category.objects.create(qcode="t:3", name="Weather", slug="weather")
    item = ExtractedArticle(
        headline="Pier reopens", paragraphs=("Text.",), publisher_categories=("Harbours & Ports", "arts")
    )
    [pk] = store_articles(source, [item], enrich=False).created
    linked = ArticleCategory.objects.filter(article_id=pk).values_list("category_id", flat=True)
    assert sorted(linked) == sorted([ports.pk, arts.pk])
