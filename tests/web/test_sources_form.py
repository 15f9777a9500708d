"""The Sources page's add form: a good address makes a source, a bad one is explained inline."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.sources.factories import SourceFactory
from tidings.sources.models import Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client):
    """A signed-in reader: adding a source needs an account."""
    client.force_login(UserFactory())
    return client


def test_an_anonymous_visitor_is_sent_to_sign_in_and_nothing_is_stored():
    response = Client().post(reverse("web:sources"), {"url": "https://news.example.org/feed.xml"})
    assert response.status_code == 302
    assert reverse("accounts:signin") in response["Location"]
    assert not Source.objects.exists()


def test_an_anonymous_visitor_sees_a_sign_in_link_instead_of_the_form():
    body = Client().get(reverse("web:sources")).content.decode()
    assert 'name="url"' not in body
    assert "to add a news feed or a news page" in body


def test_add_source_redirects_to_its_page(client):
    response = client.post(reverse("web:sources"), {"url": "https://news.example.org/feed.xml", "name": "Example"})
    source = Source.objects.get(url="https://news.example.org/feed.xml")
    assert response.status_code == 302
    assert response["Location"] == source.get_absolute_url()
    assert source.name == "Example"


def test_bad_address_is_explained_inline_and_nothing_is_stored(client):
    response = client.post(reverse("web:sources"), {"url": "not an address"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "is not a web address" in body
    assert 'class="field-error"' in body
    assert not Source.objects.exists()


def test_empty_address_is_explained_inline(client):
    response = client.post(reverse("web:sources"), {"url": ""})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()


def test_duplicate_address_is_explained_inline(client):
    SourceFactory(name="Evening Post", url="https://post.example.org/feed.xml")
    response = client.post(reverse("web:sources"), {"url": "https://post.example.org/feed.xml"})
    assert response.status_code == 400
    assert "already a source" in response.content.decode()
    assert Source.objects.count() == 1
