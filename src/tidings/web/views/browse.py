"""Browse (category tree and trending topics), a category's page and a topic's page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from tidings.articles.models import Article
from tidings.personalization.keyword_mute_service import hide_keyword_muted, matcher_for
from tidings.personalization.models import Profile
from tidings.personalization.reading_state import read_article_ids
from tidings.personalization.services import profile_for_request
from tidings.taxonomy.models import ArticleListing, Category, ListingKind, Topic
from tidings.web.catalog import category_tree, trending_topics
from tidings.web.listing import ArticleCard, cards_for, follow_states_for
from tidings.web.newest import ListRows, keyset_page
from tidings.web.page_cache import cache_for_everyone
from tidings.web.reader_lists import list_state, only_unread


def _card_article(card: ArticleCard) -> Article:
    return card.article


@cache_for_everyone
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


def listed_under(request: HttpRequest, profile: Profile | None, kind: str, target_id: int) -> ListRows:
    """The visible articles listed under a category (its sub-categories' included, taxonomy.membership's rule)
    or linked to a topic, from the precomputed listing and its newest-first index; without the read ones when
    the reader asked for "only unread"."""
    rows = ArticleListing.objects.filter(article__duplicate_of__isnull=True)
    if profile is not None and only_unread(request):
        rows = rows.exclude(article_id__in=read_article_ids(profile))
    narrow = {"kind": str(kind), "target_id": target_id}
    return ListRows(rows.filter(**narrow), time="published_at", article="article_id", wide=rows, narrow=narrow)


@cache_for_everyone
def category(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_object_or_404(Category.objects.select_related("parent"), slug=slug)
    profile = profile_for_request(request, create=False)
    page = keyset_page(request, listed_under(request, profile, ListingKind.CATEGORY, found.pk))
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


@cache_for_everyone
def topic(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_object_or_404(Topic.objects.select_related("parent"), slug=slug)
    profile = profile_for_request(request, create=False)
    page = keyset_page(request, listed_under(request, profile, ListingKind.TOPIC, found.pk))
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
