"""ClientLogin, the auth header and the edit token: who may use the Google Reader API."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import resolve

from tests.accounts.factories import UserFactory
from tests.api.greader.conftest import PASSWORD, sign_in
from tidings.accounts.models import ApiToken
from tidings.accounts.tokens import revoke_token, tokens_of
from tidings.api.greader.auth import (
    MAX_READER_TOKENS,
    MAX_TOKENS_PER_APP,
    TOKEN_NAME,
    auth_token_from_header,
    edit_token,
    token_name,
)

pytestmark = pytest.mark.django_db


def login(client: Client, email: str, password: str, **extra: str):
    return client.post(
        "/accounts/ClientLogin", {"Email": email, "Passwd": password, **extra}, REMOTE_ADDR="203.0.113.9"
    )


def test_client_login_answers_sid_lsid_and_auth_lines():
    UserFactory(username="alice")
    response = login(Client(), "alice", PASSWORD)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = dict(line.split("=", 1) for line in response.content.decode().splitlines())
    assert set(lines) == {"SID", "LSID", "Auth"}
    assert lines["Auth"].startswith("tid_")


def test_client_login_token_is_a_listed_revocable_api_token():
    alice = sign_in("alice")
    [token] = tokens_of(alice.user)
    assert token.name == TOKEN_NAME
    assert alice.get("/reader/api/0/user-info").status_code == 200
    revoke_token(alice.user, token.pk)
    assert alice.get("/reader/api/0/user-info").status_code == 401


def test_client_login_by_email_address_and_as_json():
    UserFactory(username="alice", email="Alice@Example.org")
    response = login(Client(), "alice@example.org", PASSWORD, output="json")
    assert response.status_code == 200
    assert response.json()["Auth"].startswith("tid_")


def test_client_login_by_get_as_old_clients_do():
    UserFactory(username="alice")
    response = Client().get("/accounts/ClientLogin", {"Email": "alice", "Passwd": PASSWORD})
    assert response.status_code == 200
    assert b"Auth=tid_" in response.content


@pytest.mark.parametrize(("email", "password"), [("alice", "wrong"), ("nobody", PASSWORD), ("alice", ""), ("", "")])
def test_wrong_or_missing_credentials_are_bad_authentication(email, password):
    UserFactory(username="alice")
    response = login(Client(), email, password)
    assert response.status_code == 401
    assert response.content.startswith(b"Error=BadAuthentication")
    assert not ApiToken.objects.exists()


def test_inactive_user_cannot_log_in():
    UserFactory(username="alice", is_active=False)
    assert login(Client(), "alice", PASSWORD).status_code == 401


def test_client_login_is_throttled_like_the_sign_in_page(settings):
    settings.SIGNIN_MAX_FAILURES = 3
    settings.SIGNIN_LOCKOUT_MINUTES = 15
    UserFactory(username="alice")
    client = Client()
    statuses = [login(client, "alice", "wrong").status_code for _ in range(3)]
    assert statuses == [401, 401, 429]
    locked = login(client, "alice", PASSWORD)
    assert locked.status_code == 429
    assert locked["Retry-After"] == str(15 * 60)
    assert b"Too many failed sign-in attempts" in locked.content
    assert not ApiToken.objects.exists()


def test_an_app_logging_in_again_and_again_keeps_a_bounded_number_of_tokens():
    alice = sign_in("alice")
    for _ in range(MAX_TOKENS_PER_APP + 5):
        assert login(alice.client, "alice", PASSWORD, source="newsboat/2.21").status_code == 200
    assert ApiToken.objects.filter(user=alice.user, name=f"{TOKEN_NAME} (newsboat)").count() == MAX_TOKENS_PER_APP
    assert ApiToken.objects.filter(user=alice.user, name=TOKEN_NAME).count() == 1


def test_another_apps_token_survives_an_app_that_logs_in_on_every_start():
    alice = sign_in("alice")
    for _ in range(MAX_TOKENS_PER_APP * 3):
        login(alice.client, "alice", PASSWORD, source="newsboat/2.21")
    assert alice.get("/reader/api/0/user-info").status_code == 200


def test_all_apps_together_keep_a_bounded_number_of_tokens():
    alice = sign_in("alice")
    for n in range(MAX_READER_TOKENS + 3):
        login(alice.client, "alice", PASSWORD, source=f"app{n}")
    assert ApiToken.objects.filter(user=alice.user, name__startswith=TOKEN_NAME).count() == MAX_READER_TOKENS


def test_token_names_say_which_app_logged_in():
    assert token_name("newsboat/2.21") == "Google Reader client (newsboat)"
    assert token_name("") == "Google Reader client"
    assert token_name("<script>/x") == "Google Reader client (script)"


@pytest.mark.parametrize(
    "header",
    ["", "Bearer {auth}", "GoogleLogin {auth}", "GoogleLogin auth=", "GoogleLogin auth=tid_nope", "GoogleLogin"],
)
def test_api_without_a_good_googlelogin_header_is_unauthorized(header):
    alice = sign_in("alice")
    response = alice.client.get(
        "/reader/api/0/subscription/list", headers={"Authorization": header.format(auth=alice.auth)}
    )
    assert response.status_code == 401
    assert response.content == b"Unauthorized"


def test_header_parsing_accepts_any_case_of_the_scheme():
    assert auth_token_from_header("googlelogin AUTH=abc") == "abc"
    assert auth_token_from_header("GoogleLogin auth=abc=def") == "abc=def"
    assert auth_token_from_header("Basic abc") is None


def test_token_endpoint_gives_the_edit_token_for_this_auth():
    alice = sign_in("alice")
    response = alice.get("/reader/api/0/token")
    assert response.status_code == 200
    assert response.content.decode() == edit_token(alice.auth)
    assert len(response.content) == 57


def test_writes_need_the_edit_token_of_the_same_auth():
    alice, bob = sign_in("alice"), sign_in("bob")
    data = {"i": "1", "a": "user/-/state/com.google/read"}
    missing = alice.post("/reader/api/0/edit-tag", data, with_token=False)
    assert missing.status_code == 401
    assert missing["X-Reader-Google-Bad-Token"] == "true"
    wrong = alice.post("/reader/api/0/edit-tag", {**data, "T": edit_token(bob.auth)}, with_token=False)
    assert wrong.status_code == 401
    assert alice.post("/reader/api/0/edit-tag", data).status_code == 200


def test_writes_are_posts_and_need_no_csrf_cookie():
    alice = sign_in("alice")
    assert alice.get("/reader/api/0/edit-tag", {"i": "1"}).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        "/reader/api/0/edit-tag",
        {"i": "1", "a": "user/-/state/com.google/read", "T": edit_token(alice.auth)},
        headers=alice.headers,
    )
    assert response.status_code == 200


def test_user_info_names_the_user():
    alice = sign_in("alice")
    info = alice.get("/reader/api/0/user-info").json()
    assert info["userName"] == "alice"
    assert info["userId"] == str(alice.user.pk)


@pytest.mark.parametrize(
    "path",
    ["//accounts/ClientLogin", "//reader/api/0/token", "//reader/atom/feed/3", "/reader/api/0/stream/contents/feed/3"],
)
def test_paths_resolve_when_a_client_joins_the_site_root_with_an_extra_slash(path):
    assert resolve(path).url_name.startswith("greader_")


def test_client_login_needs_no_csrf_cookie():
    UserFactory(username="alice")
    response = Client(enforce_csrf_checks=True).post("/accounts/ClientLogin", {"Email": "alice", "Passwd": PASSWORD})
    assert response.status_code == 200
