"""Follow buttons: htmx gets the re-rendered button, a plain POST is redirected back to `next`."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.sources.factories import SourceFactory
from tests.taxonomy.factories import CategoryFactory, TopicFactory
from tidings.personalization.models import Follow, Profile

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def conflict():
    return CategoryFactory(name="conflict, war and peace", slug="conflict-war-and-peace", qcode="medtop:16000000")


def follow_url(kind, target):
    return reverse("web:follow", args=[kind, target.pk])


def visitor_profile(client) -> Profile:
    """The anonymous profile this client's session made: no user, tied to the session key."""
    profile = Profile.objects.get(pk=client.session["profile_id"])
    assert (profile.user_id, profile.session_key) == (None, client.session.session_key)
    return profile


def stored_follows():
    """Every Follow row as (profile id, action, kind, target id), to compare the whole stored state."""
    rows = Follow.objects.values_list("profile_id", "action", "category_id", "topic_id", "source_id")
    return {
        (profile, action, kind, target)
        for profile, action, *targets in rows
        for kind, target in zip(("category", "topic", "source"), targets, strict=True)
        if target is not None
    }


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
    assert stored_follows() == {(visitor_profile(client).pk, "follow", "category", conflict.pk)}


def test_htmx_second_click_unfollows(client, conflict):
    client.post(follow_url("category", conflict), **HTMX)
    response = client.post(follow_url("category", conflict), **HTMX)
    assert response.status_code == 200
    assert 'aria-pressed="false"' in response.content.decode()
    assert not Follow.objects.exists()
    assert Profile.objects.count() == 1  # the visitor's profile stays, only the follow went


def test_htmx_partial_keeps_heading_variant_text(client, conflict):
    response = client.post(follow_url("category", conflict), {"variant": "heading"}, **HTMX)
    assert response.status_code == 200
    assert "Following" in response.content.decode()
    assert stored_follows() == {(visitor_profile(client).pk, "follow", "category", conflict.pk)}


def test_plain_post_follows_and_redirects_to_next(client, conflict):
    response = client.post(follow_url("category", conflict), {"next": "/browse/"})
    assert response.status_code == 302
    assert response["Location"] == "/browse/"
    assert stored_follows() == {(visitor_profile(client).pk, "follow", "category", conflict.pk)}


def test_signed_in_follow_is_stored_on_the_users_profile(client, conflict):
    user = UserFactory()
    client.force_login(user)
    response = client.post(follow_url("category", conflict), **HTMX)
    assert response.status_code == 200
    assert 'aria-pressed="true"' in response.content.decode()
    assert stored_follows() == {(Profile.objects.get(user=user).pk, "follow", "category", conflict.pk)}
    assert not Profile.objects.filter(user__isnull=True).exists()


def test_plain_post_then_page_shows_followed_state(client, conflict):
    client.post(follow_url("category", conflict), {"next": "/browse/"})
    body = client.get(conflict.get_absolute_url()).content.decode()
    assert 'aria-label="Unfollow conflict, war and peace"' in body


def test_offsite_next_is_ignored(client, conflict):
    response = client.post(follow_url("category", conflict), {"next": "https://evil.example.com/"})
    assert response.status_code == 302
    assert response["Location"] == conflict.get_absolute_url()
    assert stored_follows() == {(visitor_profile(client).pk, "follow", "category", conflict.pk)}


def test_follow_topic_and_source(client):
    topic = TopicFactory(name="Gaza")
    source = SourceFactory(name="Evening Post")
    client.post(follow_url("topic", topic), **HTMX)
    client.post(follow_url("source", source), **HTMX)
    profile = visitor_profile(client).pk
    assert stored_follows() == {(profile, "follow", "topic", topic.pk), (profile, "follow", "source", source.pk)}


def test_follow_unknown_target_is_404_with_message(client):
    response = client.post(reverse("web:follow", args=["category", 424242]))
    assert response.status_code == 404
    assert "no category" in response.content.decode()
    assert not Follow.objects.exists()


def test_follow_unknown_kind_is_404(client, conflict):
    assert client.post(reverse("web:follow", args=["planet", conflict.pk])).status_code == 404
    assert not Follow.objects.exists()


def test_follow_by_get_is_refused(client, conflict):
    assert client.get(follow_url("category", conflict)).status_code == 405
    assert not Follow.objects.exists()


def test_follow_requires_csrf_token(conflict):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(follow_url("category", conflict)).status_code == 403
    assert not Follow.objects.exists()


def test_button_form_carries_csrf_token_for_no_js_use(conflict):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    page = strict.get(conflict.get_absolute_url()).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = strict.post(follow_url("category", conflict), {"csrfmiddlewaretoken": token, "next": "/"})
    assert response.status_code == 302
    assert stored_follows() == {(visitor_profile(strict).pk, "follow", "category", conflict.pk)}
