"""Edge: a profile's Google Reader streams as article querysets, pages of them, and their item views."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Min, Q

from tidings.api.greader.ids import (
    FRESH,
    KEPT_UNREAD,
    READ,
    READING_LIST,
    STARRED,
    Position,
    Stream,
    StreamKind,
    continuation,
    feed,
    feed_source_id,
    from_usec,
    shown,
    usec,
)
from tidings.api.greader.params import StreamQuery
from tidings.api.greader.render import ItemView, SubscriptionView, body_html
from tidings.articles.models import Article, ArticleQuerySet
from tidings.lib.errors import InvalidInput
from tidings.personalization import reading_state
from tidings.personalization.models import Profile
from tidings.sources.access import reader_for
from tidings.sources.models import Source
from tidings.sources.permissions import can_see_feed_url, shown_site_url
from tidings.sources.services import find_source_by_url, normalize_source_url


def source_of(profile: Profile, stream: Stream) -> Source:
    """The source a `feed/…` stream names: by id (any source), or by address among those the profile follows."""
    source_id = feed_source_id(stream)
    if source_id is not None:
        found = Source.objects.filter(pk=source_id).first()
    else:
        try:  # a feed named by its address: one that is no web address names no feed
            found = find_source_by_url(normalize_source_url(stream.value))
        except (InvalidInput, ValueError):
            found = None
        if found is not None and not reading_state.followed_sources(profile).filter(pk=found.pk).exists():
            found = None
    if found is None:
        raise InvalidInput(f"no feed {shown(stream.id)}")
    return found


def articles_of(profile: Profile, stream: Stream) -> ArticleQuerySet:
    """The articles a stream holds for this profile (states are the profile's own)."""
    if stream.kind is StreamKind.FEED:
        return Article.objects.visible().filter(source=source_of(profile, stream))
    if stream.kind is StreamKind.LABEL:
        return reading_state.reading_list(profile).filter(source__folder=stream.value)
    if stream.value == READING_LIST:
        return reading_state.reading_list(profile)
    if stream.value in (KEPT_UNREAD, FRESH):
        return reading_state.unread(reading_state.reading_list(profile), profile)
    if stream.value == READ:
        return Article.objects.filter(pk__in=reading_state.read_article_ids(profile))
    if stream.value == STARRED:
        return Article.objects.filter(pk__in=reading_state.starred_article_ids(profile))
    return Article.objects.none()  # sharing and friends' streams: Tidings has none


def _excluding(articles: ArticleQuerySet, profile: Profile, stream: Stream) -> ArticleQuerySet:
    if stream.kind is StreamKind.STATE and stream.value == READ:
        return reading_state.unread(articles, profile)
    if stream.kind is StreamKind.STATE and stream.value == STARRED:
        return articles.exclude(pk__in=reading_state.starred_article_ids(profile))
    if stream.kind is StreamKind.LABEL:
        return articles.exclude(source__folder=stream.value)
    if stream.kind is StreamKind.FEED:
        source_id = feed_source_id(stream)
        return articles.exclude(source_id=source_id) if source_id is not None else articles
    return articles


def _including(articles: ArticleQuerySet, profile: Profile, stream: Stream) -> ArticleQuerySet:
    if stream.kind is StreamKind.STATE and stream.value == READ:
        return articles.filter(pk__in=reading_state.read_article_ids(profile))
    if stream.kind is StreamKind.STATE and stream.value == STARRED:
        return articles.filter(pk__in=reading_state.starred_article_ids(profile))
    return articles


def query_articles(profile: Profile, query: StreamQuery) -> ArticleQuerySet:
    """The stream's articles after xt/it/ot/nt/c, in the asked order (not yet cut to `n`)."""
    articles = articles_of(profile, query.stream)
    for excluded in query.excludes:
        articles = _excluding(articles, profile, excluded)
    for included in query.includes:
        articles = _including(articles, profile, included)
    if query.newer_than is not None:
        articles = articles.filter(published_at__gte=query.newer_than)
    if query.older_than is not None:
        articles = articles.filter(published_at__lt=query.older_than)
    if query.after is not None:
        at = from_usec(query.after.published_usec)
        if query.oldest_first:
            articles = articles.filter(Q(published_at__gt=at) | Q(published_at=at, pk__gt=query.after.article_id))
        else:
            articles = articles.filter(Q(published_at__lt=at) | Q(published_at=at, pk__lt=query.after.article_id))
    if query.oldest_first:
        return articles.order_by("published_at", "pk")
    return articles.order_by("-published_at", "-pk")


def page(articles: ArticleQuerySet, count: int) -> tuple[list[Article], str | None]:
    """The first `count` articles and the continuation to the next page (None on the last page)."""
    found = list(articles[: count + 1])
    if len(found) <= count:
        return found, None
    last = found[count - 1]
    return found[:count], continuation(Position(usec(last.published_at), last.pk))


def item_views(profile: Profile, articles: Sequence[Article]) -> list[ItemView]:
    """What an app is shown of each article, with this profile's read and starred states (one query)."""
    states = reading_state.states_of(profile, [a.pk for a in articles])
    views = []
    for article in articles:
        read, starred = states.get(article.pk, (False, False))
        source = article.source
        views.append(
            ItemView(
                article_id=article.pk,
                title=article.headline,
                url=article.url,
                author=article.author,
                html=body_html(article.body_html, article.standfirst, article.paragraphs),
                published=article.published_at,
                fetched=article.fetched_at,
                stream_id=feed(source.pk).id,
                source_title=source.name,
                source_site=shown_site_url(source.site_url, feed_url=source.url),
                folder=source.folder,
                read=read,
                starred=starred,
            )
        )
    return views


def subscriptions(profile: Profile, user: Any) -> list[SubscriptionView]:
    """The sources the profile follows, as subscriptions; the feed address only where this reader may see it."""
    reader = reader_for(user)
    sources = reading_state.followed_sources(profile).annotate(first_item=Min("articles__published_at"))
    return [
        SubscriptionView(
            stream_id=feed(source.pk).id,
            title=source.name,
            feed_url=source.url if can_see_feed_url(reader, source) else None,
            site_url=shown_site_url(source.site_url, feed_url=source.url),
            folder=source.folder,
            first_item=source.first_item,  # type: ignore[attr-defined]
        )
        for source in sources
    ]


def stream_title(profile: Profile, stream: Stream) -> str:
    if stream.kind is StreamKind.FEED:
        return source_of(profile, stream).name
    if stream.kind is StreamKind.LABEL:
        return stream.value
    return {READING_LIST: "Reading list", STARRED: "Starred items", READ: "Read items"}.get(stream.value, stream.value)
