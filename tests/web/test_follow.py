"""Follow buttons: htmx gets the re-rendered button, a plain POST is redirected back to `next`."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.factories import CategoryFactory, SourceFactory, TopicFactory
from tidings.personalization.models import Follow

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def conflict():
    return CategoryFactory(name="conflict, war and peace", slug="conflict-war-and-peace", qcode="medtop:16000000")


def follow_url(kind, target):
    return reverse("web:follow", args=[kind, target.pk])


def test_button_shows_not_followed_state_on_page(client, conflict):
    body = client.get(conflict.get_absolute_url()).content.decode()
    assert 'aria-pressed="false"' in body
    assert 'aria-label="Follow conflict, war and peace"' in body


def test_htmx_follow_returns_pressed_button_partial(client, conflict):
    response = client.post(follow_url("category", conflict), {"next": "/browse/"}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith("<form")
    assert "<html" not in body
    assert 'aria-pressed="true"' in body
    assert 'aria-label="Unfollow conflict, war and peace"' in body


def test_htmx_second_click_unfollows(client, conflict):
    client.post(follow_url("category", conflict), **HTMX)
    body = client.post(follow_url("category", conflict), **HTMX).content.decode()
    assert 'aria-pressed="false"' in body
    assert not Follow.objects.filter(category=conflict).exists()


def test_htmx_partial_keeps_heading_variant_text(client, conflict):
    body = client.post(follow_url("category", conflict), {"variant": "heading"}, **HTMX).content.decode()
    assert "Following" in body


def test_plain_post_follows_and_redirects_to_next(client, conflict):
    response = client.post(follow_url("category", conflict), {"next": "/browse/"})
    assert response.status_code == 302
    assert response["Location"] == "/browse/"
    assert Follow.objects.filter(category=conflict, action="follow").count() == 1


def test_plain_post_then_page_shows_followed_state(client, conflict):
    client.post(follow_url("category", conflict), {"next": "/browse/"})
    body = client.get(conflict.get_absolute_url()).content.decode()
    assert 'aria-label="Unfollow conflict, war and peace"' in body


def test_offsite_next_is_ignored(client, conflict):
    response = client.post(follow_url("category", conflict), {"next": "https://evil.example.com/"})
    assert response["Location"] == conflict.get_absolute_url()


def test_follow_topic_and_source(client):
    topic = TopicFactory(name="Gaza")
    source = SourceFactory(name="Evening Post")
    client.post(follow_url("topic", topic), **HTMX)
    client.post(follow_url("source", source), **HTMX)
    assert set(Follow.objects.values_list("topic_id", "source_id")) == {(topic.pk, None), (None, source.pk)}


def test_follow_unknown_target_is_404_with_message(client):
    response = client.post(reverse("web:follow", args=["category", 424242]))
    assert response.status_code == 404
    assert "no category" in response.content.decode()


def test_follow_unknown_kind_is_404(client, conflict):
    assert client.post(reverse("web:follow", args=["planet", conflict.pk])).status_code == 404


def test_follow_by_get_is_refused(client, conflict):
    assert client.get(follow_url("category", conflict)).status_code == 405
    assert not Follow.objects.exists()


def test_follow_requires_csrf_token(conflict):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(follow_url("category", conflict)).status_code == 403


def test_button_form_carries_csrf_token_for_no_js_use(conflict):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    page = strict.get(conflict.get_absolute_url()).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = strict.post(follow_url("category", conflict), {"csrfmiddlewaretoken": token, "next": "/"})
    assert response.status_code == 302
