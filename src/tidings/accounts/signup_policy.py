"""Whether visitors may create accounts (TIDINGS_SIGNUP): open, or closed so that only staff create them."""

from __future__ import annotations

from django.conf import settings

CLOSED_MESSAGE = "Sign-up is closed on this server: accounts are created by its staff. Ask them for one."


def signup_is_open() -> bool:
    """True when anyone may create an account; False when only staff create them (TIDINGS_SIGNUP=closed)."""
    return bool(settings.SIGNUP == "open")
