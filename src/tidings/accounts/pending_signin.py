"""A sign-in waiting for its second factor, kept in the visitor's session between the two steps.

The password step stores who and where to go next; the code step reads it back. It lasts PENDING_SECONDS and
MAX_CODE_TRIES wrong codes, then the password must be given again (and counts again for the sign-in throttle).
"""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth import get_user_model
from django.http import HttpRequest

KEY = "tidings_pending_signin"
PENDING_SECONDS = 10 * 60
MAX_CODE_TRIES = 5


def start(request: HttpRequest, user: Any, next_url: str) -> None:
    request.session[KEY] = {
        "user_id": user.pk,
        "backend": getattr(user, "backend", "django.contrib.auth.backends.ModelBackend"),
        "next": next_url,
        "at": time.time(),
        "tries": 0,
    }


def user(request: HttpRequest) -> Any | None:
    """The user whose password was given in the last PENDING_SECONDS, with their auth backend; or None."""
    state = request.session.get(KEY)
    if not isinstance(state, dict) or time.time() - float(state.get("at", 0)) > PENDING_SECONDS:
        request.session.pop(KEY, None)
        return None
    user_id = state.get("user_id")
    if not isinstance(user_id, int):
        return None
    found: Any = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if found is not None:
        found.backend = str(state.get("backend"))
    return found


def failed(request: HttpRequest) -> bool:
    """Count a wrong code; True (and the pending sign-in dropped) once there were MAX_CODE_TRIES."""
    state = request.session.get(KEY) or {}
    state["tries"] = int(state.get("tries", 0)) + 1
    if state["tries"] >= MAX_CODE_TRIES:
        request.session.pop(KEY, None)
        return True
    request.session[KEY] = state
    return False


def finish(request: HttpRequest) -> str:
    """Drop the pending sign-in; where to go next."""
    state = request.session.pop(KEY, None) or {}
    return str(state.get("next") or "/")
