"""The Google Reader endpoints' shared edge: authentication, parameters and error answers."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from tidings.api.greader.auth import auth_token_from_header, edit_token_matches, user_for_auth
from tidings.lib.errors import InvalidInput, TidingsError
from tidings.personalization.models import Profile
from tidings.personalization.services import profile_for_user
from tidings.sources.access import NotAllowed

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Caller:
    """Who is asking: the user behind the auth token, their profile, and the raw token."""

    user: Any
    profile: Profile
    token: str


def text(body: str, status: int = 200, headers: dict[str, str] | None = None) -> HttpResponse:
    response = HttpResponse(body, status=status, content_type="text/plain; charset=utf-8")
    for name, value in (headers or {}).items():
        response[name] = value
    response["Cache-Control"] = "no-store"
    return response


def json(value: Any, status: int = 200) -> JsonResponse:
    response = JsonResponse(value, status=status, safe=False, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response


def unauthorized() -> HttpResponse:
    return text("Unauthorized", 401, {"WWW-Authenticate": "GoogleLogin"})


def values_of(request: HttpRequest) -> Callable[[str], list[str]]:
    """A parameter's values: the query's, and for a POST the form's first."""
    if request.method == "POST":
        return lambda name: request.POST.getlist(name) + request.GET.getlist(name)
    return request.GET.getlist


View = Callable[..., HttpResponse]


def reader_endpoint(*, methods: tuple[str, ...] = ("GET", "POST"), write: bool = False) -> Callable[[View], View]:
    """Require `Authorization: GoogleLogin auth=<token>` (and for a write, a POST with the matching `T`).

    Answers 401 `Unauthorized` without them, 400 with the message for bad input, 403 when not allowed.
    The view is called with the request and a Caller.
    """

    def decorate(view: View) -> View:
        @csrf_exempt  # no cookies here: the auth header and the T token stand for the CSRF check
        @wraps(view)
        def endpoint(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method not in methods:
                return text(f"method {request.method} is not allowed here", 405, {"Allow": ", ".join(methods)})
            raw = auth_token_from_header(request.headers.get("Authorization", ""))
            user = user_for_auth(raw) if raw else None
            if raw is None or user is None:
                return unauthorized()
            if write:
                sent = values_of(request)("T")
                if not sent or not edit_token_matches(raw, sent[0]):
                    log.info("greader.bad_edit_token user_id=%s path=%s", user.pk, request.path[:200])
                    return text("Unauthorized", 401, {"X-Reader-Google-Bad-Token": "true"})
            caller = Caller(user=user, profile=profile_for_user(user), token=raw)
            try:
                return view(request, caller, *args, **kwargs)
            except NotAllowed as err:
                return text(str(err), 403)
            except (InvalidInput, TidingsError) as err:
                return text(str(err), 400)

        return endpoint

    return decorate
