"""The Fever API (`/fever/?api`), for apps that speak it: groups are folders, feeds the followed sources.

Every answer is JSON with `api_version` 3 and `auth` (0 with HTTP 200 for a missing or wrong key, as the
protocol has it). Reads are selected by a query argument (groups, feeds, items, …), writes by `mark`.
"""

from __future__ import annotations

import logging
import zlib
from datetime import UTC, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from tidings.api.fever.keys import user_for_fever_key
from tidings.api.greader.render import body_html
from tidings.api.greader.streams import subscriptions
from tidings.articles.models import Article, ArticleQuerySet
from tidings.personalization import reading_state
from tidings.personalization.models import Profile
from tidings.personalization.services import profile_for_user

log = logging.getLogger(__name__)

API_VERSION = 3
ITEMS_PER_PAGE = 50
MAX_ID = 2**63 - 1


def group_id(folder: str) -> int:
    """A stable positive id for a folder name (Fever groups have integer ids; Tidings folders are names)."""
    return zlib.crc32(folder.encode()) & 0x7FFFFFFF or 1


def number(value: str | None) -> int | None:
    """A non-negative integer argument, or None for anything else (missing, negative, junk, too large)."""
    text = (value or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 19 else None


def id_list(value: str | None, most: int = ITEMS_PER_PAGE) -> list[int]:
    parts = (value or "").split(",")[:most]
    return [n for n in map(number, parts) if n]


def answer(body: dict[str, Any] | None = None, *, auth: bool = True) -> JsonResponse:
    payload: dict[str, Any] = {"api_version": API_VERSION, "auth": int(auth)}
    if auth:
        payload["last_refreshed_on_time"] = int(timezone.now().timestamp())
    payload.update(body or {})
    response = JsonResponse(payload)
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt  # apps post api_key, never a cookie
def fever(request: HttpRequest) -> HttpResponse:
    if request.method not in ("GET", "POST"):
        response = HttpResponse(status=405)
        response["Allow"] = "GET, POST"
        return response
    params = request.GET.copy()
    if request.method == "POST":
        params.update(request.POST)
    user = user_for_fever_key(params.get("api_key", ""))
    if user is None:
        return answer(auth=False)
    profile = profile_for_user(user)
    if "mark" in params:
        target = number(params.get("id"))
        if target is not None:  # no or a bad id: nothing to mark (never "everything")
            write(profile, params.get("mark", ""), params.get("as", ""), target, number(params.get("before")))
        return answer()
    for name, read in READS.items():
        if name in params:
            return answer(read(profile, params))
    return answer()


def _groups(profile: Profile) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    members: dict[str, list[int]] = {}
    for source_id, folder in reading_state.followed_sources(profile).values_list("pk", "folder"):
        if folder:
            members.setdefault(folder, []).append(source_id)
    groups = [{"id": group_id(name), "title": name} for name in sorted(members)]
    feeds_groups = [
        {"group_id": group_id(name), "feed_ids": ",".join(map(str, ids))} for name, ids in sorted(members.items())
    ]
    return groups, feeds_groups


def read_groups(profile: Profile, params: Any) -> dict[str, Any]:
    groups, feeds_groups = _groups(profile)
    return {"groups": groups, "feeds_groups": feeds_groups}


def read_feeds(profile: Profile, params: Any) -> dict[str, Any]:
    feeds = [
        {
            "id": int(sub.stream_id.removeprefix("feed/")),
            "favicon_id": 0,
            "title": sub.title,
            "url": sub.feed_url or "",
            "site_url": sub.site_url,
            "is_spark": 0,
            "last_updated_on_time": int(sub.first_item.timestamp()) if sub.first_item else 0,
        }
        for sub in subscriptions(profile, profile.user)
    ]
    return {"feeds": feeds, "feeds_groups": _groups(profile)[1]}


def read_items(profile: Profile, params: Any) -> dict[str, Any]:
    articles = reading_state.reading_list(profile)
    total = articles.count()
    if "with_ids" in params:
        chosen: ArticleQuerySet = Article.objects.filter(pk__in=id_list(params.get("with_ids"))).order_by("pk")
    elif since_id := number(params.get("since_id")):
        chosen = articles.filter(pk__gt=since_id).order_by("pk")
    elif max_id := number(params.get("max_id")):
        chosen = articles.filter(pk__lt=max_id).order_by("-pk")
    else:
        chosen = articles.order_by("-pk")
    page = list(chosen.select_related("source")[:ITEMS_PER_PAGE])
    states = reading_state.states_of(profile, [a.pk for a in page])
    items = []
    for article in page:
        read, saved = states.get(article.pk, (False, False))
        items.append(
            {
                "id": article.pk,
                "feed_id": article.source_id,
                "title": article.headline,
                "author": article.author,
                "html": body_html(article.body_html, article.standfirst, article.paragraphs),
                "url": article.url,
                "is_saved": int(saved),
                "is_read": int(read),
                "created_on_time": int(article.published_at.timestamp()),
            }
        )
    return {"items": items, "total_items": total}


def read_unread_ids(profile: Profile, params: Any) -> dict[str, Any]:
    ids = reading_state.unread(reading_state.reading_list(profile), profile).order_by("pk").values_list("pk", flat=True)
    return {"unread_item_ids": ",".join(map(str, ids))}


def read_saved_ids(profile: Profile, params: Any) -> dict[str, Any]:
    ids = reading_state.starred_article_ids(profile).order_by("article_id")
    return {"saved_item_ids": ",".join(map(str, ids))}


READS = {
    "groups": read_groups,
    "feeds": read_feeds,
    "favicons": lambda profile, params: {"favicons": []},
    "links": lambda profile, params: {"links": []},
    "unread_item_ids": read_unread_ids,
    "saved_item_ids": read_saved_ids,
    "items": read_items,
}


def write(profile: Profile, mark: str, as_: str, target: int, before: int | None) -> None:
    """mark=item (as read, unread, saved, unsaved), or mark=feed/group as read for items published before `before`
    (without `before`: all of them; group 0 is every followed source).

    Unknown marks and ids change nothing (Fever apps expect the base answer either way)."""
    now = timezone.now()
    if mark == "item" and target > 0:
        action = {
            "read": lambda: reading_state.mark_read(profile, [target], now),
            "unread": lambda: reading_state.mark_unread(profile, [target]),
            "saved": lambda: reading_state.star(profile, [target], now),
            "unsaved": lambda: reading_state.unstar(profile, [target]),
        }.get(as_)
        if action is not None:
            action()
        return
    if as_ != "read" or mark not in ("feed", "group"):
        return
    articles = reading_state.reading_list(profile)
    if mark == "feed":
        articles = Article.objects.visible().filter(source_id=target)
    elif target > 0:  # group 0 is everything ("Kindling")
        folders = {group_id(f): f for f in reading_state.followed_sources(profile).values_list("folder", flat=True)}
        if target not in folders:
            return
        articles = articles.filter(source__folder=folders[target])
    if before is not None:
        articles = articles.filter(published_at__lt=datetime.fromtimestamp(min(before, 2**33), tz=UTC))
    reading_state.mark_all_read(profile, articles, now)
