"""Sign up, sign in and sign out; a visitor's anonymous follows move into the account on sign-up or sign-in."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from tidings.accounts import pending_signin as pending
from tidings.accounts import two_factor
from tidings.accounts.forms import CodeForm, SignInForm, SignUpForm
from tidings.accounts.signup_policy import CLOSED_MESSAGE, signup_is_open
from tidings.personalization.services import merge_profiles, profile_for_request, profile_for_user

logger = logging.getLogger(__name__)


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _sign_in_keeping_follows(request: HttpRequest, user: User) -> int:
    """Log the user in and move the visitor's anonymous follows into the account; returns how many moved."""
    anonymous = profile_for_request(request, create=False) if not request.user.is_authenticated else None
    # A new account has no `backend` yet; the throttle backend listed first only refuses, never signs in.
    login(request, user, backend=getattr(user, "backend", "django.contrib.auth.backends.ModelBackend"))
    request.session.pop("profile_id", None)
    if anonymous is None:
        return 0
    moved = merge_profiles(anonymous, profile_for_user(user))
    logger.info("anonymous_follows_merged user_id=%s moved=%s", user.pk, moved)
    return moved


def signup(request: HttpRequest) -> HttpResponse:
    if not signup_is_open():  # TIDINGS_SIGNUP=closed: nothing is created, whatever was posted
        return render(request, "accounts/signup_closed.html", {"message": CLOSED_MESSAGE}, status=403)
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        _sign_in_keeping_follows(request, user)
        return HttpResponseRedirect(_next_url(request))
    return render(
        request,
        "accounts/signup.html",
        {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")},
        status=400 if form.errors else 200,
    )


def signin(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        if two_factor.is_enabled(user):  # the password was right; the code comes next (accounts.signin_code)
            pending.start(request, user, _next_url(request))
            return redirect("accounts:signin_code")
        _sign_in_keeping_follows(request, user)
        return HttpResponseRedirect(_next_url(request))
    return render(
        request,
        "accounts/signin.html",
        {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")},
        status=400 if form.errors else 200,
    )


def signin_code(request: HttpRequest) -> HttpResponse:
    """Second step of a sign-in with two-factor on: a code from the app or a recovery code."""
    user = pending.user(request)
    if user is None:
        messages.info(request, "Sign in again: the sign-in was not finished in time.")
        return redirect("accounts:signin")
    form = CodeForm(request.POST or None)
    app_code = form.is_valid() and two_factor.is_app_code(form.cleaned_data["code"])  # not a recovery code
    wait = two_factor.wait_seconds(user) if request.method == "POST" and app_code else 0
    if wait:  # the code is not even tried: django-otp still refuses after the last wrong one
        if pending.failed(request):  # a try all the same: five in all and the password is asked again
            messages.error(request, "Too many wrong codes: sign in again.")
            return redirect("accounts:signin")
        form.add_error("code", two_factor.waiting_message(wait))
    elif request.method == "POST" and form.is_valid():
        device = two_factor.verify_sign_in_code(user, form.cleaned_data["code"])
        if device is not None:
            next_url = pending.finish(request)
            _sign_in_keeping_follows(request, user)
            otp_login(request, device)
            if device.name == two_factor.RECOVERY_NAME:
                left = two_factor.two_factor_status(user).recovery_codes_left
                messages.warning(request, f"You used a recovery code; {left} left. Make new ones on your account page.")
            return HttpResponseRedirect(next_url)
        if pending.failed(request):
            messages.error(request, "Too many wrong codes: sign in again.")
            return redirect("accounts:signin")
        form.add_error("code", "That code is not right, or was used already. Check your app's clock and try again.")
    return render(request, "accounts/signin_code.html", {"form": form}, status=400 if form.errors else 200)


@require_POST
def signout(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)
