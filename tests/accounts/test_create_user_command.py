"""`tidings create_user`: staff create accounts when sign-up is closed."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from tidings.sources.access import reader_for

pytestmark = pytest.mark.django_db


def create(monkeypatch, *args: str, password: str = "correct horse battery staple") -> str:
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    out = io.StringIO()
    call_command("create_user", *args, stdout=out)
    return out.getvalue()


def test_creates_a_plain_reader_who_can_sign_in(monkeypatch, client):
    assert create(monkeypatch, "ada") == "Created the account 'ada'.\n"
    user = get_user_model().objects.get(username="ada")
    assert not reader_for(user).is_editor
    # Signs in through the real sign-in page (axes needs the request, so client.login() cannot be used).
    response = client.post(reverse("accounts:signin"), {"username": "ada", "password": "correct horse battery staple"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_editor_flag_makes_an_editor(monkeypatch):
    create(monkeypatch, "ed", "--editor")
    assert reader_for(get_user_model().objects.get(username="ed")).is_editor


def test_weak_password_is_refused_and_nothing_created(monkeypatch):
    with pytest.raises(CommandError, match="the password was refused: This password is too short"):
        create(monkeypatch, "weak", password="abc")
    assert not get_user_model().objects.exists()


def test_existing_username_is_refused(monkeypatch):
    create(monkeypatch, "ada")
    with pytest.raises(CommandError, match="an account named 'ada' already exists"):
        create(monkeypatch, "ada")
