"""API tokens: issue one for a user, and find the user behind a raw token."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from tidings.accounts.models import ApiToken, hash_token
from tidings.lib.errors import InvalidInput

log = logging.getLogger(__name__)

# last_used_at is written at most this often per token, so reads do not turn into writes.
LAST_USED_RESOLUTION = timedelta(minutes=1)
MAX_TOKEN_LENGTH = 200


def user_for_token(raw: str) -> Any | None:
    """The active user owning `raw`, or None; records when the token was last used."""
    raw = raw.strip()
    if not raw or len(raw) > MAX_TOKEN_LENGTH:
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_token(raw)).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def issue_token(username: str, name: str = "API client") -> tuple[ApiToken, str]:
    """A new token for the user called `username`; InvalidInput when there is no such user."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise InvalidInput(f"no user called {username!r}")
    token, raw = ApiToken.issue(user, name=name)
    log.info("api_token.issued user_id=%s token_id=%s", user.pk, token.pk)
    return token, raw
