"""Home (top stories for everyone) and My News (what the visitor follows); both are ranked lists of one card per
story, each card saying why it is there (personalization.my_news)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from tidings.personalization.my_news import FollowList, articles_in_order, load_my_news, load_top_stories
from tidings.personalization.services import profile_for_request
from tidings.web.catalog import trending_topics
from tidings.web.listing import cards_for, paginate
from tidings.web.page_cache import cache_for_everyone
from tidings.web.reader_lists import list_state, unread_ids
from tidings.web.reader_pages import kept_for_reader
from tidings.web.tracking import note_impressions

HOME_TRENDING = 12
SIDE_PANEL_FOLLOWS = 12  # follows (and mutes) My News' side panel lists, newest first; My interests lists all


@cache_for_everyone
def home(request: HttpRequest) -> HttpResponse:
    """Top stories: one card per story, ranked by coverage and freshness (minus the visitor's mutes and hides)."""
    now = timezone.now()
    profile = profile_for_request(request, create=False)
    top = load_top_stories(profile, now)
    page = paginate(request, unread_ids(request, profile, top.article_ids))
    ids = list(page.object_list)
    cards = note_impressions(request, cards_for(articles_in_order(ids, for_cards=True), why=top.why(ids)))
    return render(
        request,
        "web/home.html",
        {
            "page": page,
            "cards": cards,
            "trending": trending_topics(now, limit=HOME_TRENDING) if page.number == 1 else [],
            "follow_states": top.following.states,
            "unread_switch": True,
            **list_state(request, profile, cards),
        },
    )


@kept_for_reader
def my_news(request: HttpRequest) -> HttpResponse:
    profile = profile_for_request(request, create=False)
    news = load_my_news(profile, timezone.now(), getattr(request, "tidings_pools_generation", None))
    page = paginate(request, unread_ids(request, profile, news.article_ids))
    ids = list(page.object_list)
    cards = note_impressions(request, cards_for(articles_in_order(ids, for_cards=True), why=news.why(ids)))
    return render(
        request,
        "web/my_news.html",
        {
            "page": page,
            "cards": cards,
            "follow_states": news.following.states,
            "following": news.following,
            **_side_panel(news.following),
            "unread_switch": True,
            **list_state(request, profile, cards),
        },
    )


def _side_panel(following: FollowList) -> dict[str, object]:
    """The side panel's share of the follows and mutes (panel_follows, panel_mutes), newest first, and how many
    more there are (more_follows, more_mutes): the page does not grow with what a reader follows (each listed one
    carries its button)."""
    follows, mutes = following.newest(SIDE_PANEL_FOLLOWS)
    return {
        "panel_follows": follows,
        "more_follows": max(0, len(following.follows) - SIDE_PANEL_FOLLOWS),
        "panel_mutes": mutes,
        "more_mutes": max(0, len(following.mutes) - SIDE_PANEL_FOLLOWS),
    }
