"""Home (top stories for everyone) and My News (what the visitor follows)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from tidings.articles.models import Article
from tidings.personalization.feed import Followed
from tidings.personalization.services import followed_ids, profile_for_request
from tidings.web.catalog import trending_topics
from tidings.web.listing import cards_for, follow_states_for, paginate
from tidings.web.my_news import articles_in_order, follow_list, ranked_article_ids

HOME_TRENDING = 12


def home(request: HttpRequest) -> HttpResponse:
    page = paginate(request, Article.objects.visible().newest_first().for_listing())
    return render(
        request,
        "web/home.html",
        {
            "page": page,
            "cards": cards_for(page.object_list),
            "trending": trending_topics(timezone.now(), limit=HOME_TRENDING) if page.number == 1 else [],
            "follow_states": follow_states_for(request),
        },
    )


def my_news(request: HttpRequest) -> HttpResponse:
    profile = profile_for_request(request, create=False)
    states = followed_ids(profile)
    followed = Followed.from_states(states)
    ids = ranked_article_ids(profile, followed, timezone.now()) if profile is not None else []
    page = paginate(request, ids)
    return render(
        request,
        "web/my_news.html",
        {
            "page": page,
            "cards": cards_for(articles_in_order(list(page.object_list))),
            "follow_states": states,
            "following": follow_list(profile),
        },
    )
