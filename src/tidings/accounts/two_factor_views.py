"""Two-factor pages under /me/account/two-factor/: enrol (secret + otpauth link, one code), recovery codes, disable."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from tidings.accounts import sessions, two_factor, two_factor_guard
from tidings.accounts.forms import EnrolCodeForm, PasswordConfirmForm

ENROL_KEY = "tidings_totp_enrolment"


def _page(request: HttpRequest, status: int = 200, **extra: Any) -> HttpResponse:
    user = request.user
    enrolment = two_factor.pending_enrolment(user, request.session.get(ENROL_KEY))
    context = {
        "status": two_factor.two_factor_status(user),
        "enrolment": enrolment,
        "code_form": extra.pop("code_form", None) or EnrolCodeForm(),
        "password_form": extra.pop("password_form", None) or PasswordConfirmForm(user),
        **extra,
    }
    return render(request, "accounts/two_factor.html", context, status=status)


@login_required
def two_factor_page(request: HttpRequest) -> HttpResponse:
    return _page(request)


@login_required
@require_POST
def start(request: HttpRequest) -> HttpResponse:
    if two_factor.is_enabled(request.user):
        messages.info(request, "Two-factor sign-in is already on.")
        return redirect("account:two_factor")
    request.session[ENROL_KEY] = two_factor.start_enrolment(request.user).device_id
    return redirect("account:two_factor")


@login_required
@require_POST
def confirm(request: HttpRequest) -> HttpResponse:
    form = EnrolCodeForm(request.POST)
    device_id = request.session.get(ENROL_KEY)
    wait = two_factor.wait_seconds(request.user, device_id) if device_id else 0
    if wait and form.is_valid():  # the code is not even tried: django-otp still refuses after the last wrong one
        form.add_error("code", two_factor.waiting_message(wait))
    elif form.is_valid() and device_id:
        codes = two_factor.confirm_enrolment(request.user, device_id, form.cleaned_data["code"])
        if codes is not None:
            request.session.pop(ENROL_KEY, None)
            device = two_factor.confirmed_app(request.user)
            if device is not None:
                otp_login(request, device)  # this session counts as verified
            two_factor_guard.require_for_session(request)
            # Other browsers signed in with the password alone: they must sign in again, with a code.
            sessions.revoke_other_sessions(request.user, request.session.session_key)
            response = _page(request, recovery_codes=codes)
            response["Cache-Control"] = "no-store"
            return response
        form.add_error("code", "That code is not right. Check that the app shows Tidings and try the newest code.")
    return _page(request, status=400, code_form=form)


@login_required
@require_POST
def recovery_codes(request: HttpRequest) -> HttpResponse:
    form = PasswordConfirmForm(request.user, request.POST, request=request)
    if not form.is_valid() or not two_factor.is_enabled(request.user):
        return _page(request, status=400, password_form=form)
    response = _page(request, recovery_codes=two_factor.new_recovery_codes(request.user))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def disable(request: HttpRequest) -> HttpResponse:
    form = PasswordConfirmForm(request.user, request.POST, request=request)
    if not form.is_valid():
        return _page(request, status=400, password_form=form)
    two_factor.disable(request.user)
    messages.success(request, "Two-factor sign-in is off: signing in asks for your password alone.")
    return redirect("account:two_factor")
