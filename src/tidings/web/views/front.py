"""Home (top stories for everyone) and My News (what the visitor follows); both show one card per story."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from tidings.articles.models import Article
from tidings.personalization.my_news import articles_in_order, load_my_news
from tidings.personalization.services import profile_for_request
from tidings.stories.collapse import one_per_story
from tidings.web.catalog import trending_topics
from tidings.web.listing import cards_for, follow_states_for, paginate
from tidings.web.tracking import note_impressions

HOME_TRENDING = 12


def home(request: HttpRequest) -> HttpResponse:
    page = paginate(request, one_per_story(Article.objects.visible()).newest_first().for_listing())
    return render(
        request,
        "web/home.html",
        {
            "page": page,
            "cards": note_impressions(request, cards_for(page.object_list)),
            "trending": trending_topics(timezone.now(), limit=HOME_TRENDING) if page.number == 1 else [],
            "follow_states": follow_states_for(request),
        },
    )


def my_news(request: HttpRequest) -> HttpResponse:
    profile = profile_for_request(request, create=False)
    news = load_my_news(profile, timezone.now())
    page = paginate(request, news.article_ids)
    return render(
        request,
        "web/my_news.html",
        {
            "page": page,
            "cards": note_impressions(request, cards_for(articles_in_order(list(page.object_list)))),
            "follow_states": news.following.states,
            "following": news.following,
        },
    )
