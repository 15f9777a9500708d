"""The account page (/me/account/): who you are, e-mail, password, signed-in sessions, and links to the rest.

Each form posts to its own address and, when wrong, the page comes back with that form's errors (HTTP 400).
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.mail import send_mail
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tidings.accounts import sessions, two_factor
from tidings.accounts.forms import EmailChangeForm
from tidings.accounts.tokens import tokens_of

log = logging.getLogger(__name__)


def _page(request: HttpRequest, status: int = 200, **forms: Any) -> HttpResponse:
    user: Any = request.user
    password_form = forms.get("password_form") or PasswordChangeForm(user)
    password_form.fields["old_password"].widget.attrs.pop("autofocus", None)
    context = {
        "email_form": forms.get("email_form") or EmailChangeForm(user, initial={"email": user.email}),
        "password_form": password_form,
        "sessions": sessions.sessions_of(user, request.session.session_key),
        "two_factor": two_factor.two_factor_status(user),
        "token_count": len(tokens_of(user)),
    }
    return render(request, "accounts/account.html", context, status=status)


@login_required
def account(request: HttpRequest) -> HttpResponse:
    return _page(request)


@login_required
@require_POST
def change_email(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = EmailChangeForm(user, request.POST, request=request)
    if not form.is_valid():
        return _page(request, status=400, email_form=form)
    old, new = user.email, form.cleaned_data["email"]
    user.email = new
    user.save(update_fields=["email"])
    log.info("account.email_changed user_id=%s", user.pk)
    if old and old.lower() != new.lower():
        _tell_old_address(user, old, new)
    messages.success(request, f"Your e-mail address is now {new}." if new else "Your e-mail address was removed.")
    return redirect("account:overview")


def _tell_old_address(user: Any, old: str, new: str) -> None:
    """A note to the address that was replaced, so a hijacked session cannot move the account away unseen."""
    body = (
        f"The e-mail address of the Tidings account {user.get_username()} was changed"
        f"{' to ' + new if new else ' (removed)'}.\n\nIf you did not do this, sign in and change your password.\n"
    )
    try:
        send_mail("Your Tidings e-mail address was changed", body, None, [old])
    except OSError as exc:  # the change stands; the notice is best effort
        log.warning("account.email_notice_failed user_id=%s error=%s", user.pk, exc)


@login_required
@require_POST
def change_password(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = PasswordChangeForm(user, request.POST)
    if not form.is_valid():
        return _page(request, status=400, password_form=form)
    user = form.save()
    old_key = request.session.session_key
    update_session_auth_hash(request, user)  # this browser stays signed in, under a new session key
    sessions.follow_new_key(old_key, request.session.session_key)
    others = sessions.revoke_other_sessions(user, request.session.session_key)
    log.info("account.password_changed user_id=%s", user.pk)
    note = f" {others} other session{'s' if others != 1 else ''} signed out." if others else ""
    messages.success(request, "Your password was changed." + note)
    return redirect("account:overview")


@login_required
@require_POST
def revoke_session(request: HttpRequest, session_id: int) -> HttpResponse:
    if not sessions.revoke_session(request.user, session_id):
        raise Http404("no such session")
    messages.success(request, "That session was signed out.")
    return redirect("account:overview")


@login_required
@require_POST
def sign_out_others(request: HttpRequest) -> HttpResponse:
    count = sessions.revoke_other_sessions(request.user, request.session.session_key)
    messages.success(request, f"Signed out {count} other session{'s' if count != 1 else ''}.")
    return redirect("account:overview")
