"""Saving, listing and deleting a profile's searches; the matches of one (newest first)."""

from __future__ import annotations

import secrets
from dataclasses import replace

from django.db import IntegrityError, transaction

from tidings.articles.models import ArticleQuerySet
from tidings.lib.errors import InvalidInput
from tidings.personalization.models import Profile
from tidings.searches.filters import filtered, resolve
from tidings.searches.models import SavedSearch
from tidings.searches.request import NEWEST, SearchRequest, parse_search

MAX_SAVED = 50
MAX_NAME = 100


def saved_searches(profile: Profile | None) -> list[SavedSearch]:
    """The profile's saved searches by name; none for nobody."""
    if profile is None:
        return []
    return list(SavedSearch.objects.filter(profile=profile))


def save_search(profile: Profile, name: str, request: SearchRequest) -> SavedSearch:
    """Save `request` (its sort left out: a saved search lists newest first) under `name`; InvalidInput when
    the name is empty, too long or taken, the search is empty, or the profile has MAX_SAVED already."""
    name = " ".join(name.split())
    if not name:
        raise InvalidInput("give the search a name")
    if len(name) > MAX_NAME:
        raise InvalidInput(f"a saved search's name is at most {MAX_NAME} characters")
    if request.is_empty:
        raise InvalidInput("there is nothing to save: type words or choose a filter first")
    if SavedSearch.objects.filter(profile=profile).count() >= MAX_SAVED:
        raise InvalidInput(f"you have {MAX_SAVED} saved searches, the most there can be; delete one first")
    params = replace(request, sort="").params()
    try:
        with transaction.atomic():
            return SavedSearch.objects.create(
                profile=profile, name=name, params=params, feed_token=secrets.token_urlsafe(24)
            )
    except IntegrityError:
        raise InvalidInput(f"you already have a saved search called “{name}”") from None


def owned(profile: Profile | None, saved_id: int) -> SavedSearch | None:
    """The saved search with this id if it is the profile's (another reader's is None, as a missing one)."""
    if profile is None:
        return None
    return SavedSearch.objects.filter(profile=profile, pk=saved_id).first()


def delete_saved(profile: Profile | None, saved_id: int) -> bool:
    if profile is None:
        return False
    deleted, _ = SavedSearch.objects.filter(profile=profile, pk=saved_id).delete()
    return deleted > 0


def search_request(saved: SavedSearch) -> SearchRequest:
    """The stored parameters read back as a search, newest first."""
    request, _ = parse_search({k: str(v) for k, v in (saved.params or {}).items()})
    return replace(request, sort=NEWEST)


def matches(saved: SavedSearch) -> ArticleQuerySet:
    """The saved search's articles, newest first (a key that no longer names anything is dropped)."""
    return filtered(resolve(search_request(saved)))
