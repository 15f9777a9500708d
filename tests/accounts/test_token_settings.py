"""API tokens on the settings page and `tidings revoke_api_token`: list, create, revoke, last used."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from tests.accounts.factories import UserFactory
from tidings.accounts.models import ApiToken
from tidings.accounts.tokens import MAX_TOKENS_PER_USER, user_for_token

pytestmark = pytest.mark.django_db

FOLLOWS = "/api/me/follows"


@pytest.fixture
def ada():
    return UserFactory(username="ada")


@pytest.fixture
def signed_in(client, ada):
    client.force_login(ada)
    return client


def bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


def test_settings_page_needs_sign_in(client):
    response = client.get(reverse("accounts:settings"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:signin"))


def test_header_links_to_the_account_page_which_links_to_the_tokens(signed_in):
    assert reverse("account:overview") in signed_in.get(reverse("web:home")).content.decode()
    assert reverse("accounts:settings") in signed_in.get(reverse("account:overview")).content.decode()


def test_settings_page_lists_tokens_without_their_secret(signed_in, ada):
    token, raw = ApiToken.issue(ada, name="laptop")
    body = signed_in.get(reverse("accounts:settings")).content.decode()
    assert "laptop" in body and f"tid_{token.prefix}…" in body and "never used" in body
    assert raw not in body


def test_creating_a_token_shows_it_once_and_it_works(signed_in, client):
    response = signed_in.post(reverse("accounts:create_token"), {"name": "feed reader"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    raw = re.search(r'<code id="new-token">([^<]+)</code>', response.content.decode()).group(1)
    assert ApiToken.objects.get().name == "feed reader"
    assert client.get(FOLLOWS, headers=bearer(raw)).status_code == 200
    assert raw not in signed_in.get(reverse("accounts:settings")).content.decode()


def test_creating_a_token_needs_a_name(signed_in):
    response = signed_in.post(reverse("accounts:create_token"), {"name": ""})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_creating_a_token_needs_post(signed_in):
    assert signed_in.get(reverse("accounts:create_token")).status_code == 405
    assert not ApiToken.objects.exists()


def test_token_count_is_capped(signed_in, ada):
    for n in range(MAX_TOKENS_PER_USER):
        ApiToken.issue(ada, name=f"t{n}")
    response = signed_in.post(reverse("accounts:create_token"), {"name": "one more"})
    assert response.status_code == 400
    assert "revoke one first" in response.content.decode()
    assert ApiToken.objects.count() == MAX_TOKENS_PER_USER


def test_revoked_token_gets_401(signed_in, client, ada):
    token, raw = ApiToken.issue(ada)
    assert client.get(FOLLOWS, headers=bearer(raw)).status_code == 200
    response = signed_in.post(reverse("accounts:revoke_token", args=[token.pk]))
    assert response.status_code == 302
    signed_in.logout()
    response = client.get(FOLLOWS, headers=bearer(raw))
    assert response.status_code == 401
    assert response.json()["detail"].startswith("authentication required")


def test_revoking_needs_csrf(ada):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(ada)
    token, _ = ApiToken.issue(ada)
    assert strict.post(reverse("accounts:revoke_token", args=[token.pk])).status_code == 403
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_cannot_revoke_another_users_token(signed_in):
    other, _ = ApiToken.issue(UserFactory(username="bob"))
    response = signed_in.post(reverse("accounts:revoke_token", args=[other.pk]))
    assert response.status_code == 404
    assert ApiToken.objects.filter(pk=other.pk).exists()


def test_other_users_tokens_are_not_listed(signed_in):
    ApiToken.issue(UserFactory(username="bob"), name="bobs secret script")
    assert "bobs secret script" not in signed_in.get(reverse("accounts:settings")).content.decode()


def test_last_used_is_written_at_most_once_a_minute(ada, django_assert_num_queries):
    token, raw = ApiToken.issue(ada)
    with freeze_time("2026-12-01 10:00:00"):
        user_for_token(raw)
    token.refresh_from_db()
    assert token.last_used_at == datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    with freeze_time("2026-12-01 10:00:59"), django_assert_num_queries(1):  # the lookup only, no write
        user_for_token(raw)
    with freeze_time("2026-12-01 10:01:00"):
        user_for_token(raw)
    token.refresh_from_db()
    assert token.last_used_at == datetime(2026, 12, 1, 10, 1, tzinfo=UTC)


def test_settings_page_shows_last_used(signed_in, ada):
    token, _ = ApiToken.issue(ada)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now() - timedelta(hours=2))
    assert "last used" in signed_in.get(reverse("accounts:settings")).content.decode()


def run_revoke(*args: str) -> str:
    out = StringIO()
    call_command("revoke_api_token", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_command_revokes_one_token(ada):
    _, keep_raw = ApiToken.issue(ada, name="keep")
    gone, gone_raw = ApiToken.issue(ada, name="gone")
    assert run_revoke("ada", str(gone.pk)) == f"Revoked token {gone.pk} (gone) of ada.\n"
    assert user_for_token(gone_raw) is None
    assert user_for_token(keep_raw) == ada


def test_command_revokes_all_tokens(ada):
    ApiToken.issue(ada)
    ApiToken.issue(ada)
    other, _ = ApiToken.issue(UserFactory(username="bob"))
    assert run_revoke("ada", "--all") == "Revoked 2 tokens of ada.\n"
    assert list(ApiToken.objects.all()) == [other]


def test_command_refuses_another_users_token_id(ada):
    other, _ = ApiToken.issue(UserFactory(username="bob"))
    with pytest.raises(CommandError, match=f"ada has no token with id {other.pk}"):
        run_revoke("ada", str(other.pk))
    assert ApiToken.objects.filter(pk=other.pk).exists()


def test_command_without_id_lists_the_tokens(ada):
    token, _ = ApiToken.issue(ada, name="laptop")
    with pytest.raises(CommandError, match=rf"give a token id or --all; ada's tokens:\n{token.pk}  laptop"):
        run_revoke("ada")


def test_command_refuses_id_and_all_together(ada):
    with pytest.raises(CommandError, match="not both"):
        run_revoke("ada", "1", "--all")


def test_command_for_unknown_user_fails_with_message():
    with pytest.raises(CommandError, match="no user called 'nobody'"):
        run_revoke("nobody", "--all")
