"""Password reset by e-mail: Django's tokens, our pages, and a limit on requests per address and per e-mail."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from freezegun import freeze_time

from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def ask(client: Client, email: str, address: str = "198.51.100.7"):
    return client.post(reverse("accounts:password_reset"), {"email": email}, REMOTE_ADDR=address)


def test_the_sign_in_page_links_to_the_reset():
    assert reverse("accounts:password_reset") in Client().get(reverse("accounts:signin")).content.decode()


def test_a_reset_link_arrives_and_sets_a_new_password(client):
    user = UserFactory(username="ann", email="ann@example.org")
    response = ask(client, "ANN@example.org")
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ann@example.org"]
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert 'for="id_new_password1"' in form_page.content.decode()
    new = "another long passphrase 7"
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302 and done["Location"] == reverse("accounts:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(new)
    assert "This link does not work" in client.get(path, follow=True).content.decode()  # used once


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client):
    response = ask(client, "nobody@example.org")
    assert response.status_code == 302 and mail.outbox == []


def test_requests_for_one_address_are_limited_per_hour(settings):
    settings.PASSWORD_RESETS_PER_HOUR = 3
    UserFactory(username="ann", email="ann@example.org")
    with freeze_time("2026-12-01 10:00"):
        for n in range(3):
            assert ask(Client(), "ann@example.org", address=f"198.51.100.{n + 1}").status_code == 302
        limited = ask(Client(), "ann@example.org", address="198.51.100.99")
        assert limited.status_code == 429 and "Too many reset links" in limited.content.decode()
    assert len(mail.outbox) == 3
    with freeze_time("2026-12-01 11:01"):
        assert ask(Client(), "ann@example.org").status_code == 302
    assert len(mail.outbox) == 4


def test_requests_from_one_client_address_are_limited(settings):
    settings.PASSWORD_RESETS_PER_HOUR = 2
    client = Client()
    with freeze_time("2026-12-01 10:00"):
        assert ask(client, "a@example.org").status_code == 302
        assert ask(client, "b@example.org").status_code == 302
        assert ask(client, "c@example.org").status_code == 429
        assert ask(client, "c@example.org", address="198.51.100.200").status_code == 302
