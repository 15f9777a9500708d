"""A user's browser sign-ins: recorded at sign-in, listed on the account page, revoked one by one or all but this.

Django's database session backend keeps sessions by key only; SignedInSession maps each key to its user with what
a reader recognises (browser, address, last seen). Revoking deletes the session row, which signs that browser out.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.contrib.sessions.models import Session
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from tidings.accounts.models import SignedInSession
from tidings.accounts.throttle import client_address
from tidings.accounts.user_agents import describe_user_agent

log = logging.getLogger(__name__)

# last_seen_at is written at most this often per session, so page views do not all turn into writes.
SEEN_RESOLUTION = timedelta(minutes=5)
MAX_USER_AGENT = 300
SEEN_KEY = "tidings_seen_at"


@dataclass(frozen=True, slots=True)
class SessionRow:
    pk: int
    device: str
    user_agent: str
    ip_address: str | None
    created_at: datetime
    last_seen_at: datetime
    current: bool


@receiver(user_logged_in, dispatch_uid="tidings.accounts.sessions.record")
def record_sign_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """Remember the new session's key (login() has cycled it and saved it by now)."""
    if request is None or not hasattr(request, "session"):
        return
    if request.session.session_key is None:
        request.session.save()
    key = request.session.session_key
    request.session[SEEN_KEY] = int(timezone.now().timestamp())
    SignedInSession.objects.update_or_create(
        session_key=key,
        defaults={
            "user": user,
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:MAX_USER_AGENT],
            "ip_address": client_address(request),
            "created_at": timezone.now(),
            "last_seen_at": timezone.now(),
        },
    )


@receiver(user_logged_out, dispatch_uid="tidings.accounts.sessions.forget")
def forget_sign_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        SignedInSession.objects.filter(session_key=key).delete()


def touch(request: HttpRequest, now: datetime | None = None) -> None:
    """Refresh this session's last_seen_at: one UPDATE every SEEN_RESOLUTION at most, no query otherwise (the
    time of the last refresh is kept in the session itself)."""
    key = request.session.session_key
    if not key:
        return
    now = now or timezone.now()
    seen = request.session.get(SEEN_KEY)
    if isinstance(seen, (int, float)) and now.timestamp() - seen < SEEN_RESOLUTION.total_seconds():
        return
    request.session[SEEN_KEY] = int(now.timestamp())
    SignedInSession.objects.filter(session_key=key).update(last_seen_at=now, ip_address=client_address(request))


def sessions_of(user: Any, current_key: str | None, now: datetime | None = None) -> list[SessionRow]:
    """The user's live sign-ins, most recently seen first; records of ended sessions are deleted on the way."""
    now = now or timezone.now()
    records = list(SignedInSession.objects.filter(user=user))
    live = set(
        Session.objects.filter(session_key__in=[r.session_key for r in records], expire_date__gt=now).values_list(
            "session_key", flat=True
        )
    )
    ended = [r.pk for r in records if r.session_key not in live]
    if ended:
        SignedInSession.objects.filter(pk__in=ended).delete()
    return [
        SessionRow(
            pk=r.pk,
            device=describe_user_agent(r.user_agent),
            user_agent=r.user_agent,
            ip_address=r.ip_address,
            created_at=r.created_at,
            last_seen_at=r.last_seen_at,
            current=r.session_key == current_key,
        )
        for r in records
        if r.session_key in live
    ]


def revoke_session(user: Any, pk: int) -> bool:
    """Sign one of the user's sessions out; False when the user has no session with that id."""
    record = SignedInSession.objects.filter(user=user, pk=pk).first()
    if record is None:
        return False
    Session.objects.filter(session_key=record.session_key).delete()
    record.delete()
    log.info("session.revoked user_id=%s session_id=%s", getattr(user, "pk", None), pk)
    return True


def follow_new_key(old_key: str | None, new_key: str | None) -> None:
    """Move a sign-in record to its session's new key (a password change cycles the key of this browser)."""
    if old_key and new_key and old_key != new_key:
        SignedInSession.objects.filter(session_key=old_key).update(session_key=new_key)


def revoke_other_sessions(user: Any, keep_key: str | None) -> int:
    """Sign out every session of the user but `keep_key` (this browser's); returns how many."""
    others = SignedInSession.objects.filter(user=user)
    if keep_key:
        others = others.exclude(session_key=keep_key)
    keys = list(others.values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    others.delete()
    log.info("session.revoked_others user_id=%s count=%s", getattr(user, "pk", None), len(keys))
    return len(keys)


def revoke_all_sessions(user: Any) -> int:
    return revoke_other_sessions(user, keep_key=None)
