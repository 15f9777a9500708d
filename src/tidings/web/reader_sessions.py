"""A reader's kept page (web.reader_pages) sent early in the middleware chain, as web.shared_pages does for
visitors with no session: a repeat view of My News costs one query and no session decoding, authentication,
messages, two-factor or URL resolving.

When the whole chain answers a reader page that web.reader_pages keeps (made or sent again), this middleware
notes, under a digest of the session cookie, what that answer rested on: the profile and the account (user id),
a digest of the session row's stored data, the account's password hash and active flag, and the headers the
middleware below added (Content-Security-Policy, X-Frame-Options, Vary). The next GET of that address with that
cookie reads in ONE statement the session row (unexpired), the reader's state (web.reader_pages.state_columns),
the corpus generation (stories.newest.newest_ids_sql) and the account's row, and answers with the
kept page only when:
  - the session row still exists, is unexpired and holds exactly the data noted: a sign-out (the row is
    flushed), a revoked or expired session, a sign-in (a new key), a waiting message or undo, or any other
    change to the session falls through to the whole chain;
  - the account's password hash and active flag are those noted (a password change or a deactivated account
    signs the session out in the chain: it falls through), and the profile is still that account's (or, for a
    session reader, still belongs to no account);
  - the kept page's key, made from that state exactly as web.reader_pages makes it (reader version, state,
    generation, address, query, theme, htmx, tracking), finds a kept page.
Anything else, including every error, goes through the whole chain, which notes afresh. Not served early: a
session marked for two-factor (the chain checks the device on every request), a session whose "last seen" is
due to be written (accounts.sessions.touch: the chain writes it), and any engine other than the database
session backend or CSRF kept in the session.
Each answer gets the request's own CSRF token and cookie, as Django's CSRF middleware gives them.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from contextlib import suppress
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import DatabaseError, connections, router
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.http.response import HttpResponseBase
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.utils import timezone

from tidings.accounts.sessions import SEEN_KEY, SEEN_RESOLUTION
from tidings.accounts.two_factor_guard import REQUIRED_KEY
from tidings.personalization.candidates import generation_of
from tidings.personalization.models import Profile
from tidings.stories.newest import newest_ids_sql
from tidings.web.near_cache import NearCache
from tidings.web.reader_pages import etag, keep_seconds, kept_page, page_key, state_columns, state_fits

KNOWN_PATHS_LIMIT = 1_000  # addresses remembered per process (forgotten all at once past this)
NEAR_SESSIONS = 4_096  # notes a process holds itself (a few hundred bytes each)
DB_SESSIONS = "django.contrib.sessions.backends.db"
_SKIPPED_HEADERS = {"set-cookie", "content-length", "etag", "content-type"}

Note = dict[str, Any]  # profile, user, session (digest), account (digest), seen_until, headers
# The process's own: the addresses a reader page was noted at, and the notes it took last (every handler of the
# process shares them, as it shares the cache).
_KNOWN: set[str] = set()
_NEAR = NearCache(NEAR_SESSIONS)


def _digest(value: object) -> str:
    return hashlib.blake2b(str(value).encode(), digest_size=16).hexdigest()


def _note_key(session_key: str) -> str:
    return f"tidings:reader-session:{hashlib.sha256(session_key.encode()).hexdigest()}"


def _account_sql() -> str:
    user = get_user_model()._meta
    password, active = user.get_field("password").column, user.get_field("is_active").column
    return (
        f"(SELECT COALESCE({password}, '') || ':' || CAST({active} AS TEXT) "  # noqa: S608 (model table)
        f"FROM {user.db_table} WHERE {user.pk.column} = %s)"
    )


def _session_sql() -> str:
    return f"(SELECT session_data FROM {Session._meta.db_table} WHERE session_key = %s AND expire_date > %s)"  # noqa: S608


@functools.cache
def _early_sql() -> tuple[str, int]:
    """The early check's one statement (the session row, the reader's state, the newest ids, the account row)
    and how many times it takes the profile id."""
    columns = state_columns()
    return f"SELECT {', '.join([_session_sql(), *columns, *newest_ids_sql(), _account_sql()])}", len(columns)


def _enabled() -> bool:
    return settings.SESSION_ENGINE == DB_SESSIONS and not settings.CSRF_USE_SESSIONS and keep_seconds() > 0


class ReaderSessionMiddleware:
    """Sends a reader's kept page before the rest of the chain runs; notes what it rests on when the chain
    answered one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.csrf = CsrfViewMiddleware(get_response)
        self.known = _KNOWN
        self.near = _NEAR

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        if (
            session_key
            and request.method == "GET"
            and request.path in self.known
            and not request.COOKIES.get(CookieStorage.cookie_name)
            and _enabled()
        ):
            request.get_host()  # the host check CommonMiddleware would make (DisallowedHost: a 400)
            try:
                early = self._early(request, session_key)
            except DatabaseError:
                early = None  # the chain's way reports it
            if early is not None:
                return early
        response = self.get_response(request)
        profile_id = getattr(response, "tidings_reader_page", None)
        if profile_id is not None and session_key and response.status_code == 200 and _enabled():
            with suppress(DatabaseError):  # noted next time
                self._note(request, response, session_key, profile_id)
        return response

    def _early(self, request: HttpRequest, session_key: str) -> HttpResponseBase | None:
        key = _note_key(session_key)
        note: Note | None = self.near.get(key)
        if note is None:
            note = cache.get(key)
            if note is None:
                return None
            self.near.set(key, note, keep_seconds())
        now = timezone.now()
        if note["seen_until"] is not None and now.timestamp() >= note["seen_until"]:
            return None
        user = note["user"]
        sql, profile_params = _early_sql()
        connection = connections[router.db_for_read(Profile)]
        params = [session_key, connection.ops.adapt_datetimefield_value(now), *[note["profile"]] * profile_params, user]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = tuple(cursor.fetchone())
        session, state, newest, account = row[0], row[1:-4], row[-4:-1], row[-1]
        if session is None or _digest(session) != note["session"]:
            return None
        if user is not None and (account is None or _digest(account) != note["account"]):
            return None
        if not state_fits(state, user) or (user is not None and not str(state[-1]).endswith(f":{user}")):
            return None
        generation = generation_of(newest, now)
        kept = kept_page(page_key(request, user, note["profile"], generation, state), keep_seconds())
        if kept is None:
            return None
        return self._answer(request, note, kept)

    def _answer(self, request: HttpRequest, note: Note, kept: dict[str, Any]) -> HttpResponseBase:
        self.csrf.process_request(request)
        token = get_token(request)  # the cookie's secret (a new one when it had none), masked
        tag = etag(kept["digest"], request)
        answer: HttpResponseBase
        if tag in request.headers.get("If-None-Match", ""):
            answer = HttpResponseNotModified()
        else:
            answer = HttpResponse(token.encode().join(kept["parts"]), content_type=kept["type"])
            answer["Content-Length"] = str(len(answer.content))
        for name, value in note["headers"]:
            answer[name] = value
        answer["ETag"] = tag
        return self.csrf.process_response(request, answer)  # type: ignore[no-any-return]

    def _note(self, request: HttpRequest, response: HttpResponseBase, session_key: str, profile_id: int) -> None:
        """What the chain's answer rested on, when the session is the cookie's, unchanged by this request, and not
        one the chain checks more of on every request (two-factor)."""
        session = getattr(request, "session", None)
        if session is None or session.session_key != session_key or session.modified or session.get(REQUIRED_KEY):
            return
        user = getattr(request, "user", None)
        user_id = user.pk if user is not None and user.is_authenticated else None
        seen_until = None
        if user_id is not None:
            seen = session.get(SEEN_KEY)
            seen_until = seen + SEEN_RESOLUTION.total_seconds() if isinstance(seen, int | float) else 0.0
        connection = connections[router.db_for_read(Profile)]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {_session_sql()}, {_account_sql()}", [session_key, _now(connection), user_id])
            stored, account = cursor.fetchone()
        if stored is None:
            return
        if len(self.known) >= KNOWN_PATHS_LIMIT:
            self.known.clear()
        self.known.add(request.path)
        headers = [(name, value) for name, value in response.items() if name.lower() not in _SKIPPED_HEADERS]
        note: Note = {
            "profile": profile_id,
            "user": user_id,
            "session": _digest(stored),
            "account": _digest(account) if user_id is not None else None,
            "seen_until": seen_until,
            "headers": headers,
        }
        key = _note_key(session_key)
        cache.set(key, note, keep_seconds())
        self.near.set(key, note, keep_seconds())


def _now(connection: Any) -> Any:
    return connection.ops.adapt_datetimefield_value(timezone.now())
