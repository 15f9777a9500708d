"""Sign-in throttling: wrong passwords lock an address (and, at a higher count, an account) for a while."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from freezegun import freeze_time

from tests.accounts.factories import UserFactory
from tidings.accounts.throttle import client_address, lockout_message, lockout_response, scaled_failures

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def sign_in(client: Client, username: str, password: str, address: str = "203.0.113.7", **extra: str):
    return client.post(
        reverse("accounts:signin"), {"username": username, "password": password}, REMOTE_ADDR=address, **extra
    )


def fail(client: Client, username: str, times: int, address: str = "203.0.113.7") -> None:
    for _ in range(times):
        sign_in(client, username, "wrong password", address)


@pytest.fixture
def alice():
    return UserFactory(username="alice")


def test_right_password_after_thirty_wrong_ones_is_refused(client, alice, settings):
    settings.SIGNIN_MAX_FAILURES = 10
    settings.SIGNIN_LOCKOUT_MINUTES = 15
    fail(client, "alice", 30)
    response = sign_in(client, "alice", PASSWORD)
    assert response.status_code == 429
    assert "Too many failed sign-in attempts; try again in 15 minutes" in response.content.decode()
    assert response["Retry-After"] == str(15 * 60)
    assert "_auth_user_id" not in client.session


def test_wrong_passwords_below_the_limit_are_answered_normally(client, alice, settings):
    settings.SIGNIN_MAX_FAILURES = 10
    fail(client, "alice", 9)
    assert sign_in(client, "alice", PASSWORD).status_code == 302


def test_tenth_failure_already_answers_with_the_lockout_page(client, alice, settings):
    settings.SIGNIN_MAX_FAILURES = 10
    fail(client, "alice", 9)
    response = sign_in(client, "alice", "wrong password")
    assert response.status_code == 429


def test_lock_ends_after_the_cool_off(client, alice, settings):
    settings.SIGNIN_MAX_FAILURES = 10
    settings.SIGNIN_LOCKOUT_MINUTES = 15
    with freeze_time() as frozen:
        fail(client, "alice", 30)
        frozen.tick(timedelta(minutes=14))
        response = sign_in(client, "alice", PASSWORD)
        assert response.status_code == 429
        assert "try again in 1 minute." in response.content.decode()
        frozen.tick(timedelta(minutes=1, seconds=1))
        assert sign_in(client, "alice", PASSWORD).status_code == 302


def test_locked_address_also_refuses_another_account(client, alice, settings):
    settings.SIGNIN_MAX_FAILURES = 10
    UserFactory(username="bob")
    fail(client, "alice", 10)
    assert sign_in(client, "bob", PASSWORD).status_code == 429


def test_guessing_many_accounts_from_one_address_is_stopped(client, settings):
    settings.SIGNIN_MAX_FAILURES = 10
    for n in range(10):
        sign_in(client, f"user{n}", "wrong password")
    UserFactory(username="carol")
    assert sign_in(client, "carol", PASSWORD).status_code == 429


def test_other_address_can_still_sign_in_to_the_account(client, alice, settings):
    settings.SIGNIN_MAX_FAILURES = 10
    settings.SIGNIN_MAX_ACCOUNT_FAILURES = 50
    fail(client, "alice", 30, address="203.0.113.7")
    assert sign_in(Client(), "alice", PASSWORD, address="198.51.100.2").status_code == 302


def test_account_is_locked_after_its_own_limit_from_many_addresses(client, alice, settings):
    settings.SIGNIN_MAX_FAILURES = 10
    settings.SIGNIN_MAX_ACCOUNT_FAILURES = 20
    for n in range(4):
        fail(client, "alice", 5, address=f"198.51.100.{n + 1}")
    response = sign_in(Client(), "alice", PASSWORD, address="192.0.2.99")
    assert response.status_code == 429


def test_success_resets_the_count(client, alice, settings):
    settings.SIGNIN_MAX_FAILURES = 10
    fail(client, "alice", 9)
    assert sign_in(client, "alice", PASSWORD).status_code == 302
    fail(Client(), "alice", 9)
    assert sign_in(Client(), "alice", PASSWORD).status_code == 302


def test_own_success_does_not_reset_failures_against_other_accounts(client, alice, settings):
    settings.SIGNIN_MAX_FAILURES = 10
    UserFactory(username="mallory")
    fail(client, "alice", 9)
    assert sign_in(Client(), "mallory", PASSWORD).status_code == 302
    assert sign_in(Client(), "alice", "wrong password").status_code == 429


def test_admin_sign_in_is_throttled_too(client, settings):
    settings.SIGNIN_MAX_FAILURES = 10
    UserFactory(username="root", is_staff=True, is_superuser=True)
    url = reverse("admin:login")
    for _ in range(30):
        client.post(url, {"username": "root", "password": "wrong password"}, REMOTE_ADDR="203.0.113.7")
    response = client.post(url, {"username": "root", "password": PASSWORD}, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_forwarded_address_is_ignored_unless_trusted(client, alice, settings):
    settings.SIGNIN_MAX_FAILURES = 10
    settings.TRUST_X_FORWARDED_FOR = False
    for n in range(10):
        sign_in(client, "alice", "wrong password", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert sign_in(client, "alice", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.200").status_code == 429


def test_forwarded_address_counts_when_trusted(client, alice, settings):
    settings.SIGNIN_MAX_FAILURES = 10
    settings.TRUST_X_FORWARDED_FOR = True
    fail_headers = {"HTTP_X_FORWARDED_FOR": "10.9.9.9, 192.0.2.1"}
    for _ in range(10):
        sign_in(client, "alice", "wrong password", address="127.0.0.1", **fail_headers)
    # Same proxy, another client behind it: not locked.
    other = sign_in(Client(), "alice", PASSWORD, address="127.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.2")
    assert other.status_code == 302


def test_client_address_takes_the_right_most_forwarded_entry(rf, settings):
    settings.TRUST_X_FORWARDED_FOR = True
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.1")
    assert client_address(request) == "192.0.2.1"


def test_client_address_refuses_garbage(rf, settings):
    settings.TRUST_X_FORWARDED_FOR = True
    assert client_address(rf.get("/", HTTP_X_FORWARDED_FOR="not-an-address", REMOTE_ADDR="127.0.0.1")) is None


def test_account_failures_trip_at_their_own_limit():
    assert scaled_failures(0, 49, 10, 50) < 10
    assert scaled_failures(0, 50, 10, 50) >= 10
    assert scaled_failures(10, 0, 10, 50) == 10


def test_lockout_message_says_minutes():
    assert lockout_message(1) == "Too many failed sign-in attempts; try again in 1 minute."
    assert lockout_message(15) == "Too many failed sign-in attempts; try again in 15 minutes."


def test_lockout_answer_under_the_api_is_json(rf, settings):
    settings.SIGNIN_LOCKOUT_MINUTES = 15
    request = rf.post("/api/anything", REMOTE_ADDR="203.0.113.7")
    request.axes_ip_address = "203.0.113.7"
    response = lockout_response(request, None, {"username": "alice"})
    assert response.status_code == 429
    assert json.loads(response.content) == {"detail": "Too many failed sign-in attempts; try again in 15 minutes."}
