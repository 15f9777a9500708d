"""Optional two-factor sign-in: a TOTP authenticator app (django-otp) plus one-time recovery codes.

Enrolment makes an unconfirmed TOTP device; one right code confirms it and makes RECOVERY_CODES recovery codes
(django-otp's static device), shown once. While a confirmed TOTP device exists, the sign-in page asks for a code
after the password. API tokens, the Fever app password and Google Reader tokens stay valid: they are separate
secrets made on the account page and revocable there (as in Miniflux and FreshRSS). Google Reader's ClientLogin
takes an API token instead of the account password once two-factor is on (api.greader).
"""

from __future__ import annotations

import base64
import logging
import math
import re
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

log = logging.getLogger(__name__)

RECOVERY_CODES = 10
TOTP_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"
SPACES = re.compile(r"[\s-]+")


@dataclass(frozen=True, slots=True)
class TwoFactorStatus:
    enabled: bool
    recovery_codes_left: int


@dataclass(frozen=True, slots=True)
class Enrolment:
    device_id: int
    secret: str  # base32, for typing into an app
    uri: str  # otpauth://totp/…, for a QR code or an app that takes links


def two_factor_status(user: Any) -> TwoFactorStatus:
    enabled = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    left = StaticToken.objects.filter(device__user=user, device__confirmed=True).count() if enabled else 0
    return TwoFactorStatus(enabled=enabled, recovery_codes_left=left)


def is_enabled(user: Any) -> bool:
    return bool(user.pk) and TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def start_enrolment(user: Any) -> Enrolment:
    """A new unconfirmed TOTP device (any earlier unconfirmed one is dropped); its secret and otpauth URI."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return enrolment_of(device)


def pending_enrolment(user: Any, device_id: int | None) -> Enrolment | None:
    device = TOTPDevice.objects.filter(user=user, pk=device_id, confirmed=False).first() if device_id else None
    return enrolment_of(device) if device is not None else None


def enrolment_of(device: TOTPDevice) -> Enrolment:
    secret = base64.b32encode(device.bin_key).decode()
    return Enrolment(device_id=device.pk, secret=secret, uri=device.config_url)


def confirm_enrolment(user: Any, device_id: int, code: str) -> list[str] | None:
    """Confirm the pending device with a code from the app; the new recovery codes, or None for a wrong code."""
    device = TOTPDevice.objects.filter(user=user, pk=device_id, confirmed=False).first()
    if device is None or not device.verify_token(normalise(code)):
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_recovery_codes(user)
    log.info("two_factor.enabled user_id=%s", user.pk)
    return codes


def new_recovery_codes(user: Any) -> list[str]:
    """Replace the user's recovery codes (the old ones stop working)."""
    with transaction.atomic():
        return _new_recovery_codes(user)


def _new_recovery_codes(user: Any) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def disable(user: Any) -> None:
    """Remove the authenticator app and the recovery codes: sign-in asks for the password alone again."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
    log.info("two_factor.disabled user_id=%s", user.pk)


def verify_sign_in_code(user: Any, code: str) -> Device | None:
    """The device that accepts `code` (a 6-digit app code or a recovery code, used up), or None.

    Each device throttles wrong codes itself (django-otp's ThrottlingMixin: a growing wait after each failure).
    """
    code = normalise(code)
    if not code:
        return None
    devices: list[Device]
    if is_app_code(code):  # recovery codes have 8 characters
        devices = list(TOTPDevice.objects.filter(user=user, confirmed=True))
    else:
        code = code.lower()
        devices = list(StaticDevice.objects.filter(user=user, confirmed=True))
    return next((device for device in devices if device.verify_token(code)), None)


def wait_seconds(user: Any, pending_device_id: int | None = None) -> int:
    """Whole seconds until the user's app device takes a code again after wrong ones (django-otp's growing
    wait), 0 when it takes one now; `pending_device_id` asks about a device being enrolled."""
    rows = TOTPDevice.objects.filter(user=user)
    rows = rows.filter(pk=pending_device_id) if pending_device_id is not None else rows.filter(confirmed=True)
    waits = [0.0]
    for device in rows:
        allowed, data = device.verify_is_allowed()
        if not allowed and data and data.get("locked_until") is not None:
            waits.append((data["locked_until"] - timezone.now()).total_seconds())
    return max(0, math.ceil(max(waits)))


def waiting_message(seconds: int) -> str:
    unit = "second" if seconds == 1 else "seconds"
    return f"Too many wrong codes in a row: wait {seconds} {unit}, then type the newest code from your app."


def is_app_code(code: str) -> bool:
    """Six digits, as an authenticator app shows (after normalise)."""
    code = normalise(code)
    return code.isdigit() and len(code) == 6


def normalise(code: str) -> str:
    """What people type: spaces and dashes dropped ("123 456", "abcd-efgh"); at most 16 characters."""
    return SPACES.sub("", code or "")[:16]


def confirmed_app(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()
