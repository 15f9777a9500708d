"""/api/me: the signed-in user's follows and personal feed (token or session auth)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status

from tidings.api.articles import article_summaries
from tidings.api.auth import user_auth
from tidings.api.errors import NotFound
from tidings.api.pagination import next_url
from tidings.api.params import as_id, qcode_or_slug
from tidings.api.schemas import Error, FeedPage, FollowIn, FollowKind, FollowOut, PageParams, Text, WeightIn
from tidings.lib.errors import InvalidInput
from tidings.personalization.models import Follow, FollowAction
from tidings.personalization.my_news import articles_in_order, load_my_news
from tidings.personalization.services import (
    find_follow,
    profile_for_user,
    remove_follow,
    resolve_target,
    set_follow,
    set_weight,
    weight_name,
)
from tidings.sources.models import Source
from tidings.taxonomy.models import Category, Topic

router = Router(tags=["me"], auth=user_auth)

AUTH_RESPONSES = {401: Error, 403: Error}


def find_target(kind: str, key: str) -> Category | Topic | Source:
    """A follow target by id or slug (categories also by qcode); InvalidInput when there is none."""
    if kind == "category":
        category = Category.objects.filter(qcode_or_slug(key)).first()
        if category is None:
            raise InvalidInput(f"no category {key!r}")
        return category
    number = as_id(key)
    if number is None and (not key or key.isdigit()):
        raise InvalidInput(f"no {kind} {key!r}")
    return resolve_target(kind, number if number is not None else key)


def follow_out(follow: Follow) -> dict[str, Any]:
    target: Category | Topic | Source | None = follow.category or follow.topic or follow.source
    assert target is not None, "a follow has exactly one target (follow_exactly_one_target)"
    kind = "category" if follow.category_id else "topic" if follow.topic_id else "source"
    return {
        "kind": kind,
        "id": target.pk,
        "slug": target.slug,
        "name": target.name,
        "action": follow.action,
        "weight": weight_name(follow.weight),
        "created_at": follow.created_at,
    }


@router.get("/me/follows", response={200: list[FollowOut], **AUTH_RESPONSES}, summary="What I follow or mute")
def list_follows(request: HttpRequest) -> list[dict[str, Any]]:
    profile = profile_for_user(request.auth)  # type: ignore[attr-defined]
    follows = Follow.objects.filter(profile=profile).select_related("category", "topic", "source")
    return [follow_out(follow) for follow in follows]


@router.post(
    "/me/follows",
    response={200: FollowOut, 400: Error, 422: Error, **AUTH_RESPONSES},
    summary="Follow or mute a category, topic or source",
)
def add_follow(request: HttpRequest, payload: FollowIn) -> dict[str, Any]:
    key = str(payload.id) if payload.id is not None else payload.slug
    if not key:
        raise InvalidInput("give the id or the slug of what to follow")
    target = find_target(payload.kind, key)
    profile = profile_for_user(request.auth)  # type: ignore[attr-defined]
    follow = set_follow(profile, target, payload.action)
    return follow_out(follow)


@router.delete(
    "/me/follows/{kind}/{key}",
    response={204: None, 400: Error, 404: Error, 422: Error, **AUTH_RESPONSES},
    summary="Stop following or muting",
)
def delete_follow(request: HttpRequest, kind: FollowKind, key: Text) -> Status[None]:
    target = find_target(kind, key)
    profile = profile_for_user(request.auth)  # type: ignore[attr-defined]
    if not remove_follow(profile, target):
        raise NotFound(f"you neither follow nor mute {kind} {key!r}")
    return Status(204, None)


@router.get(
    "/me/follows/{kind}/{key}",
    response={200: FollowOut, 400: Error, 404: Error, 422: Error, **AUTH_RESPONSES},
    summary="One follow or mute, with its weight",
)
def get_follow(request: HttpRequest, kind: FollowKind, key: Text) -> dict[str, Any]:
    target = find_target(kind, key)
    follow = find_follow(profile_for_user(request.auth), target)  # type: ignore[attr-defined]
    if follow is None:
        raise NotFound(f"you neither follow nor mute {kind} {key!r}")
    return follow_out(follow)


@router.put(
    "/me/follows/{kind}/{key}/weight",
    response={200: FollowOut, 400: Error, 404: Error, 422: Error, **AUTH_RESPONSES},
    summary="How much of a followed thing I want: less, normal or more",
)
def put_weight(request: HttpRequest, kind: FollowKind, key: Text, payload: WeightIn) -> dict[str, Any]:
    target = find_target(kind, key)
    profile = profile_for_user(request.auth)  # type: ignore[attr-defined]
    if find_follow(profile, target) is None:
        raise NotFound(f"you do not follow {kind} {key!r}")
    return follow_out(set_weight(profile, target, payload.weight))


@router.delete(
    "/me/mutes/{kind}/{key}",
    response={204: None, 400: Error, 404: Error, 422: Error, **AUTH_RESPONSES},
    summary="Unmute (a follow is left as it is)",
)
def delete_mute(request: HttpRequest, kind: FollowKind, key: Text) -> Status[None]:
    target = find_target(kind, key)
    profile = profile_for_user(request.auth)  # type: ignore[attr-defined]
    follow = find_follow(profile, target)
    if follow is None or follow.action != FollowAction.MUTE:
        raise NotFound(f"you do not mute {kind} {key!r}")
    follow.delete()
    return Status(204, None)


@router.get("/me/feed", response={200: FeedPage, 422: Error, **AUTH_RESPONSES}, summary="My personal feed")
def my_feed(request: HttpRequest, page: Query[PageParams]) -> dict[str, Any]:
    """My News, best first, in the web page's order, each item saying why it is there (personalization.my_news)."""
    profile = profile_for_user(request.auth)  # type: ignore[attr-defined]
    news = load_my_news(profile, timezone.now())
    count = len(news.article_ids)
    ids = news.article_ids[page.offset : page.offset + page.limit]
    why = news.why(ids)
    items = [{**item, "why": why.get(item["id"], "")} for item in article_summaries(articles_in_order(ids))]
    return {"items": items, "count": count, "next": next_url(request, page.limit, page.offset, count)}
