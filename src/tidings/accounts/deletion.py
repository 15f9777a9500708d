"""Deleting an account with everything of it, or an anonymous visitor's profile.

What goes: the user row and, by cascade, the profile (follows, mutes, weights, read/saved/hidden states, hidden
stories, interactions, learned interests, the My News feed token), API tokens (Fever and Google Reader ones too),
recorded sessions and their session rows, two-factor devices, admin log entries; explicitly, uploaded OPML files,
sign-in throttle records and password-reset requests made for the account's e-mail address.
What stays: sources the reader added stay in the shared catalogue with no one named as adder (KEPT_WITHOUT_OWNER);
they and their articles are what other readers follow, save and read.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.sessions.models import Session
from django.db import transaction

from tidings.accounts.models import PasswordResetRequest, SignedInSession
from tidings.personalization.models import Profile
from tidings.sources.models import OpmlImport

log = logging.getLogger(__name__)

# (app_label.Model, field): rows pointing at the user that are kept, the pointer cleared (on_delete=SET_NULL).
KEPT_WITHOUT_OWNER = frozenset({("sources.Source", "added_by")})


def email_hash(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def delete_account(user: Any) -> dict[str, int]:
    """Delete the user and all of their data in one transaction; returns rows deleted per model label."""
    user_id, username, email = user.pk, user.get_username(), user.email
    deleted: dict[str, int] = {}
    with transaction.atomic():
        keys = list(SignedInSession.objects.filter(user=user).values_list("session_key", flat=True))
        _count(deleted, Session.objects.filter(session_key__in=keys).delete())
        _count(deleted, OpmlImport.objects.filter(user=user).delete())
        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            _count(deleted, model.objects.filter(username=username).delete())
        if email:
            _count(deleted, PasswordResetRequest.objects.filter(email_hash=email_hash(email)).delete())
        _count(deleted, Profile.objects.filter(user=user).delete())
        _count(deleted, user.delete())
    log.info("account.deleted user_id=%s rows=%s", user_id, sum(deleted.values()))
    return deleted


def delete_anonymous_profile(profile: Profile) -> dict[str, int]:
    """Delete a visitor's session-backed profile and what hangs from it (never a signed-in user's profile)."""
    if profile.user_id is not None:
        raise ValueError("delete_anonymous_profile is for anonymous profiles; use delete_account")
    deleted: dict[str, int] = {}
    with transaction.atomic():
        _count(deleted, profile.delete())
    log.info("anonymous_profile.deleted rows=%s", sum(deleted.values()))
    return deleted


def _count(into: dict[str, int], result: tuple[int, dict[str, int]]) -> None:
    for label, n in result[1].items():
        into[label] = into.get(label, 0) + n
