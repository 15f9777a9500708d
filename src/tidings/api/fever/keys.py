"""Fever API keys: apps send md5("<username>:<password>"), so each key comes from a generated app password.

The password is random (not the account's), so the md5 the app sends cannot be reversed to anything reused
elsewhere nor guessed. The key is stored as an API token named "Fever client" (only its hash), listed and
revocable like any other.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from typing import Any

from django.db import transaction

from tidings.accounts.models import ApiToken, hash_token
from tidings.accounts.tokens import issue_token_for, user_for_token

log = logging.getLogger(__name__)

FEVER_TOKEN_NAME = "Fever client"  # noqa: S105 (a token's label, not a secret)


def fever_key(username: str, password: str) -> str:
    """What a Fever app sends as api_key."""
    return hashlib.md5(f"{username}:{password}".encode(), usedforsecurity=False).hexdigest()


def issue_fever_password(user: Any) -> str:
    """A new app password for Fever apps (shown once); replaces the user's previous one."""
    password = secrets.token_urlsafe(18)
    key = fever_key(user.get_username(), password)
    with transaction.atomic():
        ApiToken.objects.filter(user=user, name=FEVER_TOKEN_NAME).delete()
        token, _ = issue_token_for(user, FEVER_TOKEN_NAME)
        # The stored hash is of the key the app will send, not of the random token issue_token_for made.
        ApiToken.objects.filter(pk=token.pk).update(key_hash=hash_token(key), prefix=key[:8])
    log.info("fever.password_issued user_id=%s", user.pk)
    return password


def user_for_fever_key(api_key: str) -> Any | None:
    key = api_key.strip().lower()
    if len(key) != 32 or not ApiToken.objects.filter(key_hash=hash_token(key), name=FEVER_TOKEN_NAME).exists():
        return None
    return user_for_token(key)  # active users only; records when the key was last used
