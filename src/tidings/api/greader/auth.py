"""Google Reader sign-in: ClientLogin issues an API token; requests carry it as `GoogleLogin auth=<token>`.

Writes also carry `T`, an edit token derived from the auth token (so revoking the token revokes both).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Coalesce

from tidings.accounts.models import ApiToken, hash_token
from tidings.accounts.tokens import issue_token_for, user_for_token

log = logging.getLogger(__name__)

TOKEN_NAME = "Google Reader client"  # noqa: S105 (a token's label, not a secret)
# Some apps (newsboat) sign in on every start. A new token revokes the least recently used ones of the same
# app (ClientLogin's `source`) beyond MAX_TOKENS_PER_APP, and of all apps beyond MAX_READER_TOKENS.
MAX_TOKENS_PER_APP = 5
MAX_READER_TOKENS = 20
APP_NAME = re.compile(r"[^A-Za-z0-9 ._-]")


def token_name(source: str) -> str:
    """The token's name: "Google Reader client", with the app that signed in (`newsboat/2.21` → newsboat)."""
    app = APP_NAME.sub("", source.split("/", 1)[0]).strip()[:40]
    return f"{TOKEN_NAME} ({app})" if app else TOKEN_NAME


def auth_token_from_header(header: str) -> str | None:
    """The token in `GoogleLogin auth=<token>` (scheme and key case-insensitive); None for anything else."""
    scheme, _, rest = header.strip().partition(" ")
    if scheme.lower() != "googlelogin":
        return None
    key, _, token = rest.strip().partition("=")
    if key.strip().lower() != "auth" or not token.strip():
        return None
    return token.strip()


def edit_token(raw_auth: str) -> str:
    """The `T` token that goes with an auth token (57 characters, as Google Reader's)."""
    digest = hmac.new(settings.SECRET_KEY.encode(), b"greader-edit:" + hash_token(raw_auth).encode(), hashlib.sha256)
    return digest.hexdigest()[:57]


def edit_token_matches(raw_auth: str, sent: str) -> bool:
    return hmac.compare_digest(edit_token(raw_auth), sent.strip())


def user_for_auth(raw_auth: str) -> Any | None:
    return user_for_token(raw_auth)


def _revoke_beyond(tokens: QuerySet[ApiToken], keep: int) -> int:
    """Delete all but the `keep` most recently used (or made) of `tokens`."""
    stale = list(
        tokens.order_by(Coalesce("last_used_at", "created_at").desc(), "-pk").values_list("pk", flat=True)[keep:]
    )
    if stale:
        ApiToken.objects.filter(pk__in=stale).delete()
    return len(stale)


def issue_reader_token(user: Any, source: str = "") -> str:
    """A new Google Reader token for the user; InvalidInput when they hold the most tokens allowed."""
    name = token_name(source)
    with transaction.atomic():
        mine = ApiToken.objects.filter(user=user, name__startswith=TOKEN_NAME)
        revoked = _revoke_beyond(mine.filter(name=name), MAX_TOKENS_PER_APP - 1)
        revoked += _revoke_beyond(mine, MAX_READER_TOKENS - 1)
        if revoked:
            log.info("greader.tokens_revoked user_id=%s count=%s", user.pk, revoked)
        _, raw = issue_token_for(user, name)
    return raw
