"""TIDINGS_SIGNUP: open lets anyone create an account; closed leaves account creation to staff."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

import tidings.settings

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
SIGN_UP_BUTTON = 'class="btn btn-primary" href="/accounts/signup/'


def test_open_signup_shows_the_button_and_creates_accounts(client, settings):
    settings.SIGNUP = "open"
    assert SIGN_UP_BUTTON in client.get(reverse("web:home")).content.decode()
    response = client.post(
        reverse("accounts:signup"), {"username": "new", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302 and get_user_model().objects.filter(username="new").exists()


def test_closed_signup_page_says_so_with_403(client, settings):
    settings.SIGNUP = "closed"
    response = client.get(reverse("accounts:signup"))
    assert response.status_code == 403
    body = response.content.decode()
    assert "Sign-up is closed on this server: accounts are created by its staff." in body
    assert 'name="password1"' not in body


def test_closed_signup_post_creates_nothing(client, settings):
    settings.SIGNUP = "closed"
    response = client.post(
        reverse("accounts:signup"), {"username": "new", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 403
    assert not get_user_model().objects.exists()


def test_closed_signup_hides_the_button_and_the_sign_in_pages_link(client, settings):
    settings.SIGNUP = "closed"
    home = client.get(reverse("web:home")).content.decode()
    assert SIGN_UP_BUTTON not in home and "Sign in" in home
    assert "Create an account" not in client.get(reverse("accounts:signin")).content.decode()


def run_settings(monkeypatch, tmp_path: Path, **env: str) -> dict[str, object]:
    monkeypatch.setenv("TIDINGS_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("TIDINGS_SECRET_KEY", "test")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(tidings.settings.__file__)


def test_signup_setting_defaults_to_open_and_reads_closed(monkeypatch, tmp_path):
    monkeypatch.delenv("TIDINGS_SIGNUP", raising=False)
    assert run_settings(monkeypatch, tmp_path)["SIGNUP"] == "open"
    assert run_settings(monkeypatch, tmp_path, TIDINGS_SIGNUP="Closed")["SIGNUP"] == "closed"


def test_unknown_signup_value_is_improperly_configured(monkeypatch, tmp_path):
    with pytest.raises(ImproperlyConfigured, match=r"TIDINGS_SIGNUP='invite': use open .* or closed"):
        run_settings(monkeypatch, tmp_path, TIDINGS_SIGNUP="invite")


def test_negative_source_limit_is_improperly_configured(monkeypatch, tmp_path):
    with pytest.raises(ImproperlyConfigured, match="TIDINGS_MAX_SOURCES_PER_READER=-1: use 0 or more"):
        run_settings(monkeypatch, tmp_path, TIDINGS_MAX_SOURCES_PER_READER="-1")


def test_source_limit_defaults_to_200(monkeypatch, tmp_path):
    monkeypatch.delenv("TIDINGS_MAX_SOURCES_PER_READER", raising=False)
    assert run_settings(monkeypatch, tmp_path)["MAX_SOURCES_PER_READER"] == 200
