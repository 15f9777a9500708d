"""GET /api/me/export and DELETE /api/me: password, or token plus an explicit confirmation."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model

from tests.accounts.factories import UserFactory
from tests.accounts.personal_rows import fill_account
from tidings.accounts.models import ApiToken
from tidings.personalization.models import Follow

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def bearer(user):
    _, raw = ApiToken.issue(user)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def delete(client, body, **headers):
    return client.delete("/api/me", data=json.dumps(body), content_type="application/json", **headers)


def test_export_needs_credentials(client):
    assert client.get("/api/me/export").status_code == 401


def test_export_with_a_token_returns_the_document():
    from django.test import Client

    user = UserFactory()
    fill_account(user, "a")
    response = Client().get("/api/me/export", **bearer(user))
    assert response.status_code == 200
    document = response.json()
    assert document["format"] == "tidings-personal-data"
    assert document["account"]["username"] == user.username
    assert {f["action"] for f in document["follows"]} == {"follow", "mute"}


def test_delete_with_a_token_needs_the_username_as_confirmation(client):
    user, other = UserFactory(), UserFactory()
    fill_account(user, "a")
    fill_account(other, "b")
    headers = bearer(user)
    refused = delete(client, {}, **headers)
    assert refused.status_code == 400 and "confirm" in refused.json()["detail"]
    assert delete(client, {"confirm": other.username}, **headers).status_code == 400
    assert get_user_model().objects.filter(pk=user.pk).exists()
    assert delete(client, {"confirm": user.username}, **headers).status_code == 204
    assert not get_user_model().objects.filter(pk=user.pk).exists()
    assert Follow.objects.filter(profile__user=other).count() == 2
    assert client.get("/api/me/export", **headers).status_code == 401  # the token went with the account


def test_delete_with_a_wrong_password_is_refused(client):
    user = UserFactory()
    response = delete(client, {"password": "not it"}, **bearer(user))
    assert response.status_code == 403
    assert get_user_model().objects.filter(pk=user.pk).exists()


def test_delete_in_a_browser_session_needs_the_password(client):
    user = UserFactory()
    client.force_login(user)
    csrf_client = client  # the test client skips CSRF checks; the rule tested here is the password
    assert delete(csrf_client, {"confirm": user.username}).status_code == 400
    assert delete(csrf_client, {"password": PASSWORD}).status_code == 204
    assert not get_user_model().objects.filter(pk=user.pk).exists()
