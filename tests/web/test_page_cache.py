"""Pages kept for visitors who all see the same page (web.page_cache): the kept copy is served with each
visitor's own CSRF token, a new article changes it at once, and a visitor with a session gets their own page."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.articles.factories import ArticleFactory
from tests.taxonomy.factories import ArticleCategoryFactory, CategoryFactory

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_a_second_anonymous_visit_is_the_kept_page_with_one_query(client, django_assert_num_queries):
    ArticleFactory(headline="Harbour reopens")
    first = client.get(reverse("web:browse"))
    with django_assert_num_queries(1):  # the newest ids, for the key
        second = Client().get(reverse("web:browse"))
    assert second.status_code == 200
    assert second.content.decode().count("csrfmiddlewaretoken") == first.content.decode().count("csrfmiddlewaretoken")


def test_a_form_on_a_kept_page_passes_the_csrf_check_for_another_visitor():
    politics = CategoryFactory(name="politics", slug="politics")
    ArticleCategoryFactory(article=ArticleFactory(headline="Harbour reopens"), category=politics)
    url = reverse("web:category", args=["politics"])
    follow = reverse("web:follow", args=["category", politics.pk])
    Client(enforce_csrf_checks=True).get(url)  # keeps the page
    visitor = Client(enforce_csrf_checks=True)
    body = visitor.get(url).content.decode()
    assert "tidings-csrf-token-placeholder" not in body
    token = TOKEN.search(body).group(1)
    assert visitor.post(follow, {"csrfmiddlewaretoken": token, "control": "follow"}).status_code == 302
    stale = Client(enforce_csrf_checks=True)
    stale.get(url)
    refused = stale.post(follow, {"csrfmiddlewaretoken": "x" * 64, "control": "follow"})
    assert refused.status_code == 403  # the check itself is on


def test_a_new_article_shows_at_once(client):
    ArticleFactory(headline="Harbour reopens")
    assert "Harbour reopens" in client.get(reverse("web:home")).content.decode()
    ArticleFactory(headline="Bridge closes")
    assert "Bridge closes" in Client().get(reverse("web:home")).content.decode()


def test_the_theme_cookie_gets_its_own_page():
    ArticleFactory()
    Client().get(reverse("web:browse"))
    dark = Client()
    dark.cookies["tidings_theme"] = "dark"
    assert 'data-theme="dark"' in dark.get(reverse("web:browse")).content.decode()


def test_a_signed_in_reader_gets_their_own_page(client):
    ArticleFactory()
    Client().get(reverse("web:home"))
    client.force_login(UserFactory())
    response = client.get(reverse("web:home"))
    assert response.context is not None  # rendered for them, not the kept copy
