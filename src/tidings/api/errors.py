"""Every API error is JSON {"detail": "message for a person"}; expected errors never become a 500."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, RequestDataTooBig, SuspiciousOperation
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from tidings.lib.errors import InvalidInput, ServiceUnavailable, TidingsError
from tidings.ops.outage import RETRY_AFTER_SECONDS, unavailable_message

log = logging.getLogger(__name__)

AUTH_REQUIRED = "authentication required: send 'Authorization: Bearer <token>' or sign in"


class NotFound(TidingsError):
    """The thing asked for does not exist."""

    permanent = True


class PayloadTooLarge(TidingsError):
    """The request body is over a size limit (HTTP 413)."""

    permanent = True


def body_limit_message() -> str:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is None:
        return "the request body is too large"
    return f"the request body is larger than the limit of {limit / (1024 * 1024):.1f} MB"


def describe_validation_errors(errors: list[dict[str, Any]]) -> str:
    """One line naming each bad parameter: 'limit: Input should be less than or equal to 100'."""
    parts = []
    for error in errors:
        loc = [str(p) for p in error.get("loc", ()) if p not in ("query", "path", "body", "payload")]
        where = ".".join(loc) or "request"
        parts.append(f"{where}: {error.get('msg', 'invalid value')}")
    return "; ".join(parts) or "invalid request"


def install_error_handlers(api: NinjaAPI) -> None:
    # ninja types a handler's exception as `E | type[E]`; each handler below gets an instance.
    def validation_error(request: HttpRequest, exc: Any) -> HttpResponse:
        errors = [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", ""))} for e in exc.errors]
        body = {"detail": describe_validation_errors(exc.errors), "errors": errors}
        return api.create_response(request, body, status=422)

    def invalid_input(request: HttpRequest, exc: Any) -> HttpResponse:
        return api.create_response(request, {"detail": exc.message}, status=400)

    def not_found(request: HttpRequest, exc: Any) -> HttpResponse:
        message = exc.message if isinstance(exc, NotFound) else (str(exc) or "not found")
        return api.create_response(request, {"detail": message}, status=404)

    def tidings_error(request: HttpRequest, exc: Any) -> HttpResponse:
        log.warning("api.error path=%s error=%s", request.path, exc.message)
        return api.create_response(request, {"detail": exc.message}, status=400 if exc.permanent else 503)

    def authentication_error(request: HttpRequest, exc: Any) -> HttpResponse:
        return api.create_response(request, {"detail": AUTH_REQUIRED}, status=401)

    def http_error(request: HttpRequest, exc: Any) -> HttpResponse:
        return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)

    def payload_too_large(request: HttpRequest, exc: Any) -> HttpResponse:
        message = exc.message if isinstance(exc, PayloadTooLarge) else body_limit_message()
        return api.create_response(request, {"detail": message}, status=413)

    def suspicious_request(request: HttpRequest, exc: Any) -> HttpResponse:
        # What Django answers 400 outside ninja (too many parameters or files, a bad host, a broken cookie).
        log.warning("api.bad_request path=%s error=%s", request.path, type(exc).__name__)
        return api.create_response(request, {"detail": f"bad request: {exc}"}, status=400)

    def service_unavailable(request: HttpRequest, exc: Any) -> HttpResponse:
        # A passing outage (the database's connection dropped, the queue unreachable): rolled back, retry later.
        log.error("api.service_unavailable path=%s error=%s detail=%s", request.path, type(exc).__name__, exc)
        response = api.create_response(request, {"detail": unavailable_message(exc)}, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    def unexpected_error(request: HttpRequest, exc: Any) -> HttpResponse:
        # A bug: logged with its traceback, answered as JSON without details (never a traceback).
        log.exception("api.unexpected_error path=%s", request.path)
        return api.create_response(request, {"detail": "internal error; it has been logged"}, status=500)

    api.add_exception_handler(Exception, unexpected_error)
    api.add_exception_handler(ValidationError, validation_error)
    api.add_exception_handler(SuspiciousOperation, suspicious_request)
    api.add_exception_handler(RequestDataTooBig, payload_too_large)
    api.add_exception_handler(PayloadTooLarge, payload_too_large)
    api.add_exception_handler(TidingsError, tidings_error)
    api.add_exception_handler(ServiceUnavailable, service_unavailable)
    api.add_exception_handler(OperationalError, service_unavailable)
    api.add_exception_handler(InterfaceError, service_unavailable)
    api.add_exception_handler(InvalidInput, invalid_input)
    api.add_exception_handler(NotFound, not_found)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(ObjectDoesNotExist, not_found)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(AuthenticationError, authentication_error)
