"""Kept pages served whole to visitors with no session (web.shared_pages): each visitor gets their own CSRF
token and cookie, an ETag of their own, and anyone with a session, an account or a message waiting gets the
page made for them."""

from __future__ import annotations

import re

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client, RequestFactory
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.articles.factories import ArticleFactory
from tests.taxonomy.factories import ArticleCategoryFactory, CategoryFactory

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def tokens(response) -> set[str]:
    return set(TOKEN.findall(response.content.decode()))


@pytest.fixture
def politics():
    category = CategoryFactory(name="politics", slug="politics")
    ArticleCategoryFactory(article=ArticleFactory(headline="Harbour reopens"), category=category)
    return category


def test_a_repeat_visit_is_answered_whole_with_the_visitors_own_token(politics, django_assert_num_queries):
    url = reverse("web:category", args=["politics"])
    first = Client()
    made = first.get(url)
    assert made.context is not None  # the view made it
    visitor = Client()
    visitor.get(url)  # through the view's kept copy: this process now knows the address
    with django_assert_num_queries(1):  # the newest ids, for the key
        whole = visitor.get(url)
    assert whole.context is None  # no template ran: the whole kept response
    assert whole.status_code == 200
    assert "Harbour reopens" in whole.content.decode()
    assert whole["Content-Security-Policy"] == made["Content-Security-Policy"]
    assert whole["X-Frame-Options"] == made["X-Frame-Options"]
    assert int(whole["Content-Length"]) == len(whole.content)
    assert "tidings-csrf-token-placeholder" not in whole.content.decode()
    secret = visitor.cookies["csrftoken"].value
    assert {_unmask_cipher_token(token) for token in tokens(whole)} == {secret}
    assert {_unmask_cipher_token(token) for token in tokens(made)} == {first.cookies["csrftoken"].value}
    assert secret != first.cookies["csrftoken"].value


def test_a_visitor_without_a_csrf_cookie_gets_a_new_secret_each(politics):
    url = reverse("web:category", args=["politics"])
    visitor = Client()
    visitor.get(url)
    visitor.get(url)
    secrets = set()
    for _ in range(2):
        visitor.cookies.clear()
        whole = visitor.get(url)
        assert whole.context is None
        secret = whole.cookies["csrftoken"].value
        assert {_unmask_cipher_token(token) for token in tokens(whole)} == {secret}
        secrets.add(secret)
    assert len(secrets) == 2


def test_a_form_on_a_whole_kept_page_passes_the_csrf_check(politics):
    url = reverse("web:category", args=["politics"])
    follow = reverse("web:follow", args=["category", politics.pk])
    visitor = Client(enforce_csrf_checks=True)
    visitor.get(url)
    whole = visitor.get(url)
    assert whole.context is None
    token = TOKEN.search(whole.content.decode()).group(1)
    assert visitor.post(follow, {"csrfmiddlewaretoken": token, "control": "follow"}).status_code == 302
    other = Client(enforce_csrf_checks=True)
    other.get(url)
    assert other.post(follow, {"csrfmiddlewaretoken": token, "control": "follow"}).status_code == 403


def test_the_same_browser_gets_a_304_and_another_secret_does_not(politics):
    url = reverse("web:category", args=["politics"])
    visitor = Client()
    visitor.get(url)
    whole = visitor.get(url)
    etag = whole["ETag"]
    assert visitor.get(url, headers={"if-none-match": etag}).status_code == 304
    stranger = Client()
    stranger.get(url)
    assert stranger.get(url, headers={"if-none-match": etag}).status_code == 200
    ArticleFactory(headline="Bridge closes")  # a new article: another page, another ETag
    assert visitor.get(url, headers={"if-none-match": etag}).status_code == 200


def test_a_new_article_shows_at_once_on_the_whole_kept_page(politics):
    visitor = Client()
    visitor.get(reverse("web:home"))
    assert visitor.get(reverse("web:home")).context is None
    ArticleFactory(headline="Bridge closes")
    assert "Bridge closes" in visitor.get(reverse("web:home")).content.decode()


def test_a_signed_in_reader_never_gets_the_kept_page(politics, client):
    url = reverse("web:category", args=["politics"])
    anonymous = Client()
    anonymous.get(url)
    anonymous.get(url)
    client.force_login(UserFactory(username="margaret"))
    client.get(url)
    response = client.get(url)
    assert response.context is not None
    assert "margaret" in response.content.decode()
    assert "margaret" not in anonymous.get(url).content.decode()


def test_a_waiting_message_is_shown_and_never_kept(politics):
    url = reverse("web:category", args=["politics"])
    visitor = Client()
    visitor.get(url)
    visitor.get(url)
    storage = CookieStorage(RequestFactory().get("/"))
    storage.add(messages.INFO, "Theme saved for you")
    carrier = HttpResponse()
    storage.update(carrier)
    visitor.cookies[CookieStorage.cookie_name] = carrier.cookies[CookieStorage.cookie_name].value
    assert "Theme saved for you" in visitor.get(url).content.decode()
    assert "Theme saved for you" not in Client().get(url).content.decode()
    assert "Theme saved for you" not in Client().get(url).content.decode()
