"""Google Reader API views that sign in or change things: ClientLogin, edit-tag, mark-all-as-read, subscriptions."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth import authenticate, get_user_model
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from tidings.accounts import two_factor
from tidings.accounts.tokens import user_for_token
from tidings.api.greader import streams
from tidings.api.greader.auth import issue_reader_token
from tidings.api.greader.endpoint import Caller, json, reader_endpoint, text, values_of
from tidings.api.greader.ids import StreamKind, feed, parse_stream, parse_time, tag_change
from tidings.api.greader.params import MAX_STREAMS, first
from tidings.api.greader.views import item_ids
from tidings.lib.errors import InvalidInput
from tidings.personalization import reading_state
from tidings.personalization.services import remove_follow, set_follow
from tidings.sources.access import check_can_add, check_can_change, reader_for
from tidings.sources.models import Source
from tidings.sources.services import add_source, find_source_by_url, normalize_source_url

log = logging.getLogger(__name__)

MAX_CREDENTIAL = 500  # characters of Email or Passwd read


@csrf_exempt  # an app posting a password, with no cookie: the throttle guards it
def client_login(request: HttpRequest) -> HttpResponse:
    """`Email` and `Passwd` (username or e-mail address) → `SID=…\\nLSID=…\\nAuth=…`, a new API token.

    Wrong passwords count towards the sign-in throttle (accounts.throttle) like the sign-in page's.
    """
    if request.method not in ("GET", "POST"):
        return text(f"method {request.method} is not allowed here", 405, {"Allow": "GET, POST"})
    values = values_of(request)
    login = (first(values, "Email") or "").strip()[:MAX_CREDENTIAL]
    password = (first(values, "Passwd") or "")[:MAX_CREDENTIAL]
    if not login or not password:
        return text("Error=BadAuthentication\nInfo=Email and Passwd are both needed\n", 401)
    username = _username_for(login)
    # Two-factor sign-in on: an app cannot ask for a code, so it signs in with an API token as the password.
    user = app_password_user(username, password)
    if user is None:
        # axes counts a failure and, once the limit is reached, its middleware answers 429 instead of this view.
        user = authenticate(request, username=username, password=password)
        if user is None or not user.is_active:
            log.info("greader.login_failed address=%s", getattr(request, "axes_ip_address", None))
            return text("Error=BadAuthentication\n", 401)
        if two_factor.is_enabled(user):
            log.info("greader.login_needs_app_password user_id=%s", user.pk)
            return text(f"Error=BadAuthentication\nInfo={TWO_FACTOR_INFO}\n", 401)
    try:
        raw = issue_reader_token(user, (first(values, "source") or "")[:MAX_CREDENTIAL])
    except InvalidInput as err:
        return text(f"Error=BadAuthentication\nInfo={err}\n", 403)
    log.info("greader.login user_id=%s", user.pk)
    if (first(values, "output") or "") == "json":
        return json({"SID": raw, "LSID": raw, "Auth": raw})
    return text(f"SID={raw}\nLSID={raw}\nAuth={raw}\n")


TWO_FACTOR_INFO = "two-factor sign-in is on: use an API token from your account page as the password"


def app_password_user(username: str, password: str) -> Any | None:
    """The user when `password` is one of their API tokens and they have two-factor sign-in on; else None."""
    if not password.startswith("tid_"):
        return None
    user = user_for_token(password)
    if user is None or user.get_username() != username or not two_factor.is_enabled(user):
        return None
    return user


def _username_for(login: str) -> str:
    """Apps call it Email: a username, or the e-mail address of exactly one user."""
    users = get_user_model().objects
    if "@" in login and not users.filter(username=login).exists():
        matches = list(users.filter(email__iexact=login).values_list("username", flat=True)[:2])
        if len(matches) == 1:
            return str(matches[0])
    return login


@reader_endpoint(methods=("POST",), write=True)
def edit_tag(request: HttpRequest, caller: Caller) -> HttpResponse:
    values = values_of(request)
    ids = item_ids(values("i"))
    change = tag_change(
        [parse_stream(v) for v in values("a")[:MAX_STREAMS]], [parse_stream(v) for v in values("r")[:MAX_STREAMS]]
    )
    now = timezone.now()
    if change.read is True:
        reading_state.mark_read(caller.profile, ids, now)
    elif change.read is False:
        reading_state.mark_unread(caller.profile, ids)
    if change.starred is True:
        reading_state.star(caller.profile, ids, now)
    elif change.starred is False:
        reading_state.unstar(caller.profile, ids)
    return text("OK")


@reader_endpoint(methods=("POST",), write=True)
def mark_all_as_read(request: HttpRequest, caller: Caller) -> HttpResponse:
    """Mark a stream's unread articles read; with `ts`, only those fetched up to that time."""
    values = values_of(request)
    raw_stream = first(values, "s")
    if not raw_stream:
        raise InvalidInput("s (the stream id) is missing")
    articles = streams.articles_of(caller.profile, parse_stream(raw_stream))
    ts = first(values, "ts")
    if ts and ts.strip():
        articles = articles.filter(fetched_at__lte=parse_time(ts))
    reading_state.mark_all_read(caller.profile, articles, timezone.now())
    return text("OK")


def _subscribe(caller: Caller, raw_url: str, title: str = "") -> Source:
    """Follow the source at this address, adding it first (within the reader's quota) when there is none."""
    url = normalize_source_url(raw_url.removeprefix("feed/"))
    source = find_source_by_url(url)
    if source is None:
        reader = reader_for(caller.user)
        check_can_add(reader)
        source = add_source(url, title, added_by_id=reader.user_id)
    set_follow(caller.profile, source)
    return source


@reader_endpoint(methods=("POST",), write=True)
def quickadd(request: HttpRequest, caller: Caller) -> HttpResponse:
    raw = first(values_of(request), "quickadd")
    if not raw or not raw.strip():
        raise InvalidInput("quickadd (the feed address) is missing")
    source = _subscribe(caller, raw.strip())
    return json({"numResults": 1, "query": raw.strip(), "streamId": feed(source.pk).id, "streamName": source.name})


@reader_endpoint(methods=("POST",), write=True)
def subscription_edit(request: HttpRequest, caller: Caller) -> HttpResponse:
    """ac=subscribe (s=feed/<address>), unsubscribe (s=feed/<id>), or edit: a rename (t) or a move to a folder
    (a=user/-/label/<name>, r=… to take it out), which changes the source for everyone, so only its owner,
    staff and editors may."""
    values = values_of(request)
    action = (first(values, "ac") or "").strip()
    targets = [parse_stream(v) for v in values("s")[:MAX_STREAMS] if v.strip()]
    if not targets or any(t.kind is not StreamKind.FEED for t in targets):
        raise InvalidInput("s must name one or more feeds (feed/…)")
    title = (first(values, "t") or "").strip()
    if action == "subscribe":
        _subscribe(caller, targets[0].value, title)
    elif action == "unsubscribe":
        for target in targets:
            remove_follow(caller.profile, streams.source_of(caller.profile, target))
    elif action == "edit":
        _edit(caller, streams.source_of(caller.profile, targets[0]), title, values("a"), values("r"))
    else:
        raise InvalidInput("ac must be subscribe, unsubscribe or edit")
    return text("OK")


def _edit(caller: Caller, source: Source, title: str, add: list[str], remove: list[str]) -> None:
    added = [s.value for s in map(parse_stream, add[:MAX_STREAMS]) if s.kind is StreamKind.LABEL]
    removed = [s.value for s in map(parse_stream, remove[:MAX_STREAMS]) if s.kind is StreamKind.LABEL]
    folder = added[-1][:200] if added else ("" if source.folder in removed else source.folder)
    name = " ".join(title.split())[:200] or source.name
    if (folder, name) == (source.folder, source.name):
        return
    check_can_change(reader_for(caller.user), source)
    source.folder, source.name = folder, name
    source.save(update_fields=["folder", "name"])
    log.info("greader.source_edited source=%s user_id=%s", source.pk, caller.user.pk)
