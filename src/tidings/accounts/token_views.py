"""The account settings page: list, create and revoke API tokens (plain forms; works without JavaScript)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tidings.accounts.forms import TokenNameForm
from tidings.accounts.tokens import issue_token_for, revoke_token, tokens_of
from tidings.lib.errors import InvalidInput


def _settings_page(request: HttpRequest, form: TokenNameForm, status: int = 200, **extra: Any) -> HttpResponse:
    context = {"form": form, "tokens": tokens_of(request.user), **extra}
    return render(request, "accounts/settings.html", context, status=status)


@login_required
def account_settings(request: HttpRequest) -> HttpResponse:
    return _settings_page(request, TokenNameForm())


@login_required
@require_POST
def create_token(request: HttpRequest) -> HttpResponse:
    """Shows the new token on this one answer (never again: only its hash is stored)."""
    form = TokenNameForm(request.POST)
    if not form.is_valid():
        return _settings_page(request, form, status=400)
    try:
        token, raw = issue_token_for(request.user, form.cleaned_data["name"])
    except InvalidInput as exc:
        form.add_error(None, exc.message)
        return _settings_page(request, form, status=400)
    response = _settings_page(request, TokenNameForm(), new_token=raw, new_token_name=token.name)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        token = revoke_token(request.user, token_id)
    except InvalidInput:
        raise Http404("no such token") from None
    messages.success(request, f"Token “{token.name}” revoked; programs using it can no longer sign in.")
    return redirect("accounts:settings")
