"""List pages run a fixed number of queries, however many articles and chips they show."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import ArticleCategoryFactory, ArticleFactory, ArticleTopicFactory, CategoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def followed_category_with_articles(client):
    category = CategoryFactory(name="politics", slug="politics")
    child = CategoryFactory(name="election", slug="election", parent=category)
    for _ in range(25):
        article = ArticleFactory()
        ArticleCategoryFactory(article=article, category=child)
        ArticleTopicFactory(article=article)
    client.post(reverse("web:follow", args=["category", category.pk]))
    return category


def test_home_query_count_is_fixed(client, followed_category_with_articles, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        response = client.get(reverse("web:home"))
    assert response.content.decode().count('class="card-title"') == 20


def test_my_news_query_count_is_fixed(client, followed_category_with_articles, django_assert_max_num_queries):
    with django_assert_max_num_queries(13):
        response = client.get(reverse("web:my_news"))
    assert response.content.decode().count('class="card-title"') == 20


def test_category_query_count_is_fixed(client, followed_category_with_articles, django_assert_max_num_queries):
    with django_assert_max_num_queries(11):
        response = client.get(reverse("web:category", args=["politics"]))
    assert response.content.decode().count('class="card-title"') == 20
