"""Production settings: HTTPS hardening passes `check --deploy`, the secret key file is private, password rules."""

from __future__ import annotations

import os
import secrets
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent.parent


def run_tidings(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    # A production process's environment: no TIDINGS_* or DJANGO_* variable of the test process
    # (e.g. DJANGO_ALLOW_ASYNC_UNSAFE, which fails `check --deploy`).
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TIDINGS_", "DJANGO_"))}
    clean.update({"TIDINGS_VAR_DIR": str(tmp_path / "var"), **env})
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args], env=clean, capture_output=True, text=True, timeout=120
    )


def production_env() -> dict[str, str]:
    return {
        "TIDINGS_DEBUG": "0",
        "TIDINGS_HTTPS": "1",
        "TIDINGS_SECRET_KEY": secrets.token_urlsafe(50),
        "TIDINGS_ALLOWED_HOSTS": "news.example.org",
    }


def test_deploy_check_reports_no_issues_with_https(tmp_path):
    result = run_tidings(["check", "--deploy", "--fail-level", "WARNING"], tmp_path, **production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_deploy_check_warns_without_https(tmp_path):
    env = {**production_env(), "TIDINGS_HTTPS": "0"}
    result = run_tidings(["check", "--deploy", "--fail-level", "WARNING"], tmp_path, **env)
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout  # no HSTS


def test_https_setting_turns_on_secure_cookies_and_redirect(tmp_path):
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER, s.SESSION_COOKIE_AGE)"
    )
    result = run_tidings(["shell", "--no-imports", "-c", code], tmp_path, **production_env(), TIDINGS_SESSION_DAYS="3")
    assert result.stdout.split("\n")[0] == (
        f"True True True 31536000 ('HTTP_X_FORWARDED_PROTO', 'https') {3 * 24 * 3600}"
    ), result.stderr


def test_session_lifetime_defaults_to_two_weeks(tmp_path):
    code = "from django.conf import settings; print(settings.SESSION_COOKIE_AGE)"
    result = run_tidings(["shell", "--no-imports", "-c", code], tmp_path)
    assert result.stdout.strip() == str(14 * 24 * 3600), result.stderr


def test_generated_secret_key_file_is_owner_only(tmp_path):
    result = run_tidings(["check"], tmp_path, TIDINGS_SECRET_KEY="")
    assert result.returncode == 0, result.stderr
    key_file = tmp_path / "var" / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(key_file.read_text()) == 50


def test_existing_secret_key_file_is_reused(tmp_path):
    (tmp_path / "var").mkdir()
    key_file = tmp_path / "var" / "secret_key"
    key_file.write_text("k" * 50)
    key_file.chmod(0o644)
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    result = run_tidings(["shell", "--no-imports", "-c", code], tmp_path)
    assert result.stdout.strip() == "k" * 50, result.stderr
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600  # an older, readable key file is made owner-only


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "message"),
    [("1234567890123", "entirely numeric"), ("short", "at least 10 characters"), ("Reporter42", None)],
)
def test_signup_refuses_weak_passwords(client, password, message):
    response = client.post(
        reverse("accounts:signup"), {"username": "newreader", "password1": password, "password2": password}
    )
    created = get_user_model().objects.filter(username="newreader").exists()
    if message is None:
        assert response.status_code == 302
        assert created
    else:
        assert response.status_code == 400
        assert message in response.content.decode()
        assert not created
