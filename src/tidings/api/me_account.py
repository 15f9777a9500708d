"""/api/me itself: download all of my data (GET /api/me/export) and delete my account (DELETE /api/me).

Deleting needs either the account password ({"password": …}, checked through the sign-in throttle, so guessing
is limited as on the sign-in page) or, when called with an API token, {"confirm": "<your username>"}: a program
holding a token can already read and change everything of the account, and may not know the password.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django.contrib.auth import authenticate
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status

from tidings.accounts.deletion import delete_account
from tidings.accounts.personal_data import Subject, export_personal_data
from tidings.api.auth import TokenAuth, session_auth
from tidings.api.schemas import Error, Text
from tidings.lib.errors import InvalidInput
from tidings.personalization.models import Profile

log = logging.getLogger(__name__)


class MarkedTokenAuth(TokenAuth):
    """A bearer token, remembered on the request: DELETE /api/me takes a confirmation instead of the password."""

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        user = super().authenticate(request, token)
        request.tidings_via_token = user is not None  # type: ignore[attr-defined]
        return user


router = Router(tags=["me"], auth=[MarkedTokenAuth(), session_auth])
AUTH_RESPONSES = {401: Error, 403: Error}


class DeleteIn(Schema):
    password: Text | None = None
    confirm: Text | None = None


@router.get("/me/export", response={200: dict, **AUTH_RESPONSES}, summary="Everything Tidings keeps about me")
def export(request: HttpRequest) -> HttpResponse:
    """The same JSON document as "Download my data" on the web (accounts.personal_data): follows, mutes,
    weights, article states, hidden stories, interactions, learned interests, tokens' names, sessions."""
    user = request.auth  # type: ignore[attr-defined]
    subject = Subject(user=user, profile=Profile.objects.filter(user=user).first())
    body = json.dumps(export_personal_data(subject), cls=DjangoJSONEncoder, ensure_ascii=False)
    response = HttpResponse(body.encode(), content_type="application/json; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


@router.delete(
    "/me",
    response={204: None, 400: Error, 422: Error, 429: Error, **AUTH_RESPONSES},
    summary="Delete my account and all of its data",
)
def delete_me(request: HttpRequest, payload: DeleteIn) -> Status[Any]:
    user = request.auth  # type: ignore[attr-defined]
    if payload.password:
        checked = authenticate(request, username=user.get_username(), password=payload.password)
        if getattr(request, "axes_locked_out", False):
            return Status(429, {"detail": "too many wrong passwords; try again later"})
        if checked is None or checked.pk != user.pk:
            return Status(403, {"detail": "that is not the account's password"})
    elif getattr(request, "tidings_via_token", False):
        if payload.confirm != user.get_username():
            raise InvalidInput('with an API token, send {"confirm": "<your username>"} (or your password)')
    else:
        raise InvalidInput('send {"password": "<your password>"} to delete your account')
    delete_account(user)
    return Status(204, None)
