"""A reader's own page (My News) kept for a while: asked again unchanged, it is sent again without being made.

A reader who reloads My News, or comes back to it, sees the page made for them last time as long as nothing it
is made from has changed. The key holds:
  - the reader: profile and account, and a version every change they make through the site moves on (any
    POST, PUT, PATCH or DELETE from their session: ReaderChangeMiddleware);
  - their state as stored, read in one query (reader_state: follows and mutes with their weights, read, saved
    and hidden articles, hidden stories, learned interests, muted words, the profile's own stamps), so a change
    made elsewhere (an import task, the API, the interests learner) shows at once too;
  - the corpus: personalization.candidates.pools_generation (the newest article, story link and listing row,
    and the SHARED_POOLS_SECONDS bucket), so a new article shows within NEWEST_IDS_SECONDS, as for the ranked
    list it holds;
  - the request: address, query, theme cookie, htmx, and whether the browser refuses tracking.
A page is kept for SHARED_POOLS_SECONDS (the ranked list's own lifetime), never longer than the impressions'
repeat window: a kept page's cards were logged as seen when it was made, and logging them again within the
window would be skipped anyway, so sending it again logs nothing that making it would have.
Not watched: an article or a name edited in place (a corrected headline, a renamed topic), a duplicate mark or a
story merge; they show when the kept page ages out, within SHARED_POOLS_SECONDS, as in the ranked list itself.
Not kept: a page with a message or an undo waiting (they show once), a page that set a cookie.

The kept copy has a placeholder for the CSRF token, each request's own token goes in its place. ETag: the
page's digest with the session's CSRF secret; If-None-Match with it gets a 304.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.session import SessionStorage
from django.core.cache import cache
from django.db import connections, router
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.http.response import HttpResponseBase
from django.middleware.csrf import get_token
from django.utils import timezone

from tidings.lib.errors import InvalidInput
from tidings.personalization.candidates import pools_generation
from tidings.personalization.feedback import IMPRESSION_REPEAT_WINDOW, tracking_refused
from tidings.personalization.models import ArticleState, Follow, HiddenStory, Interest, KeywordMute, Profile
from tidings.personalization.services import profile_for_request
from tidings.web.near_cache import NearCache
from tidings.web.page_cache import PLACEHOLDER, TOKEN
from tidings.web.reader_lists import UNDO_KEY
from tidings.web.theme import THEME_COOKIE

View = Callable[..., HttpResponseBase]
_UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
NEAR = NearCache(64)  # the process's own copies of the readers' kept pages it served last (web.near_cache)

# Per table: what changes when a row of the reader's is added, removed or changed in a way the page shows.
_WATCHED: list[tuple[type[Any], list[str]]] = [
    (Follow, ["COUNT(*)", "MAX(id)", "SUM(id * (weight + 2))", "SUM(CASE WHEN action = 'follow' THEN id ELSE 0 END)"]),
    (
        ArticleState,
        [
            "COUNT(*)",
            "MAX(id)",
            "MAX(read_at)",
            "SUM(CASE WHEN read_at IS NULL THEN 0 ELSE id END)",
            "MAX(saved_at)",
            "SUM(CASE WHEN saved_at IS NULL THEN 0 ELSE id END)",
            "MAX(hidden_at)",
            "SUM(CASE WHEN hidden_at IS NULL THEN 0 ELSE id END)",
        ],
    ),
    (HiddenStory, ["COUNT(*)", "MAX(id)", "SUM(story_id)"]),
    (Interest, ["COUNT(*)", "MAX(id)", "MAX(updated_at)"]),
    (KeywordMute, ["COUNT(*)", "MAX(id)", "SUM(id)"]),
]


def _joined(parts: list[str]) -> str:
    return " || ':' || ".join(f"COALESCE(CAST({part} AS TEXT), '-')" for part in parts)


def state_columns() -> list[str]:
    """reader_state()'s scalar subqueries, each taking the profile id as its one parameter (the last one: the
    profile's own stamps, ending in its user id, '-' for none; NULL when there is no such profile)."""
    columns = [
        f"(SELECT {_joined(parts)} FROM {model._meta.db_table} WHERE profile_id = %s)"  # noqa: S608 (model tables)
        for model, parts in _WATCHED
    ]
    profile = _joined(["interests_updated_at", "onboarded_at", "user_id"])
    return [*columns, f"(SELECT {profile} FROM {Profile._meta.db_table} WHERE id = %s)"]  # noqa: S608


def reader_state(profile_id: int) -> tuple[Any, ...]:
    """The reader's stored state as a few aggregates per table, in one query (each an index range of theirs)."""
    columns = state_columns()
    with connections[router.db_for_read(Profile)].cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)}", [profile_id] * len(columns))
        return tuple(cursor.fetchone())


def _version_key(profile_id: int) -> str:
    return f"tidings:reader-version:{profile_id}"


def note_change(profile_id: int) -> None:
    """Move the reader's version on: their kept pages are not sent again."""
    key = _version_key(profile_id)
    if not cache.add(key, 1, None):
        try:
            cache.incr(key)
        except ValueError:  # evicted between add and incr
            cache.set(key, 1, None)


def _waiting(request: HttpRequest) -> bool:
    """A message or an undo is waiting: the page shows it once, so it is made afresh."""
    session = getattr(request, "session", None)
    in_session = session is not None and (UNDO_KEY in session or SessionStorage.session_key in session)
    return in_session or bool(request.COOKIES.get(CookieStorage.cookie_name))


def keep_seconds() -> int:
    return min(settings.SHARED_POOLS_SECONDS, int(IMPRESSION_REPEAT_WINDOW.total_seconds()))


def _profile_id(request: HttpRequest) -> int | None:
    """The request's profile id: a signed-in reader's profile, or the one the session names (reader_state then
    checks that it still exists and belongs to no account, as personalization.services does)."""
    if request.user.is_authenticated:
        profile = profile_for_request(request, create=False)
        return profile.pk if profile is not None else None
    found = request.session.get("profile_id")
    return found if isinstance(found, int) else None


def _key(request: HttpRequest, profile_id: int, generation: str) -> str | None:
    """The kept page's key, or None when the page is not kept (the session names a profile it would not get)."""
    state = reader_state(profile_id)
    if not state_fits(state, request.user.pk if request.user.is_authenticated else None):
        return None  # no such profile, or one that belongs to an account: the view decides
    return page_key(request, request.user.pk, profile_id, generation, state)


def state_fits(state: tuple[Any, ...], user_id: int | None) -> bool:
    """Whether the reader_state() read is of a profile this reader gets: the signed-in user's own (the view
    reads it by user), or for a session reader one that exists and belongs to no account."""
    stamps = state[-1]
    if stamps is None:
        return False
    return user_id is not None or str(stamps).endswith(":-")


def page_key(
    request: HttpRequest, user_pk: int | None, profile_id: int, generation: str, state: tuple[Any, ...]
) -> str:
    """The kept page's key: the request's own parts, the reader, their version, the generation and state."""
    parts = [
        request.path,
        request.GET.urlencode(),
        request.COOKIES.get(THEME_COOKIE, ""),
        request.headers.get("HX-Request", ""),
        str(tracking_refused(request.headers)),
        str(user_pk),
        str(cache.get(_version_key(profile_id), 0)),
        generation,
        *map(str, state),
    ]
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return f"tidings:reader-page:{profile_id}:{digest}"


def etag(digest: str, request: HttpRequest) -> str:
    secret = request.META.get("CSRF_COOKIE", "")
    return f'W/"{digest}-{hashlib.blake2b(secret.encode(), digest_size=8).hexdigest()}"'


def kept_page(key: str, seconds: int) -> dict[str, Any] | None:
    """The page kept under this key: this process's copy, else the shared cache's (then copied here)."""
    kept: dict[str, Any] | None = NEAR.get(key)
    if kept is None:
        kept = cache.get(key)
        if kept is not None:
            NEAR.set(key, kept, seconds)
    return kept


def kept_for_reader(view: View) -> View:
    """The view, with the page it makes for a reader kept until anything it is made from changes."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        seconds = keep_seconds()
        profile_id = _profile_id(request) if request.method == "GET" else None
        generation = pools_generation(timezone.now()) if profile_id is not None and seconds > 0 else None
        key = (
            None
            if profile_id is None or generation is None or _waiting(request)
            else _key(request, profile_id, generation)
        )
        if key is None:
            return view(request, *args, **kwargs)
        request.tidings_pools_generation = generation  # type: ignore[attr-defined]  # the view need not read it again
        kept = kept_page(key, seconds)
        if kept is not None:
            answer = _answer(request, kept)
            answer.tidings_reader_page = profile_id  # type: ignore[attr-defined]  # web.reader_sessions
            return answer
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponse) and response.status_code == 200 and not response.cookies:
            body = response.content
            found = TOKEN.search(body)
            if found is not None:
                body = body.replace(found.group(1), PLACEHOLDER)
            digest = hashlib.blake2b(body, digest_size=12).hexdigest()
            parts = body.split(PLACEHOLDER)
            kept = {"parts": parts, "type": response["Content-Type"], "digest": digest}
            cache.set(key, kept, seconds)
            NEAR.set(key, kept, seconds)
            response["ETag"] = etag(digest, request)
            response.tidings_reader_page = profile_id  # type: ignore[attr-defined]  # web.reader_sessions
        return response

    return wrapped


def _answer(request: HttpRequest, kept: dict[str, Any]) -> HttpResponseBase:
    token = get_token(request)  # the session's secret (a new one when it had none), masked
    tag = etag(kept["digest"], request)
    if tag in request.headers.get("If-None-Match", ""):
        answer: HttpResponseBase = HttpResponseNotModified()
    else:
        answer = HttpResponse(token.encode().join(kept["parts"]), content_type=kept["type"])
    answer["ETag"] = tag
    return answer


class ReaderChangeMiddleware:
    """After a POST, PUT, PATCH or DELETE from a reader with a profile: their version moves on (note_change)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if request.method in _UNSAFE and hasattr(request, "session"):
            try:
                profile = profile_for_request(request, create=False)
            except InvalidInput:  # the request deleted its own account (DELETE /api/me): no profile is left
                return response
            if profile is not None:
                note_change(profile.pk)
        return response
