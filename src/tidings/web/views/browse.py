"""Browse (category tree and trending topics), a category's page and a topic's page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from tidings.articles.models import Article
from tidings.personalization.keyword_mute_service import hide_keyword_muted, matcher_for
from tidings.personalization.services import profile_for_request
from tidings.stories.collapse import one_per_story
from tidings.taxonomy.models import Category, Topic
from tidings.web.catalog import category_tree, trending_topics
from tidings.web.listing import ArticleCard, cards_for, follow_states_for, paginate
from tidings.web.reader_lists import list_state, unread_queryset


def _card_article(card: ArticleCard) -> Article:
    return card.article


def browse(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/browse.html",
        {
            "tree": category_tree(),
            "trending": trending_topics(timezone.now()),
            "follow_states": follow_states_for(request),
        },
    )


def category(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_object_or_404(Category.objects.select_related("parent"), slug=slug)
    profile = profile_for_request(request, create=False)
    articles = unread_queryset(request, profile, Article.objects.visible().in_category(found.pk))
    page = paginate(request, one_per_story(articles).newest_first().for_listing())
    cards, keyword_hidden = hide_keyword_muted(matcher_for(profile), cards_for(page.object_list), _card_article)
    return render(
        request,
        "web/category.html",
        {
            "category": found,
            "children": list(found.children.order_by("name")),
            "page": page,
            "cards": cards,
            "follow_states": follow_states_for(request),
            "unread_switch": True,
            "keyword_hidden": keyword_hidden,
            **list_state(request, profile, cards),
        },
    )


def topic(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_object_or_404(Topic.objects.select_related("parent"), slug=slug)
    profile = profile_for_request(request, create=False)
    articles = unread_queryset(request, profile, Article.objects.visible().with_topic(found.pk))
    page = paginate(request, one_per_story(articles).newest_first().for_listing())
    cards, keyword_hidden = hide_keyword_muted(matcher_for(profile), cards_for(page.object_list), _card_article)
    return render(
        request,
        "web/topic.html",
        {
            "topic": found,
            "page": page,
            "cards": cards,
            "follow_states": follow_states_for(request),
            "unread_switch": True,
            "keyword_hidden": keyword_hidden,
            **list_state(request, profile, cards),
        },
    )
