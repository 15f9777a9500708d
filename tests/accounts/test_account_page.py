"""The account page: e-mail, password, the sessions a reader is signed in with, and signing them out."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tidings.accounts.models import SignedInSession
from tidings.accounts.sessions import SEEN_RESOLUTION, sessions_of

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.0 Mobile/15E148 Safari/604.1"
)


def signed_in(username: str, agent: str = FIREFOX, address: str = "198.51.100.4") -> Client:
    client = Client(HTTP_USER_AGENT=agent, REMOTE_ADDR=address)
    response = client.post(reverse("accounts:signin"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_account_page_needs_sign_in(client):
    response = client.get(reverse("account:overview"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:signin"))


def test_header_links_to_the_account_page():
    UserFactory(username="ann")
    body = signed_in("ann").get(reverse("web:home")).content.decode()
    assert f'href="{reverse("account:overview")}"' in body


def test_account_page_shows_who_and_links_every_section():
    UserFactory(username="ann", email="ann@example.org")
    body = signed_in("ann").get(reverse("account:overview")).content.decode()
    assert "ann@example.org" in body
    for name in ("account:two_factor", "accounts:settings", "account:data", "accounts:password_reset"):
        assert reverse(name) in body
    for field in ("id_email", "id_old_password", "id_new_password1", "id_new_password2"):
        assert f'for="{field}"' in body


def test_sessions_are_listed_with_device_address_and_this_one_marked():
    UserFactory(username="ann")
    laptop = signed_in("ann")
    signed_in("ann", agent=SAFARI_IPHONE, address="203.0.113.9")
    body = laptop.get(reverse("account:overview")).content.decode()
    assert "Firefox on Linux" in body and "Safari on iOS" in body and "203.0.113.9" in body
    assert body.count("this browser") == 1


def test_revoking_a_session_signs_that_browser_out():
    user = UserFactory(username="ann")
    laptop, phone = signed_in("ann"), signed_in("ann", agent=SAFARI_IPHONE)
    phone_row = SignedInSession.objects.get(session_key=phone.session.session_key)
    response = laptop.post(reverse("account:revoke_session", args=[phone_row.pk]))
    assert response.status_code == 302
    assert phone.get(reverse("account:overview")).status_code == 302  # back to sign-in
    assert laptop.get(reverse("account:overview")).status_code == 200
    assert [s.current for s in sessions_of(user, laptop.session.session_key)] == [True]


def test_a_reader_cannot_revoke_someone_elses_session():
    UserFactory(username="ann")
    UserFactory(username="bob")
    ann, bob = signed_in("ann"), signed_in("bob")
    bobs = SignedInSession.objects.get(session_key=bob.session.session_key)
    assert ann.post(reverse("account:revoke_session", args=[bobs.pk])).status_code == 404
    assert bob.get(reverse("account:overview")).status_code == 200


def test_sign_out_other_sessions_keeps_this_one():
    UserFactory(username="ann")
    UserFactory(username="bob")
    here, there, elsewhere, bob = signed_in("ann"), signed_in("ann"), signed_in("ann"), signed_in("bob")
    here.post(reverse("account:sign_out_others"))
    assert here.get(reverse("account:overview")).status_code == 200
    assert there.get(reverse("account:overview")).status_code == 302
    assert elsewhere.get(reverse("account:overview")).status_code == 302
    assert bob.get(reverse("account:overview")).status_code == 200


def test_sign_out_forgets_the_session():
    UserFactory(username="ann")
    client = signed_in("ann")
    key = client.session.session_key
    client.post(reverse("accounts:signout"))
    assert not SignedInSession.objects.filter(session_key=key).exists()


def test_ended_sessions_drop_off_the_list():
    user = UserFactory(username="ann")
    client = signed_in("ann")
    Session.objects.filter(session_key=client.session.session_key).delete()
    assert sessions_of(user, None) == []
    assert not SignedInSession.objects.filter(user=user).exists()


def test_last_seen_is_written_at_most_every_few_minutes(monkeypatch):
    UserFactory(username="ann")
    client = signed_in("ann")
    row = SignedInSession.objects.get(session_key=client.session.session_key)
    first = row.last_seen_at
    client.get(reverse("account:overview"))
    row.refresh_from_db()
    assert row.last_seen_at == first
    session = client.session
    session["tidings_seen_at"] -= int(SEEN_RESOLUTION.total_seconds()) + 1
    session.save()
    client.get(reverse("account:overview"))
    row.refresh_from_db()
    assert row.last_seen_at > first


def test_change_password_keeps_this_session_and_signs_out_the_others():
    user = UserFactory(username="ann")
    here, there = signed_in("ann"), signed_in("ann")
    new = "a brand new passphrase 42"
    response = here.post(
        reverse("account:change_password"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)
    assert here.get(reverse("account:overview")).status_code == 200
    assert there.get(reverse("account:overview")).status_code == 302


def test_change_password_keeps_this_browser_listed_and_counts_only_the_others():
    """Changing the password gives this browser a new session key: its sign-in record follows the key, so the
    message counts only the other browsers and the list still shows this one."""
    user = UserFactory(username="ann")
    here = signed_in("ann")
    signed_in("ann", agent=SAFARI_IPHONE)
    new = "a brand new passphrase 42"
    response = here.post(
        reverse("account:change_password"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
        follow=True,
    )
    assert "1 other session signed out." in response.content.decode()
    rows = sessions_of(user, here.session.session_key)
    assert [(r.device, r.current) for r in rows] == [("Firefox on Linux", True)]


def test_change_password_with_a_wrong_old_password_shows_the_error():
    UserFactory(username="ann")
    client = signed_in("ann")
    response = client.post(
        reverse("account:change_password"),
        {"old_password": "nope", "new_password1": "x" * 12, "new_password2": "x" * 12},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Your old password was entered incorrectly" in body and 'role="alert"' in body


def test_change_email_needs_the_password_and_tells_the_old_address():
    user = UserFactory(username="ann", email="ann@example.org")
    client = signed_in("ann")
    refused = client.post(reverse("account:change_email"), {"email": "new@example.org", "password": "nope"})
    assert refused.status_code == 400
    client.post(reverse("account:change_email"), {"email": "new@example.org", "password": PASSWORD})
    user.refresh_from_db()
    assert user.email == "new@example.org"
    assert [m.to for m in mail.outbox] == [["ann@example.org"]]
    assert "new@example.org" in mail.outbox[0].body


def test_change_email_refuses_an_address_another_account_has():
    UserFactory(username="bob", email="bob@example.org")
    user = UserFactory(username="ann", email="ann@example.org")
    response = signed_in("ann").post(
        reverse("account:change_email"), {"email": "BOB@example.org", "password": PASSWORD}
    )
    assert response.status_code == 400 and "Another account uses that address." in response.content.decode()
    user.refresh_from_db()
    assert user.email == "ann@example.org"


def test_change_email_says_an_address_is_taken_only_to_the_right_password():
    """An open session without the password cannot test which addresses have accounts."""
    UserFactory(username="bob", email="bob@example.org")
    UserFactory(username="ann", email="ann@example.org")
    client = signed_in("ann")
    for sent in ({"email": "bob@example.org"}, {"email": "bob@example.org", "password": "wrong"}):
        page = client.post(reverse("account:change_email"), sent).content.decode()
        assert "Another account" not in page and "password" in page.lower()
