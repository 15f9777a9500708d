"""GET /api/categories (tree with counts) and GET /api/topics (filters, prefix search, counts, pages)."""

from __future__ import annotations

import pytest

from tests.articles.factories import ArticleFactory
from tests.taxonomy.factories import ArticleCategoryFactory, ArticleTopicFactory, CategoryFactory, TopicFactory
from tidings.taxonomy.models import Alias

pytestmark = pytest.mark.django_db


@pytest.fixture
def politics_tree():
    politics = CategoryFactory(qcode="medtop:11000000", name="Politics", slug="politics")
    elections = CategoryFactory(qcode="medtop:20000587", name="Elections", slug="elections", parent=politics)
    CategoryFactory(qcode="medtop:20000621", name="Government", slug="government", parent=politics)
    CategoryFactory(qcode="medtop:15000000", name="Sport", slug="sport")
    return politics, elections


def test_categories_are_a_tree_of_top_levels_with_children(client, politics_tree):
    tree = client.get("/api/categories").json()
    assert [node["slug"] for node in tree] == ["politics", "sport"]
    assert [child["slug"] for child in tree[0]["children"]] == ["elections", "government"]


def test_top_level_count_includes_subcategory_articles_once(client, politics_tree):
    politics, elections = politics_tree
    both = ArticleFactory()
    ArticleCategoryFactory(article=both, category=politics)
    ArticleCategoryFactory(article=both, category=elections)
    ArticleCategoryFactory(category=elections)
    tree = client.get("/api/categories").json()
    assert tree[0]["article_count"] == 2
    assert tree[0]["children"][0]["article_count"] == 2
    assert tree[1]["article_count"] == 0


def test_category_count_skips_duplicates(client, politics_tree):
    politics, _ = politics_tree
    original = ArticleCategoryFactory(category=politics).article
    ArticleCategoryFactory(category=politics, article__duplicate_of=original)
    assert client.get("/api/categories").json()[0]["article_count"] == 1


def test_topics_filter_by_kind(client):
    TopicFactory(name="Ada Lovelace", kind="person")
    TopicFactory(name="Lisbon", kind="place")
    items = client.get("/api/topics", {"kind": "place"}).json()["items"]
    assert [item["name"] for item in items] == ["Lisbon"]


def test_unknown_topic_kind_is_422_with_message(client):
    response = client.get("/api/topics", {"kind": "planet"})
    assert response.status_code == 422
    assert response.json()["detail"].startswith("kind: ")


def test_topics_prefix_search_matches_name(client):
    TopicFactory(name="European Union")
    TopicFactory(name="Union Square")
    items = client.get("/api/topics", {"q": "euro"}).json()["items"]
    assert [item["name"] for item in items] == ["European Union"]


def test_topics_prefix_search_matches_alias(client):
    topic = TopicFactory(name="European Union")
    Alias.objects.create(topic=topic, name="EU", key="eu")
    TopicFactory(name="Estonia")
    items = client.get("/api/topics", {"q": "EU"}).json()["items"]
    assert [(item["name"], item["aliases"]) for item in items] == [("European Union", ["EU"])]


def test_topics_have_article_counts_and_busiest_come_first(client):
    quiet = TopicFactory(name="Aardvarks")
    busy = TopicFactory(name="Zebras")
    ArticleTopicFactory.create_batch(2, topic=busy)
    ArticleTopicFactory(topic=quiet)
    items = client.get("/api/topics").json()["items"]
    assert [(item["name"], item["article_count"]) for item in items] == [("Zebras", 2), ("Aardvarks", 1)]


def test_topics_are_paginated(client):
    TopicFactory.create_batch(3)
    body = client.get("/api/topics", {"limit": 2}).json()
    assert (len(body["items"]), body["count"]) == (2, 3)
    assert "offset=2" in body["next"]


def test_categories_take_two_queries(client, politics_tree, django_assert_num_queries):
    ArticleCategoryFactory(category=politics_tree[1])
    with django_assert_num_queries(2):  # the categories, and one grouped count for all of them
        response = client.get("/api/categories")
    assert response.status_code == 200
    tree = {node["slug"]: node for node in response.json()}
    assert [child["slug"] for child in tree["politics"]["children"]] == ["elections", "government"]
    assert (tree["politics"]["article_count"], tree["sport"]["article_count"]) == (1, 0)


def test_topics_take_three_queries(client, django_assert_num_queries):
    for topic in TopicFactory.create_batch(3):
        Alias.objects.create(topic=topic, name=f"{topic.name} alias", key=f"{topic.slug}-alias")
    # count, topics with counts, aliases
    with django_assert_num_queries(3):
        response = client.get("/api/topics")
    assert response.status_code == 200
    items = response.json()["items"]
    assert len(items) == 3
    assert all(item["aliases"] == [f"{item['name']} alias"] for item in items), items
