"""API authentication: bearer tokens for programs, the Django session for the browser."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, django_auth

from tidings.accounts.tokens import user_for_token


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>` with a token from `tidings create_api_token`."""

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


token_auth = TokenAuth()
# Tried in order: a bearer token, then the browser's signed-in session (which also checks CSRF on writes).
user_auth = [token_auth, django_auth]
