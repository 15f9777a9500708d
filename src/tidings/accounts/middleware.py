"""Keeps a signed-in session's "last seen" time and address current for the account page's list of sessions."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from tidings.accounts.sessions import touch


class SessionSeenMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(request, "session", None) is not None:
            touch(request)
        return self.get_response(request)
