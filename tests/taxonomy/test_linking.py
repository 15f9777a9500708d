"""store_category_links: the runner's way to save an article's model and publisher categories."""

import pytest

from tests.articles.factories import ArticleFactory
from tests.taxonomy.factories import ArticleCategoryFactory, CategoryFactory
from tidings.taxonomy.linking import store_category_links
from tidings.taxonomy.models import ArticleCategory, Origin

pytestmark = pytest.mark.django_db

SPORT = "medtop:15000000"
WAR = "medtop:16000000"


def links_of(article):
    return {
        (link.category.qcode, link.origin, round(link.score, 2))
        for link in ArticleCategory.objects.filter(article=article).select_related("category")
    }


def test_links_are_stored_by_qcode(taxonomy):
    article = ArticleFactory()
    store_category_links(
        article.id,
        [{"qcode": WAR, "score": 0.9, "origin": "model"}, {"qcode": SPORT, "score": 0.6, "origin": "publisher"}],
    )
    assert links_of(article) == {(WAR, "model", 0.9), (SPORT, "publisher", 0.6)}


def test_storing_again_replaces_the_earlier_model_links(taxonomy):
    article = ArticleFactory()
    store_category_links(article.id, [{"qcode": WAR, "score": 0.9, "origin": "model"}])
    store_category_links(article.id, [{"qcode": SPORT, "score": 0.7, "origin": "model"}])
    assert links_of(article) == {(SPORT, "model", 0.7)}


def test_editor_links_survive_a_new_store(taxonomy):
    article = ArticleFactory()
    ArticleCategoryFactory(article=article, category=CategoryFactory(qcode=WAR), score=1.0, origin=Origin.EDITOR)
    store_category_links(article.id, [])
    assert links_of(article) == {(WAR, "editor", 1.0)}


def test_unknown_qcodes_and_malformed_entries_are_skipped(taxonomy):
    article = ArticleFactory()
    store_category_links(
        article.id,
        [
            {"qcode": "medtop:00000001", "score": 0.9, "origin": "model"},
            {"qcode": SPORT, "score": "high", "origin": "model"},
            {"qcode": SPORT, "score": 0.5, "origin": "editor"},
            {"qcode": WAR, "score": float("nan"), "origin": "model"},
            {"qcode": WAR, "score": 0.8, "origin": "model"},
        ],
    )
    assert links_of(article) == {(WAR, "model", 0.8)}


def test_a_repeated_qcode_keeps_its_best_score(taxonomy):
    article = ArticleFactory()
    store_category_links(
        article.id, [{"qcode": WAR, "score": 0.4, "origin": "model"}, {"qcode": WAR, "score": 0.8, "origin": "model"}]
    )
    assert links_of(article) == {(WAR, "model", 0.8)}


def test_storing_several_links_takes_a_fixed_number_of_queries(taxonomy, django_assert_max_num_queries):
    article = ArticleFactory()
    entries = [{"qcode": q, "score": 0.5, "origin": "model"} for q in (WAR, SPORT, "medtop:11000000")]
    # lookup, savepoint/begin, delete, insert, the listing's delete and insert (taxonomy.listing.relist) with the
    # categories listed before and after (their stored counts are recounted after the commit), release
    with django_assert_max_num_queries(9):
        store_category_links(article.id, entries)
    assert len(links_of(article)) == 3
