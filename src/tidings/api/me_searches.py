"""/api/me saved searches and muted words (token or session auth); another user's are never listed nor found."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status

from tidings.api.articles import article_summaries
from tidings.api.auth import user_auth
from tidings.api.errors import NotFound
from tidings.api.pagination import paginate
from tidings.api.schemas import ArticlePage, Error, PageParams, RequiredText, Text
from tidings.lib.counting import capped_count
from tidings.lib.errors import InvalidInput
from tidings.personalization.keyword_mute_service import add_keyword_mute, keyword_mutes, remove_keyword_mute
from tidings.personalization.models import KeywordMute
from tidings.personalization.services import profile_for_user
from tidings.searches.models import SavedSearch
from tidings.searches.request import parse_search
from tidings.searches.saved import delete_saved, matches, owned, save_search, saved_searches

router = Router(tags=["me"], auth=user_auth)
AUTH_RESPONSES = {401: Error, 403: Error}


class MutedWordIn(Schema):
    pattern: RequiredText = Field(..., description="A word or phrase (whole words, any case) or a regular expression")
    is_regex: bool = False


class MutedWordOut(Schema):
    id: int
    pattern: str
    is_regex: bool
    created_at: datetime


class SavedSearchIn(Schema):
    name: RequiredText
    q: Text = ""
    source: Text = ""
    category: Text = ""
    topic: Text = ""
    speaker: Text = ""
    date_from: Text = Field("", alias="from")
    date_to: Text = Field("", alias="to")


class SavedSearchOut(Schema):
    id: int
    name: str
    params: dict[str, str]
    url: str
    articles_url: str
    feeds: dict[str, str]
    created_at: datetime


def _mute_out(mute: KeywordMute) -> dict[str, Any]:
    return {"id": mute.pk, "pattern": mute.pattern, "is_regex": mute.is_regex, "created_at": mute.created_at}


def _saved_out(request: HttpRequest, saved: SavedSearch) -> dict[str, Any]:
    return {
        "id": saved.pk,
        "name": saved.name,
        "params": saved.params,
        "url": request.build_absolute_uri(saved.get_absolute_url()),
        "articles_url": request.build_absolute_uri(reverse("api:saved_search_articles", args=[saved.pk])),
        "feeds": {
            fmt: request.build_absolute_uri(
                reverse("feeds:public", kwargs={"kind": "search", "key": saved.feed_token, "fmt": fmt})
            )
            for fmt in ("rss", "atom", "json")
        },
        "created_at": saved.created_at,
    }


@router.get("/me/muted-words", response={200: list[MutedWordOut], **AUTH_RESPONSES}, summary="My muted words")
def list_muted_words(request: HttpRequest) -> list[dict[str, Any]]:
    return [_mute_out(m) for m in keyword_mutes(profile_for_user(request.auth))]  # type: ignore[attr-defined]


@router.post(
    "/me/muted-words",
    response={200: MutedWordOut, 400: Error, 422: Error, **AUTH_RESPONSES},
    summary="Mute a word or regular expression",
)
def add_muted_word(request: HttpRequest, payload: MutedWordIn) -> dict[str, Any]:
    profile = profile_for_user(request.auth)  # type: ignore[attr-defined]
    return _mute_out(add_keyword_mute(profile, payload.pattern, payload.is_regex))


@router.delete(
    "/me/muted-words/{mute_id}",
    response={204: None, 404: Error, 422: Error, **AUTH_RESPONSES},
    summary="Unmute a word",
)
def delete_muted_word(request: HttpRequest, mute_id: int) -> Status[None]:
    if not (1 <= mute_id <= 2**31 - 1) or not remove_keyword_mute(profile_for_user(request.auth), mute_id):  # type: ignore[attr-defined]
        raise NotFound(f"you mute no word with id {mute_id}")
    return Status(204, None)


@router.get("/me/saved-searches", response={200: list[SavedSearchOut], **AUTH_RESPONSES}, summary="My saved searches")
def list_saved_searches(request: HttpRequest) -> list[dict[str, Any]]:
    return [_saved_out(request, s) for s in saved_searches(profile_for_user(request.auth))]  # type: ignore[attr-defined]


@router.post(
    "/me/saved-searches",
    response={200: SavedSearchOut, 400: Error, 422: Error, **AUTH_RESPONSES},
    summary="Save a search (words and filters) under a name",
)
def add_saved_search(request: HttpRequest, payload: SavedSearchIn) -> dict[str, Any]:
    params = payload.dict(by_alias=True)
    name = params.pop("name")
    wanted, problems = parse_search(params)
    if problems:
        raise InvalidInput("; ".join(problems))
    saved = save_search(profile_for_user(request.auth), name, wanted)  # type: ignore[attr-defined]
    return _saved_out(request, saved)


def _owned_or_404(request: HttpRequest, saved_id: int) -> SavedSearch:
    found = owned(profile_for_user(request.auth), saved_id) if 1 <= saved_id <= 2**31 - 1 else None  # type: ignore[attr-defined]
    if found is None:
        raise NotFound(f"you have no saved search {saved_id}")
    return found


@router.delete(
    "/me/saved-searches/{saved_id}",
    response={204: None, 404: Error, 422: Error, **AUTH_RESPONSES},
    summary="Delete a saved search",
)
def delete_saved_search(request: HttpRequest, saved_id: int) -> Status[None]:
    found = _owned_or_404(request, saved_id)
    delete_saved(found.profile, found.pk)
    return Status(204, None)


@router.get(
    "/me/saved-searches/{saved_id}/articles",
    response={200: ArticlePage, 404: Error, 422: Error, **AUTH_RESPONSES},
    summary="A saved search's articles, newest first",
    url_name="saved_search_articles",
)
def saved_search_articles(request: HttpRequest, saved_id: int, page: Query[PageParams]) -> dict[str, Any]:
    found = _owned_or_404(request, saved_id)
    articles = matches(found).for_listing()
    count, exact = capped_count(articles)
    result = paginate(request, articles, page.limit, page.offset, count=count)
    result["count_exact"] = exact
    result["items"] = article_summaries(result["items"])
    return result
