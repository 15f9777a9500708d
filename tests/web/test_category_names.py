"""One rule for category names (docs/design.md): on its own a name starts with a capital; inside a sentence or a
label it stays as IPTC wrote it, in lower case."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.articles.factories import ArticleFactory
from tests.taxonomy.factories import ArticleCategoryFactory, CategoryFactory
from tidings.personalization.services import profile_for_user, set_follow

pytestmark = pytest.mark.django_db
IPTC_NAME, ON_ITS_OWN = "conflict, war and peace", "Conflict, war and peace"


@pytest.fixture
def follower():
    category = CategoryFactory(name=IPTC_NAME, slug="conflict-war-and-peace")
    ArticleCategoryFactory(category=category, article=ArticleFactory(headline="Ceasefire holds"))
    user = UserFactory(username="reader")
    set_follow(profile_for_user(user), category)
    client = Client()
    client.force_login(user)
    return client, category


def link_texts(body: str, href: str) -> set[str]:
    return set(re.findall(rf'<a[^>]*href="{re.escape(href)}"[^>]*>([^<]+)</a>', body))


@pytest.mark.parametrize("page", ["web:my_news", "web:interests", "web:home"])
def test_a_category_name_on_its_own_starts_with_a_capital(follower, page):
    client, category = follower
    body = client.get(reverse(page)).content.decode()
    texts = link_texts(body, category.get_absolute_url())
    assert texts and texts == {ON_ITS_OWN}, texts


def test_the_category_page_chips_and_heading_agree(follower):
    client, category = follower
    body = client.get(category.get_absolute_url()).content.decode()
    assert f"<h1>{ON_ITS_OWN}</h1>" in body
    assert link_texts(body, category.get_absolute_url()) <= {ON_ITS_OWN}


def test_inside_a_label_the_name_stays_as_iptc_wrote_it(follower):
    client, category = follower
    body = client.get(category.get_absolute_url()).content.decode()
    assert f'aria-label="Unfollow {IPTC_NAME}"' in body
