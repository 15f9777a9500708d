"""The publisher-signal path on demo texts: a label or a URL section is linked as a publisher category.

test_demo_categories.py strips these signals to measure the text alone; here they are put back one at a time on
articles whose URLs otherwise name no section, and the stored links must show them with origin "publisher".
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from tidings.articles.models import Article
from tidings.demo.corpus import DemoItem, generate_demo_corpus, without_category_hints
from tidings.demo.management.commands.load_demo import demo_source
from tidings.enrichment.runner import enrich_articles
from tidings.ingest.store import store_articles
from tidings.taxonomy.models import ArticleCategory, Origin

pytestmark = [pytest.mark.models, pytest.mark.django_db]

SPORT, POLITICS, ECONOMY = "medtop:15000000", "medtop:11000000", "medtop:04000000"


def first_of(items: tuple[DemoItem, ...], qcode: str) -> DemoItem:
    return next(item for item in items if item.qcode == qcode)


def store_and_enrich(item: DemoItem, **changes: object) -> Article:
    article = replace(without_category_hints(item.article), **changes)
    [pk] = store_articles(demo_source(item.outlet), [article], enrich=False).created
    report = enrich_articles([pk])
    assert not report.errors, report.errors
    return Article.objects.get(pk=pk)


def links(article: Article, origin: str) -> set[str]:
    return set(ArticleCategory.objects.filter(article=article, origin=origin).values_list("category__qcode", flat=True))


@pytest.fixture
def demo_items(taxonomy) -> tuple[DemoItem, ...]:
    return generate_demo_corpus(datetime(2026, 11, 1, 12, tzinfo=UTC), count=40, seed=1851)


def test_iptc_name_as_label_is_linked_as_publisher_category(demo_items):
    item = first_of(demo_items, SPORT)
    article = store_and_enrich(item, publisher_categories=("sport",))
    assert links(article, Origin.PUBLISHER) == {SPORT}


def test_section_word_as_label_is_linked_as_publisher_category(demo_items):
    item = first_of(demo_items, ECONOMY)
    article = store_and_enrich(item, publisher_categories=("Markets",))
    assert ECONOMY in links(article, Origin.PUBLISHER)


def test_label_naming_another_category_adds_it_beside_what_the_text_says(demo_items):
    """A sport text labelled "Politics": the label is linked as the publisher's, the text still reads as sport."""
    item = first_of(demo_items, SPORT)
    article = store_and_enrich(item, publisher_categories=("Politics",))
    assert links(article, Origin.PUBLISHER) == {POLITICS}
    assert SPORT in links(article, Origin.MODEL)


def test_url_section_is_linked_as_publisher_category(demo_items):
    item = first_of(demo_items, SPORT)
    site, _, page = without_category_hints(item.article).url.rpartition("/")
    article = store_and_enrich(item, url=f"{site}/sport/{page}")
    assert links(article, Origin.PUBLISHER) == {SPORT}


def test_without_label_or_section_nothing_is_linked_as_publisher_category(demo_items):
    article = store_and_enrich(first_of(demo_items, SPORT))
    assert links(article, Origin.PUBLISHER) == set()
    assert SPORT in links(article, Origin.MODEL)
