"""Two-factor holds whichever way a browser signs in (the admin's own sign-in page included).

At sign-in the session records whether the account has two-factor on; a session so marked that was not verified
with a code (django-otp's `user.is_verified()`, set by the code step or at enrolment) is signed out on its next
request. Sessions of accounts without two-factor cost nothing: the mark is read from the loaded session.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

from tidings.accounts import two_factor

log = logging.getLogger(__name__)

REQUIRED_KEY = "tidings_2fa_required"


@receiver(user_logged_in, dispatch_uid="tidings.accounts.two_factor_guard.mark")
def mark_session(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[REQUIRED_KEY] = two_factor.is_enabled(user)


def require_for_session(request: HttpRequest) -> None:
    """From now on this session must be verified (two-factor was just turned on in it, and verified)."""
    request.session[REQUIRED_KEY] = True


class TwoFactorRequiredMiddleware:
    """After django_otp's OTPMiddleware: signs out a session of a two-factor account that skipped the code."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and session.get(REQUIRED_KEY):
            user: Any = request.user
            if user.is_authenticated and not user.is_verified():
                log.warning("two_factor.unverified_session_signed_out user_id=%s path=%s", user.pk, request.path)
                logout(request)
                messages.warning(request, "Two-factor sign-in is on for this account: sign in on the sign-in page.")
        return self.get_response(request)
