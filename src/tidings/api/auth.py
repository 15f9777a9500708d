"""API authentication: bearer tokens for programs, the Django session for the browser."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from tidings.accounts.tokens import user_for_token


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>` with a token from the settings page or `tidings create_api_token`."""

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class SignedInSession(SessionAuth):
    """The browser's signed-in session; CSRF is checked only once there is a signed-in user.

    ninja's SessionAuth checks CSRF first, so a request with no credentials at all got a CSRF 403;
    it gets 401 here, and a signed-in write without the CSRF token still gets 403.
    """

    def __call__(self, request: HttpRequest) -> Any | None:
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


token_auth = TokenAuth()
session_auth = SignedInSession()
# Tried in order: a bearer token, then the browser's signed-in session.
user_auth = [token_auth, session_auth]
