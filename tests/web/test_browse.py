"""Browse: the category tree with counts in a fixed number of queries, and trending topics."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.articles.factories import ArticleFactory
from tests.taxonomy.factories import ArticleCategoryFactory, ArticleTopicFactory, CategoryFactory, TopicFactory
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


def articles_about(topic, count, age, mentions=1):
    now = timezone.now()
    for _ in range(count):
        ArticleTopicFactory(topic=topic, mentions=mentions, article=ArticleFactory(published_at=now - age))


def test_trending_ranks_recent_growth_not_size():
    steady, rising = TopicFactory(name="Europe"), TopicFactory(name="ceasefire")
    articles_about(steady, 10, timedelta(days=5))  # its share: 10 of 10 articles before, 6 of 10 lately
    articles_about(steady, 6, timedelta(hours=3))
    articles_about(rising, 4, timedelta(hours=3))
    trending = trending_topics(timezone.now())
    assert [(t.topic.name, t.article_count) for t in trending] == [("ceasefire", 4)]


def test_trending_counts_named_topics_not_roll_ups():
    continent, named = TopicFactory(name="Europe"), TopicFactory(name="Valencia")
    articles_about(continent, 6, timedelta(hours=2), mentions=0)  # only lies in it
    articles_about(named, 3, timedelta(hours=2))
    assert [t.topic.name for t in trending_topics(timezone.now())] == ["Valencia"]


def test_trending_needs_a_few_recent_articles():
    topic = TopicFactory(name="Lone story")
    articles_about(topic, 2, timedelta(hours=1))
    assert trending_topics(timezone.now()) == []


def test_old_news_is_not_trending():
    old = TopicFactory(name="Old news")
    articles_about(old, 5, timedelta(days=30))
    assert trending_topics(timezone.now()) == []


def test_duplicates_do_not_make_a_topic_trend():
    topic = TopicFactory(name="Copied story")
    original = ArticleFactory()
    for _ in range(4):
        ArticleTopicFactory(topic=topic, article=ArticleFactory(duplicate_of=original))
    assert trending_topics(timezone.now()) == []


def test_browse_empty_state(client):
    body = client.get(reverse("web:browse")).content.decode()
    assert "No categories loaded" in body
    assert "No topics yet" in body
