"""What the pages log: impressions on list pages, opens on the article page, the reading beacon, save and share."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.articles.factories import ArticleFactory
from tidings.personalization.models import ArticleState, Interaction, Profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(client):
    """A signed-in reader (their profile exists once they are signed in)."""
    user = UserFactory(username="reader")
    client.force_login(user)
    return user


def logged(kind=None):
    rows = Interaction.objects.all()
    if kind:
        rows = rows.filter(kind=kind)
    return list(rows.values_list("kind", "article_id"))


def csrf_from(page) -> str:
    match = re.search(r'data-csrf="([^"]+)"', page.content.decode())
    assert match, "the article page carries no CSRF token for its scripts"
    return match.group(1)


def test_article_page_logs_an_open_and_marks_it_read(client, reader):
    article = ArticleFactory()
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert logged() == [("open", article.pk)]
    assert ArticleState.objects.get(profile__user=reader, article=article).read_at is not None
    assert reverse("web:article_reading", args=[article.pk]) in response.content.decode()


def test_a_first_visit_or_a_crawler_creates_no_profile_and_no_rows(client):
    article = ArticleFactory()
    page = client.get(article.get_absolute_url())
    client.get(reverse("web:home"))
    assert page.status_code == 200
    assert not Profile.objects.exists() and not Interaction.objects.exists()
    assert "data-reading-url" not in page.content.decode()


def test_do_not_track_stops_implicit_logging(client, reader):
    article = ArticleFactory()
    page = client.get(article.get_absolute_url(), headers={"Sec-GPC": "1"})
    client.get(reverse("web:home"), headers={"DNT": "1"})
    beacon = client.post(reverse("web:article_reading", args=[article.pk]), {"seconds": "40"}, headers={"DNT": "1"})
    assert page.status_code == 200 and beacon.status_code == 204
    assert "data-reading-url" not in page.content.decode()
    assert logged() == []


def test_home_logs_the_cards_it_shows_for_a_known_profile(client, reader):
    shown = [ArticleFactory() for _ in range(3)]
    assert client.get(reverse("web:home")).status_code == 200
    assert sorted(logged("impression")) == sorted(("impression", a.pk) for a in shown)


def test_reading_beacon_needs_the_csrf_token(reader):
    article = ArticleFactory()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(reader)
    url = reverse("web:article_reading", args=[article.pk])
    token = csrf_from(browser.get(article.get_absolute_url()))

    refused = browser.post(url, {"seconds": "40"})
    accepted = browser.post(url, {"seconds": "40", "csrfmiddlewaretoken": token})

    assert refused.status_code == 403
    assert accepted.status_code == 204
    assert Interaction.objects.get(kind="read").value == 40.0


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "send the reading time as `seconds`"),
        ({"seconds": "soon"}, "is not a number of seconds"),
        ({"seconds": "-3"}, "0 or more"),
        ({"seconds": "nan"}, "0 or more"),
        ({"seconds": "1e999"}, "0 or more"),
    ],
    ids=["missing", "text", "negative", "nan", "infinite"],
)
def test_bad_reading_time_is_a_400_with_a_message(client, reader, fields, message):
    article = ArticleFactory()
    response = client.post(reverse("web:article_reading", args=[article.pk]), fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert logged("read") == []


def test_reading_time_for_a_missing_article_is_404(client, reader):
    assert client.post(reverse("web:article_reading", args=[999_999]), {"seconds": "10"}).status_code == 404
    assert client.get(reverse("web:article_reading", args=[1])).status_code == 405


def test_save_button_saves_and_unsaves_with_htmx(client, reader):
    article = ArticleFactory()
    url = reverse("web:article_save", args=[article.pk])
    saved = client.post(url, {"saved": "1"}, headers={"HX-Request": "true"})
    assert saved.status_code == 200
    assert 'aria-pressed="true"' in saved.content.decode() and 'name="saved" value="0"' in saved.content.decode()
    assert logged("save") == [("save", article.pk)]
    unsaved = client.post(url, {"saved": "0"})
    assert unsaved.status_code == 302 and unsaved["Location"] == article.get_absolute_url()
    assert ArticleState.objects.get(profile__user=reader, article=article).saved_at is None
    assert logged("save") == []


def test_save_returns_to_a_same_site_next_only(client, reader):
    article = ArticleFactory()
    url = reverse("web:article_save", args=[article.pk])
    assert client.post(url, {"saved": "1", "next": "/my/?page=2"})["Location"] == "/my/?page=2"
    assert client.post(url, {"saved": "0", "next": "https://evil.example/"})["Location"] == article.get_absolute_url()


def test_save_refuses_a_bad_value(client, reader):
    article = ArticleFactory()
    response = client.post(reverse("web:article_save", args=[article.pk]), {"saved": "yes"})
    assert response.status_code == 400
    assert "saved=1" in response.content.decode()
    assert not ArticleState.objects.exists()


def test_an_anonymous_save_starts_a_profile_whose_page_then_logs_opens(client):
    article = ArticleFactory()
    assert client.post(reverse("web:article_save", args=[article.pk]), {"saved": "1"}).status_code == 302
    page = client.get(article.get_absolute_url())
    assert 'aria-pressed="true"' in page.content.decode()
    assert sorted(logged()) == [("open", article.pk), ("save", article.pk)]


def test_share_is_logged_for_a_known_profile_only(client, reader):
    article = ArticleFactory()
    assert client.post(reverse("web:article_share", args=[article.pk])).status_code == 204
    assert Client().post(reverse("web:article_share", args=[article.pk])).status_code == 204
    assert logged("share") == [("share", article.pk)]
