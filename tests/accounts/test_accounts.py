"""Sign up, sign in, sign out; anonymous follows move into the account."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.taxonomy.factories import CategoryFactory
from tidings.personalization.models import Follow, Profile

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture
def conflict():
    return CategoryFactory(name="conflict, war and peace", slug="conflict-war-and-peace")


def follow_anonymously(client, target):
    client.post(reverse("web:follow", args=["category", target.pk]))


def test_signup_page_renders_form(client):
    body = client.get(reverse("accounts:signup")).content.decode()
    assert 'name="username"' in body and 'name="password2"' in body


def test_signup_creates_account_and_signs_in(client):
    response = client.post(
        reverse("accounts:signup"), {"username": "newreader", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("web:my_news")
    user = get_user_model().objects.get(username="newreader")
    assert user.check_password(PASSWORD)
    assert client.session["_auth_user_id"] == str(user.pk)
    assert "newreader" in client.get(reverse("web:home")).content.decode()


def test_signup_keeps_an_optional_email_for_password_reset(client):
    url = reverse("accounts:signup")
    assert 'name="email"' in client.get(url).content.decode()
    fields = {"password1": PASSWORD, "password2": PASSWORD}
    assert client.post(url, {"username": "mailer", "email": "Mailer@Example.org", **fields}).status_code == 302
    assert get_user_model().objects.get(username="mailer").email == "Mailer@example.org"  # domain lower-cased
    client.logout()
    taken = client.post(url, {"username": "copycat", "email": "mailer@example.org", **fields})
    assert taken.status_code == 400 and "Another account uses that address." in taken.content.decode()
    assert not get_user_model().objects.filter(username="copycat").exists()
    client.post(url, {"username": "nomail", "email": "", **fields})
    assert get_user_model().objects.get(username="nomail").email == ""


def test_signup_with_mismatched_passwords_shows_error(client):
    response = client.post(
        reverse("accounts:signup"), {"username": "newreader", "password1": PASSWORD, "password2": "other words"}
    )
    assert response.status_code == 400
    assert "password fields didn" in response.content.decode()
    assert not get_user_model().objects.filter(username="newreader").exists()
    assert "_auth_user_id" not in client.session


def test_anonymous_follows_merged_on_signup(client, conflict):
    follow_anonymously(client, conflict)
    client.post(reverse("accounts:signup"), {"username": "newreader", "password1": PASSWORD, "password2": PASSWORD})
    profile = Profile.objects.get(user__username="newreader")
    assert Follow.objects.filter(profile=profile, category=conflict, action="follow").exists()
    assert not Profile.objects.filter(user__isnull=True).exists()


def test_anonymous_follows_merged_on_signin(client, conflict):
    UserFactory(username="reader")
    follow_anonymously(client, conflict)
    response = client.post(reverse("accounts:signin"), {"username": "reader", "password": PASSWORD})
    assert response.status_code == 302
    assert list(Follow.objects.values_list("profile__user__username", "action", "category_id")) == [
        ("reader", "follow", conflict.pk)
    ]
    body = client.get(reverse("web:my_news")).content.decode()
    assert 'aria-label="Unfollow conflict, war and peace"' in body


def test_signin_keeps_account_choice_over_anonymous_one(client, conflict):
    user = UserFactory(username="reader")
    from tidings.personalization.services import profile_for_user, set_follow

    set_follow(profile_for_user(user), conflict, "mute")
    follow_anonymously(client, conflict)
    client.post(reverse("accounts:signin"), {"username": "reader", "password": PASSWORD})
    assert Follow.objects.get(profile__user=user, category=conflict).action == "mute"


def test_signin_with_wrong_password_shows_error(client):
    UserFactory(username="reader")
    response = client.post(reverse("accounts:signin"), {"username": "reader", "password": "nope"})
    assert response.status_code == 400
    assert "correct username and password" in response.content.decode()


def test_signin_redirects_to_safe_next_only(client):
    user = UserFactory(username="reader")
    response = client.post(
        reverse("accounts:signin"), {"username": "reader", "password": PASSWORD, "next": "https://evil.example.com/"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("web:my_news")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_signout_by_post(client):
    user = UserFactory(username="reader")
    client.force_login(user)
    response = client.post(reverse("accounts:signout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert "Sign in" in client.get(reverse("web:home")).content.decode()


def test_signout_by_get_is_refused(client):
    client.force_login(UserFactory(username="reader"))
    assert client.get(reverse("accounts:signout")).status_code == 405
