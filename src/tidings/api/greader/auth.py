"""Google Reader sign-in: ClientLogin issues an API token; requests carry it as `GoogleLogin auth=<token>`.

Writes also carry `T`, an edit token derived from the auth token (so revoking the token revokes both).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models.functions import Coalesce

from tidings.accounts.models import ApiToken, hash_token
from tidings.accounts.tokens import issue_token_for, user_for_token

log = logging.getLogger(__name__)

TOKEN_NAME = "Google Reader client"  # noqa: S105 (a token's label, not a secret)
# Some apps (newsboat) sign in on every start; beyond this many Google Reader tokens, the least recently
# used one is revoked when a new one is issued.
MAX_READER_TOKENS = 10


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


def issue_reader_token(user: Any) -> str:
    """A new Google Reader token for the user, revoking their least recently used ones beyond the cap."""
    with transaction.atomic():
        mine = ApiToken.objects.filter(user=user, name=TOKEN_NAME)
        stale = list(
            mine.order_by(Coalesce("last_used_at", "created_at").desc(), "-pk").values_list("pk", flat=True)[
                MAX_READER_TOKENS - 1 :
            ]
        )
        if stale:
            ApiToken.objects.filter(pk__in=stale).delete()
            log.info("greader.tokens_revoked user_id=%s count=%s", user.pk, len(stale))
        _, raw = issue_token_for(user, TOKEN_NAME)
    return raw
