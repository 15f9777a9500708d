"""Browse: the category tree with counts in a fixed number of queries, and trending topics."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    ArticleCategoryFactory,
    ArticleFactory,
    ArticleTopicFactory,
    CategoryFactory,
    TopicFactory,
)
from tidings.web.catalog import category_tree, trending_topics

pytestmark = pytest.mark.django_db


def make_tree(tops=3, children=3):
    made = []
    for i in range(tops):
        top = CategoryFactory(name=f"top {i}", slug=f"top-{i}")
        kids = [CategoryFactory(name=f"child {i}.{j}", slug=f"child-{i}-{j}", parent=top) for j in range(children)]
        made.append((top, kids))
    return made


def test_browse_shows_categories_with_children(client):
    make_tree(tops=2, children=2)
    body = client.get(reverse("web:browse")).content.decode()
    assert "Browse Categories and Topics" in body
    for name in ("Top 0", "Top 1", "child 0.0", "child 1.1"):
        assert name in body


def test_parent_count_includes_children_and_counts_each_article_once(client):
    [(top, kids)] = make_tree(tops=1, children=2)
    article = ArticleFactory()
    ArticleCategoryFactory(article=article, category=kids[0])
    ArticleCategoryFactory(article=article, category=kids[1])
    ArticleCategoryFactory(article=ArticleFactory(), category=top)
    [node] = category_tree()
    assert node.article_count == 2
    assert [c.article_count for c in node.children] == [1, 1]


def test_counts_leave_out_duplicates(client):
    [(top, _)] = make_tree(tops=1, children=0)
    original = ArticleFactory()
    ArticleCategoryFactory(article=original, category=top)
    ArticleCategoryFactory(article=ArticleFactory(duplicate_of=original), category=top)
    assert category_tree()[0].article_count == 1


def test_browse_query_count_does_not_grow_with_categories(client, django_assert_max_num_queries):
    for top, kids in make_tree(tops=17, children=6):
        ArticleCategoryFactory(category=kids[0])
        ArticleTopicFactory()
    client.post(reverse("web:follow", args=["category", top.pk]))
    with django_assert_max_num_queries(8):
        response = client.get(reverse("web:browse"))
    assert response.status_code == 200
    body = response.content.decode()
    assert all(f"child {i}.5" in body for i in range(17)), "a category of the tree is missing from the page"
    assert body.count('aria-pressed="true"') >= 1  # the followed top-level category


def test_trending_prefers_topics_of_the_last_week():
    now = timezone.now()
    old = TopicFactory(name="Old news")
    fresh = TopicFactory(name="Fresh news")
    for _ in range(3):
        ArticleTopicFactory(topic=old, article=ArticleFactory(published_at=now - timedelta(days=30)))
    ArticleTopicFactory(topic=fresh, article=ArticleFactory(published_at=now - timedelta(hours=2)))
    assert [t.topic.name for t in trending_topics(now)] == ["Fresh news"]


def test_trending_falls_back_to_all_time():
    now = timezone.now()
    old = TopicFactory(name="Old news")
    ArticleTopicFactory(topic=old, article=ArticleFactory(published_at=now - timedelta(days=30)))
    assert [t.topic.name for t in trending_topics(now)] == ["Old news"]


def test_browse_empty_state(client):
    body = client.get(reverse("web:browse")).content.decode()
    assert "No categories loaded" in body
    assert "No topics yet" in body
