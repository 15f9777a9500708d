"""A request that meets a dropped database connection or an unreachable task queue gets a 503 that says so, with
Retry-After, instead of a 500: the fault is passing (PostgreSQL restarting or failing over, Redis restarting),
and the request's transaction was rolled back, so trying again is safe. The next request reconnects
(CONN_HEALTH_CHECKS for PostgreSQL; redis-py reconnects on its own)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase

from tidings.lib.errors import ServiceUnavailable

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
DATABASE_MESSAGE = "The database cannot be reached right now; nothing was saved by this request. Try again shortly."


def unavailable_message(exc: Exception) -> str | None:
    """What to tell a person for a passing outage, or None when `exc` is not one."""
    if isinstance(exc, ServiceUnavailable):
        return exc.message
    if isinstance(exc, (OperationalError, InterfaceError)):
        return DATABASE_MESSAGE
    return None


class ServiceUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponseBase | None:
        message = unavailable_message(exc)
        if message is None:
            return None
        logger.error("service_unavailable path=%s error=%s detail=%s", request.path, type(exc).__name__, exc)
        response: HttpResponse
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": message}, status=503)
        else:
            response = HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
