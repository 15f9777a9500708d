"""/api/me reading activity: an article's read/saved state, and logging interactions (token or session auth).

The same service calls as the web pages (personalization.feedback), so a reader app's opens, reading time and
saves teach My News what the site's pages do. A program's requests are explicit, so `DNT` is not consulted here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from tidings.api.auth import user_auth
from tidings.api.errors import NotFound
from tidings.api.params import MAX_ID
from tidings.api.schemas import Error
from tidings.articles.models import Article
from tidings.lib.errors import InvalidInput
from tidings.personalization.feedback import (
    log_impressions,
    log_open,
    log_reading_time,
    log_share,
    set_read,
    set_saved,
)
from tidings.personalization.models import ArticleState
from tidings.personalization.services import profile_for_user

router = Router(tags=["me"], auth=user_auth)

AUTH_RESPONSES = {401: Error, 403: Error}
LOGGED_KINDS = ("impression", "open", "read", "save", "share")


class ArticleStateOut(Schema):
    article_id: int
    read: bool
    read_at: datetime | None
    saved: bool
    saved_at: datetime | None


class ArticleStateIn(Schema):
    read: bool | None = Field(None, description="true marks the article read, false unread; absent: unchanged")
    saved: bool | None = Field(None, description="true saves the article, false unsaves it; absent: unchanged")


class InteractionIn(Schema):
    kind: str = Field(..., max_length=32, description=f"one of {', '.join(LOGGED_KINDS)}")
    article_id: int = Field(..., description="The article it concerns")
    value: float | None = Field(None, description="For 'read': seconds the article was read (0 to 3600 kept)")


class InteractionOut(Schema):
    kind: str
    article_id: int
    logged: bool  # false for reading time too short to count (under 2 s in a new sitting)


def _article(article_id: int) -> Article:
    article = Article.objects.filter(pk=article_id).first() if 1 <= article_id <= MAX_ID else None
    if article is None:
        raise NotFound(f"no article {article_id}")
    return article


def _state_out(article_id: int, state: ArticleState | None) -> dict[str, Any]:
    read_at = state.read_at if state else None
    saved_at = state.saved_at if state else None
    return {
        "article_id": article_id,
        "read": read_at is not None,
        "read_at": read_at,
        "saved": saved_at is not None,
        "saved_at": saved_at,
    }


@router.get(
    "/me/articles/{article_id}/state",
    response={200: ArticleStateOut, 404: Error, 422: Error, **AUTH_RESPONSES},
    summary="Whether I read or saved an article",
)
def get_state(request: HttpRequest, article_id: int) -> dict[str, Any]:
    article = _article(article_id)
    profile = profile_for_user(request.auth)  # type: ignore[attr-defined]
    return _state_out(article.pk, ArticleState.objects.filter(profile=profile, article=article).first())


@router.put(
    "/me/articles/{article_id}/state",
    response={200: ArticleStateOut, 400: Error, 404: Error, 422: Error, **AUTH_RESPONSES},
    summary="Mark an article read or unread, saved or unsaved",
)
def put_state(request: HttpRequest, article_id: int, payload: ArticleStateIn) -> dict[str, Any]:
    if payload.read is None and payload.saved is None:
        raise InvalidInput('give "read", "saved" or both (true or false)')
    article = _article(article_id)
    profile = profile_for_user(request.auth)  # type: ignore[attr-defined]
    state = None
    if payload.read is not None:
        state = set_read(profile, article, payload.read)
    if payload.saved is not None:
        state = set_saved(profile, article, payload.saved)
    return _state_out(article.pk, ArticleState.objects.filter(pk=state.pk).first() if state else None)


@router.post(
    "/me/interactions",
    response={201: InteractionOut, 400: Error, 404: Error, 422: Error, **AUTH_RESPONSES},
    summary="Log something I did with an article (opened, read for N seconds, saved, shared, was shown)",
)
def post_interaction(request: HttpRequest, payload: InteractionIn) -> Status[dict[str, Any]]:
    kind = payload.kind
    if kind not in LOGGED_KINDS:
        explicit = kind in {"more", "less", "hide"}
        hint = " (more, less and hide are set from My interests and the cards)" if explicit else ""
        raise InvalidInput(f"kind {kind!r} cannot be logged here: use one of {', '.join(LOGGED_KINDS)}{hint}")
    if kind == "read" and payload.value is None:
        raise InvalidInput('a "read" needs "value": the seconds the article was read')
    if kind != "read" and payload.value is not None:
        raise InvalidInput(f'"value" is only for "read" (seconds); a {kind!r} has none')
    article = _article(payload.article_id)
    profile = profile_for_user(request.auth)  # type: ignore[attr-defined]
    logged = True
    if kind == "impression":
        logged = log_impressions(profile, [article.pk]) > 0
    elif kind == "open":
        log_open(profile, article)
    elif kind == "read":
        assert payload.value is not None
        logged = log_reading_time(profile, article, payload.value)
    elif kind == "save":
        set_saved(profile, article, True)
    else:
        log_share(profile, article)
    return Status(201, {"kind": kind, "article_id": article.pk, "logged": logged})
