"""Sign up, sign in and sign out; a visitor's anonymous follows move into the account on sign-up or sign-in."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import login, logout
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from tidings.accounts.forms import SignInForm, SignUpForm
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
        _sign_in_keeping_follows(request, form.get_user())
        return HttpResponseRedirect(_next_url(request))
    return render(
        request,
        "accounts/signin.html",
        {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")},
        status=400 if form.errors else 200,
    )


@require_POST
def signout(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)
