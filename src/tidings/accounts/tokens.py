"""API tokens: issue, list and revoke a user's tokens, and find the user behind a raw token."""

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
MAX_TOKENS_PER_USER = 50


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
    user = user_called(username)
    token, raw = ApiToken.issue(user, name=name)
    log.info("api_token.issued user_id=%s token_id=%s", user.pk, token.pk)
    return token, raw


def tokens_of(user: Any) -> list[ApiToken]:
    """The user's tokens, newest first."""
    return list(ApiToken.objects.filter(user=user).order_by("-created_at", "-pk"))


def issue_token_for(user: Any, name: str) -> tuple[ApiToken, str]:
    """A new token for a signed-in user; InvalidInput when they already have the most allowed."""
    if ApiToken.objects.filter(user=user).count() >= MAX_TOKENS_PER_USER:
        raise InvalidInput(f"you already have {MAX_TOKENS_PER_USER} tokens; revoke one first")
    token, raw = ApiToken.issue(user, name=name.strip() or "API client")
    log.info("api_token.issued user_id=%s token_id=%s", user.pk, token.pk)
    return token, raw


def revoke_token(user: Any, token_id: int) -> ApiToken:
    """Delete one of the user's own tokens; InvalidInput when the user has no token with that id."""
    token = ApiToken.objects.filter(user=user, pk=token_id).first()
    if token is None:
        raise InvalidInput(f"{user.get_username()} has no token with id {token_id}")
    token.delete()
    log.info("api_token.revoked user_id=%s token_id=%s", user.pk, token_id)
    return token


def revoke_all_tokens(user: Any) -> int:
    """Delete every token of the user; returns how many there were."""
    count, _ = ApiToken.objects.filter(user=user).delete()
    log.info("api_token.revoked_all user_id=%s count=%s", user.pk, count)
    return count


def user_called(username: str) -> Any:
    """The user called `username`; InvalidInput when there is none."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise InvalidInput(f"no user called {username!r}")
    return user


def describe_token(token: ApiToken) -> str:
    """One line for a person: id, name, prefix, created and last used."""
    last = token.last_used_at.strftime("%Y-%m-%d %H:%M UTC") if token.last_used_at else "never"
    created = token.created_at.strftime("%Y-%m-%d %H:%M UTC")
    return f"{token.pk}  {token.name} (tid_{token.prefix}…)  created {created}  last used {last}"
