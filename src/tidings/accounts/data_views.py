"""Personal data (/me/account/data/): download everything as JSON, followed sources as OPML, delete it all.

Signed in: the account's data; deleting the account asks for the password. Not signed in: the data this browser's
anonymous profile holds, deleted with one button (whoever holds the session cookie owns that profile).
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from tidings.accounts.deletion import delete_account, delete_anonymous_profile
from tidings.accounts.forms import PasswordConfirmForm
from tidings.accounts.personal_data import Subject, export_personal_data
from tidings.personalization.services import profile_for_request

log = logging.getLogger(__name__)


def subject_for(request: HttpRequest) -> Subject:
    user = request.user if request.user.is_authenticated else None
    return Subject(user=user, profile=profile_for_request(request, create=False))


def export_response(subject: Subject) -> HttpResponse:
    """The JSON document as a download named tidings-<username or anonymous>-<date>.json."""
    body = json.dumps(export_personal_data(subject), cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
    who = subject.user.get_username() if subject.user is not None else "anonymous"
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in who)
    name = f"tidings-{safe}-{timezone.now():%Y-%m-%d}.json"
    response = HttpResponse(body.encode(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


def _page(request: HttpRequest, status: int = 200, form: PasswordConfirmForm | None = None) -> HttpResponse:
    subject = subject_for(request)
    context: dict[str, Any] = {"has_profile": subject.profile is not None}
    if subject.user is not None:
        context["form"] = form or PasswordConfirmForm(subject.user)
        context["sources_added"] = subject.user.added_sources.count()
    return render(request, "accounts/personal_data.html", context, status=status)


def personal_data(request: HttpRequest) -> HttpResponse:
    return _page(request)


def export(request: HttpRequest) -> HttpResponse:
    return export_response(subject_for(request))


@require_POST
def delete(request: HttpRequest) -> HttpResponse:
    """Signed in: delete the account (password confirmed). Anonymous: delete this browser's profile."""
    if not request.user.is_authenticated:
        profile = profile_for_request(request, create=False)
        if profile is not None:
            delete_anonymous_profile(profile)
        request.session.flush()
        messages.success(request, "What this browser had followed, read and saved is deleted.")
        return redirect("account:data")
    form = PasswordConfirmForm(request.user, request.POST, request=request)
    if not form.is_valid():
        return _page(request, status=400, form=form)
    user = request.user
    logout(request)
    delete_account(user)
    messages.success(request, "Your account and all of its data are deleted.")
    return redirect("web:home")
