"""Sign-in throttling on top of django-axes: limits per client address and per account, and the lockout answer."""

from __future__ import annotations

import ipaddress
import logging
import math
from datetime import timedelta
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Q, Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

log = logging.getLogger(__name__)


def failure_limit(request: Any = None, credentials: Any = None) -> int:
    return int(settings.SIGNIN_MAX_FAILURES)


def cool_off(request: Any = None) -> timedelta:
    return timedelta(minutes=settings.SIGNIN_LOCKOUT_MINUTES)


def lockout_message(minutes: int) -> str:
    unit = "minute" if minutes == 1 else "minutes"
    return f"Too many failed sign-in attempts; try again in {minutes} {unit}."


def scaled_failures(by_address: int, by_account: int, address_limit: int, account_limit: int) -> int:
    """One failure count to compare with `address_limit`: reaches it when either count reaches its own limit."""
    # floor(a * L / A) >= L exactly when a >= A, so the account count trips at its own limit.
    return max(by_address, by_account * address_limit // account_limit)


class SignInThrottle(AxesDatabaseHandler):
    """Axes' database handler with a higher limit per account than per address.

    AXES_LOCKOUT_PARAMETERS is ["ip_address", "username"]: the first count is the client address's
    failures over all accounts, the second the account's failures from all addresses.
    """

    def get_failures(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        by_address, by_account = (
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        return scaled_failures(
            by_address, by_account, settings.SIGNIN_MAX_FAILURES, settings.SIGNIN_MAX_ACCOUNT_FAILURES
        )

    def user_logged_in(self, sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
        """A success forgets that account's failures from that address (and nothing else)."""
        super().user_logged_in(sender, request, user, **kwargs)
        AccessAttempt.objects.filter(username=user.get_username(), ip_address=request.axes_ip_address).delete()


def client_address(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or the address our proxy appended to X-Forwarded-For when TIDINGS_TRUST_X_FORWARDED_FOR is on."""
    remote = request.META.get("REMOTE_ADDR")
    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        # The right-most entry is the one our proxy added; entries to its left came from the client.
        candidate = forwarded.rsplit(",", 1)[-1].strip()
        if candidate:
            remote = candidate
    try:
        return str(ipaddress.ip_address(remote)) if remote else None
    except ValueError:
        log.warning("signin.bad_client_address address=%r", remote[:64] if remote else remote)
        return None


def minutes_left(request: Any, credentials: dict[str, Any] | None, now: Any = None) -> int:
    """Whole minutes until every failure that counts for this address or account is older than the cool-off."""
    username = (credentials or {}).get("username")
    matching = Q(ip_address=getattr(request, "axes_ip_address", None))
    if username:
        matching |= Q(username=username)
    latest = AccessAttempt.objects.filter(matching).aggregate(t=Max("attempt_time"))["t"]
    if latest is None:
        return settings.SIGNIN_LOCKOUT_MINUTES
    seconds = (latest + cool_off() - (now or timezone.now())).total_seconds()
    return max(1, min(settings.SIGNIN_LOCKOUT_MINUTES, math.ceil(seconds / 60)))


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    """HTTP 429 with a page (JSON under /api/, text for ClientLogin) saying when to try again."""
    minutes = minutes_left(request, credentials)
    message = lockout_message(minutes)
    log.warning("signin.locked_out path=%s minutes=%s", request.path, minutes)
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=429)
    elif request.path.rstrip("/").endswith("accounts/ClientLogin"):  # Google Reader apps read plain text
        response = HttpResponse(f"Error=TooManyAttempts\nInfo={message}\n", status=429, content_type="text/plain")
    else:
        response = render(request, "accounts/locked_out.html", {"message": message}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response
