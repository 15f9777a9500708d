"""The ORM side of a search request: its keys looked up (source, category, topic, speaker) and the articles.

Filters are correlated EXISTS (or plain column tests), never joins: with words, the full-text index drives the
query in rank order and each candidate is checked in turn until a page is full. That suits broad filters; for a
selective one (a small category, a rare speaker) each filter's own table also goes to the search as `within`, and
the search starts there when one names few articles (articles.search.base.SMALL_SET).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from tidings.articles.models import Article, ArticleQuerySet
from tidings.articles.search import search_articles
from tidings.articles.search.base import ordered
from tidings.searches.request import SearchRequest
from tidings.sources.models import Source
from tidings.stories.models import Claim
from tidings.taxonomy.models import ArticleListing, ArticleTopic, Category, ListingKind, Topic


@dataclass(frozen=True, slots=True)
class ResolvedSearch:
    """A request with its keys found; `problems` says, for a person, which keys named nothing."""

    request: SearchRequest
    source: Source | None = None
    category: Category | None = None
    topic: Topic | None = None
    speaker: Topic | None = None
    problems: tuple[str, ...] = field(default_factory=tuple)


def _number(key: str) -> int | None:
    return int(key) if key.isascii() and key.isdigit() and len(key) < 10 else None


def _by_key(model: type, key: str, extra: Q | None = None) -> object | None:
    lookup = Q(slug=key) | Q(name__iexact=key)
    if extra is not None:
        lookup |= extra
    if (number := _number(key)) is not None:
        lookup |= Q(pk=number)
    # An exact slug or id wins over a name two things may share.
    found = list(model.objects.filter(lookup)[:5])  # type: ignore[attr-defined]
    exact = [obj for obj in found if obj.slug == key or str(obj.pk) == key]
    return (exact or found or [None])[0]


def resolve(request: SearchRequest) -> ResolvedSearch:
    """Look up each key the request names (at most four small queries)."""
    problems: list[str] = []
    source = category = topic = speaker = None
    if request.source:
        source = _by_key(Source, request.source)
        if source is None:
            problems.append(f"no source {request.source!r}: use a source id, slug or name")
    if request.category:
        category = _by_key(Category, request.category, Q(qcode=request.category))
        if category is None:
            problems.append(f"no category {request.category!r}: use an IPTC qcode (medtop:04000000), a slug or a name")
    if request.topic:
        topic = _by_key(Topic, request.topic)
        if topic is None:
            problems.append(f"no topic {request.topic!r}: use a topic id, slug or name")
    if request.speaker:
        speaker = _by_key(Topic, request.speaker)
        if speaker is None:
            problems.append(f"no speaker {request.speaker!r}: use a topic id, slug or name of who is quoted")
    return ResolvedSearch(request, source, category, topic, speaker, tuple(problems))  # type: ignore[arg-type]


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def filtered(resolved: ResolvedSearch, base: ArticleQuerySet | None = None) -> ArticleQuerySet:
    """Visible articles (or `base`) passing the filters, searched and ordered as the request says."""
    request = resolved.request
    articles = base if base is not None else Article.objects.visible()
    # Each filter's own rows, by article id: where a search may start (the narrowest filters first).
    within: list[QuerySet[Any, int]] = []
    if resolved.speaker is not None:
        quoted = Claim.objects.filter(speaker_topic=resolved.speaker)
        articles = articles.filter(Exists(quoted.filter(article_id=OuterRef("pk"))))
        within.append(quoted.values_list("article_id", flat=True))
    if resolved.topic is not None:
        linked = ArticleTopic.objects.filter(topic=resolved.topic)
        articles = articles.filter(Exists(linked.filter(article_id=OuterRef("pk"))))
        within.append(linked.values_list("article_id", flat=True))
    if resolved.category is not None:
        listed = ArticleListing.objects.filter(kind=ListingKind.CATEGORY, target_id=resolved.category.pk)
        articles = articles.filter(Exists(listed.filter(article_id=OuterRef("pk"))))
        within.append(listed.values_list("article_id", flat=True))
    if resolved.source is not None:
        articles = articles.filter(source_id=resolved.source.pk)
        within.append(Article.objects.filter(source_id=resolved.source.pk).values_list("pk", flat=True))
    if request.date_from:
        articles = articles.filter(published_at__gte=_day_start(request.date_from))
    if request.date_to:
        articles = articles.filter(published_at__lt=_day_start(request.date_to + timedelta(days=1)))
    if request.q:
        return search_articles(articles, request.q, request.effective_sort, within)
    return ordered(articles, request.effective_sort)


def matching_sources(q: str, limit: int = 5) -> list[Source]:
    """Sources whose name or address holds every word of `q`: an outlet's name finds the outlet."""
    words = q.split()[:8]
    if not words:
        return []
    lookup = Q()
    for word in words:
        lookup &= Q(name__icontains=word) | Q(slug__icontains=word) | Q(site_url__icontains=word)
    return list(Source.objects.filter(lookup).order_by("name")[:limit])
