"""The ORM side of output feeds: which articles a feed lists, and the private My News token of a profile."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from tidings.articles.models import Article
from tidings.feeds.build import Entry, Feed
from tidings.feeds.models import FeedToken
from tidings.personalization.models import Profile
from tidings.personalization.my_news import articles_in_order, load_my_news
from tidings.searches.models import SavedSearch
from tidings.searches.saved import matches
from tidings.sources.models import Source
from tidings.stories.collapse import one_per_story
from tidings.stories.models import Story
from tidings.taxonomy.models import Category, Topic

FEED_ITEMS = 50
PUBLIC_KINDS = ("category", "topic", "source", "story", "search")


@dataclass(frozen=True, slots=True)
class FeedSource:
    """What a feed is a copy of: its title, description, page and newest articles."""

    title: str
    description: str
    page_url: str
    articles: Sequence[Article]


def public_feed_source(kind: str, key: str) -> FeedSource:
    """A category, topic or source (by slug) or a story (by id); Http404 when there is none."""
    if kind == "category":
        category = get_object_or_404(Category, slug=key)
        return FeedSource(
            f"{category.name} · Tidings",
            category.description or f"The newest articles in {category.name}.",
            category.get_absolute_url(),
            _newest(Article.objects.visible().in_category(category.pk)),
        )
    if kind == "topic":
        topic = get_object_or_404(Topic, slug=key)
        return FeedSource(
            f"{topic.name} · Tidings",
            f"The newest articles about {topic.name}.",
            topic.get_absolute_url(),
            _newest(Article.objects.visible().with_topic(topic.pk)),
        )
    if kind == "source":
        source = get_object_or_404(Source, slug=key)
        return FeedSource(
            f"{source.name} · Tidings",
            f"The newest articles from {source.name}.",
            source.get_absolute_url(),
            _newest(Article.objects.visible().from_source(source.pk), collapse=False),
        )
    if kind == "story" and key.isdigit():
        story = get_object_or_404(Story, pk=int(key))
        articles = Article.objects.visible().filter(story_link__story=story)
        return FeedSource(
            f"{story.headline} · Tidings",
            f"Every outlet's article on “{story.headline}”, newest first.",
            story.get_absolute_url(),
            _newest(articles, collapse=False),
        )
    if kind == "search":
        return saved_search_source(key)
    raise Http404("no such feed")


def saved_search_source(token: str) -> FeedSource:
    """A saved search's matches, newest first, by its feed token (public to whoever has the address)."""
    if not token or len(token) > 64:
        raise Http404("no such feed")
    saved = SavedSearch.objects.filter(feed_token=token).first()
    if saved is None or not secrets.compare_digest(saved.feed_token, token):
        raise Http404("no such feed")
    return FeedSource(
        f"{saved.name} · Tidings search",
        f"The newest articles matching the saved search “{saved.name}”.",
        reverse("web:search") + "?" + urlencode(saved.params or {}),
        list(matches(saved).for_listing()[:FEED_ITEMS]),
    )


def _newest(articles, collapse: bool = True) -> list[Article]:  # type: ignore[no-untyped-def]
    listed = one_per_story(articles) if collapse else articles
    return list(listed.newest_first().for_listing()[:FEED_ITEMS])


def my_news_source(profile: Profile) -> FeedSource:
    news = load_my_news(profile, timezone.now())
    return FeedSource(
        "My News · Tidings",
        "Your My News: newest and most relevant first, from what you follow (a private feed).",
        reverse("web:my_news"),
        articles_in_order(list(news.article_ids[:FEED_ITEMS])),
    )


def to_feed(request: HttpRequest, source: FeedSource, feed_url: str) -> Feed:
    """Absolute addresses and entries for a FeedSource; newest first except My News (ranked)."""
    entries = []
    for article in source.articles:
        link = request.build_absolute_uri(article.get_absolute_url())
        categories = tuple(link_.category.name for link_ in article.category_links.all())
        entries.append(
            Entry(
                id=link,
                title=article.headline or "(no headline)",
                link=link,
                published=article.published_at,
                summary=article.standfirst or "",
                external_url=article.url or "",
                source=article.source.name,
                categories=categories,
            )
        )
    updated = max((e.published for e in entries), default=timezone.now())
    return Feed(
        title=source.title,
        description=source.description,
        home_url=request.build_absolute_uri(source.page_url),
        feed_url=request.build_absolute_uri(feed_url),
        updated=updated,
        entries=entries,
    )


def profile_for_token(token: str) -> Profile:
    """The profile whose current token this is; Http404 otherwise (a rotated or revoked token included)."""
    if not token or len(token) > 64:
        raise Http404("no such feed")
    found = FeedToken.objects.select_related("profile").filter(token=token).first()
    if found is None or not secrets.compare_digest(found.token, token):
        raise Http404("no such feed")
    return found.profile


def current_token(profile: Profile | None) -> str | None:
    if profile is None:
        return None
    return FeedToken.objects.filter(profile=profile).values_list("token", flat=True).first()


def rotate_token(profile: Profile) -> str:
    """A new token for the profile's private feed; the old address stops working."""
    for _ in range(3):
        token = secrets.token_urlsafe(24)
        try:
            with transaction.atomic():
                FeedToken.objects.update_or_create(
                    profile=profile, defaults={"token": token, "created_at": timezone.now()}
                )
        except IntegrityError:  # the same token twice: astronomically unlikely, try another
            continue
        return token
    raise RuntimeError("could not make a unique feed token")


def revoke_token(profile: Profile) -> bool:
    deleted, _ = FeedToken.objects.filter(profile=profile).delete()
    return deleted > 0
