"""Under /api/ every error answer is JSON {"detail": ...}, also those made outside ninja (405, Django 404/500)."""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase

API_PREFIX = "/api/"
# The security headers the inner middleware set on the original answer are kept on its JSON replacement.
KEPT_HEADERS = (
    "Allow",
    "Retry-After",
    "WWW-Authenticate",
    "Content-Security-Policy",
    "Content-Security-Policy-Report-Only",
    "X-Frame-Options",
)


def error_detail(status: int, method: str, allow: str | None) -> str:
    if status == 405:
        return f"method {method} is not allowed here" + (f"; allowed: {allow}" if allow else "")
    try:
        return HTTPStatus(status).phrase.lower()
    except ValueError:
        return f"error {status}"


def is_json(response: HttpResponseBase) -> bool:
    return response.get("Content-Type", "").split(";")[0].strip() == "application/json"


class JsonApiErrorsMiddleware:
    """Rewrites non-JSON 4xx/5xx answers under /api/ into JSON, keeping the status and Allow/Retry-After."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not request.path.startswith(API_PREFIX)
            or getattr(response, "streaming", False)
            or is_json(response)
        ):
            return response
        detail = error_detail(response.status_code, request.method or "", response.get("Allow"))
        replacement: HttpResponse = JsonResponse({"detail": detail}, status=response.status_code)
        for header in KEPT_HEADERS:
            if header in response:
                replacement[header] = response[header]
        return replacement
