"""Password reset by e-mail: Django's views and tokens, with requests limited per client address and per address.

A request over either limit gets the same "check your e-mail" page (no e-mail is sent, nothing says whether the
address has an account) and HTTP 429, so a script learns it is limited but a person is not told anything new.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils import timezone

from tidings.accounts.deletion import email_hash
from tidings.accounts.models import PasswordResetRequest
from tidings.accounts.throttle import client_address

log = logging.getLogger(__name__)

WINDOW = timedelta(hours=1)


def over_limit(ip_address: str | None, email: str, now: datetime | None = None) -> bool:
    """True when this address or this e-mail address already made PASSWORD_RESETS_PER_HOUR requests this hour."""
    since = (now or timezone.now()) - WINDOW
    recent = PasswordResetRequest.objects.filter(created_at__gte=since)
    limit = settings.PASSWORD_RESETS_PER_HOUR
    by_email = recent.filter(email_hash=email_hash(email)).count()
    by_address = recent.filter(ip_address=ip_address).count() if ip_address else 0
    return by_email >= limit or by_address >= limit


def record(ip_address: str | None, email: str, now: datetime | None = None) -> None:
    now = now or timezone.now()
    PasswordResetRequest.objects.filter(created_at__lt=now - WINDOW).delete()  # only the last hour is kept
    PasswordResetRequest.objects.create(email_hash=email_hash(email), ip_address=ip_address, created_at=now)


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        email = form.cleaned_data["email"]
        address = client_address(self.request)
        if over_limit(address, email):
            log.warning("password_reset.limited address=%s", address)
            return render(self.request, "accounts/password_reset_done.html", {"limited": True}, status=429)
        record(address, email)
        # Django's form logs (never raises) a failure to send, so an SMTP fault is no 500 and tells nothing.
        return super().form_valid(form)


class ResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")
