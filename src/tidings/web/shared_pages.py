"""The kept pages of web.page_cache served whole, early in the middleware chain, to visitors with no session.

web.page_cache keeps the page a view made for everyone with no session; this middleware keeps the whole
response beside it (its body with the CSRF placeholder, and the headers the middleware below added: the
Content-Security-Policy, X-Frame-Options, Vary) under the same key, for the same PAGE_SECONDS, and answers the
next such visitor from it before sessions, authentication, messages, CSP and URL resolving run. The key is
web.page_cache's own (address, query, theme cookie, htmx, the newest article / story link / listing row), so
the page changes exactly when web.page_cache's does.

Who gets it: a plain GET without the session cookie and without the messages cookie (a visitor with neither is
anonymous and has nothing of their own on the page), at an address web.page_cache served in this process.
Each visitor's own CSRF token is put in the placeholder's place and their CSRF cookie set, as Django's CSRF
middleware does. The ETag is the kept body's digest with the visitor's CSRF secret, so an If-None-Match from
the same browser gets a 304 and a browser with another secret (whose copy holds another token) never does.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.http.response import HttpResponseBase
from django.middleware.csrf import CsrfViewMiddleware, get_token

from tidings.web import page_cache
from tidings.web.near_cache import NearCache

KNOWN_PATHS_LIMIT = 10_000  # addresses remembered per process (forgotten all at once past this)
NEAR_PAGES = 64  # whole kept responses a process holds itself (web.near_cache), ~200 KB each
_SKIPPED_HEADERS = {"set-cookie", "content-length", "etag"}

Entry = dict[str, Any]  # parts (the body split at the placeholder), headers [(name, value)], digest


def _no_session(request: HttpRequest) -> bool:
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.COOKIES.get(CookieStorage.cookie_name)
    )


def _etag(digest: str, request: HttpRequest) -> str:
    secret = request.META.get("CSRF_COOKIE", "")
    return f'W/"{digest}-{hashlib.blake2b(secret.encode(), digest_size=8).hexdigest()}"'


class SharedPageMiddleware:
    """Answers a visitor with no session from the whole kept response; keeps it when a view made one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.csrf = CsrfViewMiddleware(get_response)
        self.known: set[str] = set()
        self.near = NearCache(NEAR_PAGES)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if page_cache.PAGE_SECONDS > 0 and request.path in self.known and _no_session(request):
            request.get_host()  # the host check CommonMiddleware would make (DisallowedHost: a 400)
            try:
                key = page_cache.page_key(request) + ":whole"
                entry: Entry | None = self.near.get(key)
                if entry is None:
                    entry = cache.get(key)
                    if entry is not None:
                        self.near.set(key, entry, page_cache.PAGE_SECONDS)
            except DatabaseError:
                entry = None  # the view's way reports it
            if entry is not None:
                return self._answer(request, entry)
        response = self.get_response(request)
        kept = getattr(response, "tidings_shared_page", None)
        if kept is not None:
            self._keep(request, response, *kept)
        return response

    def _answer(self, request: HttpRequest, entry: Entry) -> HttpResponseBase:
        self.csrf.process_request(request)
        etag = _etag(entry["digest"], request) if request.META.get("CSRF_COOKIE") else None
        answer: HttpResponseBase
        if etag is not None and etag in request.headers.get("If-None-Match", ""):
            answer = HttpResponseNotModified()
            answer["ETag"] = etag
            return answer
        token = get_token(request).encode()
        answer = HttpResponse(token.join(entry["parts"]))
        for name, value in entry["headers"]:
            answer[name] = value
        answer["Content-Length"] = str(len(answer.content))
        answer["ETag"] = _etag(entry["digest"], request)
        return self.csrf.process_response(request, answer)  # type: ignore[no-any-return]

    def _keep(self, request: HttpRequest, response: HttpResponseBase, key: str, body: bytes) -> None:
        if len(self.known) >= KNOWN_PATHS_LIMIT:
            self.known.clear()
        self.known.add(request.path)
        if response.status_code != 200:
            return
        digest = hashlib.blake2b(body, digest_size=12).hexdigest()
        headers = [(name, value) for name, value in response.items() if name.lower() not in _SKIPPED_HEADERS]
        entry: Entry = {"parts": body.split(page_cache.PLACEHOLDER), "headers": headers, "digest": digest}
        cache.add(key + ":whole", entry, page_cache.PAGE_SECONDS)
        self.near.set(key + ":whole", entry, page_cache.PAGE_SECONDS)
        if request.META.get("CSRF_COOKIE"):
            response["ETag"] = _etag(digest, request)
