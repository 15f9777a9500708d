"""Whole pages kept for a few seconds for the visitors who all see the same page.

A visitor with no session, not signed in, asking a plain GET sees what every such visitor sees at the same
address (no follows, no read state, no undo): home, Browse, Sources and the category, topic and source lists
are kept for PAGE_SECONDS under a key of the address, the theme cookie, whether htmx asked, and the newest
article, story link and listing row (stories.newest: a new article or link changes the key within
NEWEST_IDS_SECONDS; a duplicate mark or a removed link shows within PAGE_SECONDS). Everyone else gets the page
made for them.

The page holds a CSRF token (the follow and theme forms): the kept copy has a placeholder where the token
was, and each visitor's own token is put back in, so a form posted from a kept page passes the CSRF check.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token

from tidings.stories.newest import newest_ids
from tidings.web.theme import THEME_COOKIE

PAGE_SECONDS = 30
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
PLACEHOLDER = b"tidings-csrf-token-placeholder"

View = Callable[..., HttpResponse]


def same_for_everyone(request: HttpRequest) -> bool:
    """A plain GET from a visitor with no session, no account and no message waiting (the page would show it)."""
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.COOKIES.get(CookieStorage.cookie_name)
        and not request.user.is_authenticated
    )


def page_key(request: HttpRequest) -> str:
    """The kept page's key (web.shared_pages keeps the whole response under it too)."""
    parts = [
        request.path,
        request.GET.urlencode(),
        request.COOKIES.get(THEME_COOKIE, ""),
        request.headers.get("HX-Request", ""),
        *map(str, newest_ids()),
    ]
    return "tidings:page:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def cache_for_everyone(view: View) -> View:
    """The view, with its page kept for PAGE_SECONDS for visitors who all see the same one."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if PAGE_SECONDS <= 0 or not same_for_everyone(request):
            return view(request, *args, **kwargs)
        key = page_key(request)
        kept = cache.get(key)
        if kept is not None:
            content, content_type = kept
            token = get_token(request).encode()
            response = HttpResponse(content.replace(PLACEHOLDER, token), content_type=content_type)
            response.tidings_shared_page = (key, content)  # type: ignore[attr-defined]
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            content = response.content
            found = TOKEN.search(content)
            if found is not None:
                content = content.replace(found.group(1), PLACEHOLDER)
            cache.set(key, (content, response.get("Content-Type", "text/html")), PAGE_SECONDS)
            response.tidings_shared_page = (key, content)  # type: ignore[attr-defined]
        return response

    return wrapped
