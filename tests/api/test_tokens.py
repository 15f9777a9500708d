"""`tidings create_api_token USERNAME` and the token lookup behind bearer auth."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.accounts.factories import UserFactory
from tidings.accounts.models import ApiToken, hash_token
from tidings.accounts.tokens import user_for_token

pytestmark = pytest.mark.django_db


def test_command_prints_a_token_that_authenticates():
    user = UserFactory(username="ada")
    out = StringIO()
    call_command("create_api_token", "ada", stdout=out, stderr=StringIO())
    raw = out.getvalue().strip()
    assert user_for_token(raw) == user


def test_command_stores_only_the_hash():
    UserFactory(username="ada")
    out = StringIO()
    call_command("create_api_token", "ada", "--name", "laptop", stdout=out, stderr=StringIO())
    token = ApiToken.objects.get()
    assert token.key_hash == hash_token(out.getvalue().strip())
    assert token.name == "laptop"


def test_command_for_unknown_user_fails_with_message():
    with pytest.raises(CommandError, match="no user called 'nobody'"):
        call_command("create_api_token", "nobody", stdout=StringIO(), stderr=StringIO())


def test_overlong_token_is_rejected_without_lookup(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert user_for_token("x" * 5000) is None
