"""The followed pool of My News: the newest visible articles under what a reader follows, minus what they mute.

Categories and topics are read from the precomputed listing (taxonomy.ArticleListing: one row per article and
category it is listed in by taxonomy.membership's rule, or topic it is linked to, with its published_at), one
index range per followed target (index article_listing_newest: kind, target_id, published_at); sources from
Article (index article_source_newest). Each read is bounded by a time window back from now (open towards
the future) that widens until FOLLOWED_LIMIT articles are found or nothing older is left to look at, so
the rows read grow with the page, not with the history: an article older than the window is older than every
article found in it, so the newest FOLLOWED_LIMIT in the window are the newest of all. A window that found
few articles is followed by one long enough to find FOLLOWED_LIMIT at the same rate; one that reaches back
past the oldest article reads without a bound.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet

from tidings.articles.models import Article
from tidings.personalization.ranking import Target
from tidings.taxonomy.models import ArticleListing, ListingKind

FOLLOWED_LIMIT = 500
FIRST_SPAN = timedelta(hours=6)  # the first window, back from now
MIN_GROWTH = 4  # each next window is at least this many times longer (more when the last one found few)

Row = tuple[int, datetime, int]  # article id, published_at, source id


def _by_kind(targets: Iterable[Target]) -> dict[str, list[int]]:
    by_kind: dict[str, list[int]] = defaultdict(list)
    for kind, target_id in targets:
        by_kind[kind].append(target_id)
    return {kind: sorted(set(ids)) for kind, ids in by_kind.items()}


def _muted(article: OuterRef, mutes: dict[str, list[int]]) -> Q:
    """Rows whose article is listed under a muted category or topic (one probe of the listing's unique index
    per kind)."""
    q = Q()
    for kind in (ListingKind.CATEGORY, ListingKind.TOPIC):
        if mutes.get(kind):
            q &= ~Q(Exists(ArticleListing.objects.filter(article_id=article, kind=kind, target_id__in=mutes[kind])))
    return q


def _listed(kind: str, ids: list[int], mutes: dict[str, list[int]], since: datetime | None, limit: int) -> list[Row]:
    rows: QuerySet[ArticleListing] = ArticleListing.objects.filter(
        kind=kind, target_id__in=ids, article__duplicate_of__isnull=True
    )
    if since is not None:
        rows = rows.filter(published_at__gte=since)
    if mutes.get("source"):
        rows = rows.exclude(article__source_id__in=mutes["source"])
    rows = rows.filter(_muted(OuterRef("article_id"), mutes))
    found = (
        rows.values_list("article_id", "published_at", "article__source_id")
        .distinct()
        .order_by("-published_at", "-article_id")[:limit]
    )
    return list(found)


def _from_sources(ids: list[int], mutes: dict[str, list[int]], since: datetime | None, limit: int) -> list[Row]:
    articles = Article.objects.visible().filter(source_id__in=ids)
    if since is not None:
        articles = articles.filter(published_at__gte=since)
    if mutes.get("source"):
        articles = articles.exclude(source_id__in=mutes["source"])
    articles = articles.filter(_muted(OuterRef("pk"), mutes))
    return list(articles.newest_first().values_list("id", "published_at", "source_id")[:limit])


def newest_followed(
    follows: Iterable[Target], mutes: Iterable[Target], now: datetime, limit: int = FOLLOWED_LIMIT
) -> list[Row]:
    """The newest `limit` visible articles under any of `follows` and none of `mutes`, newest first.

    The first window ends at `now` (articles are never stored with a later time, ingest.store); the oldest
    article is read only when a window falls short, to know when the next one would hold everything.
    """
    include, exclude = _by_kind(follows), _by_kind(mutes)
    if not include:
        return []
    oldest: datetime | None = None
    span = FIRST_SPAN
    while True:
        since: datetime | None = now - span
        if span is not FIRST_SPAN:
            if oldest is None:
                visible = Article.objects.visible().order_by("published_at", "id")
                oldest = visible.values_list("published_at", flat=True).first() or now
            since = None if since is not None and since <= oldest else since
        rows = _followed_since(include, exclude, since, limit)
        if since is None or len(rows) >= limit:
            return sorted(rows.values(), key=lambda row: (row[1], row[0]), reverse=True)[:limit]
        # Found n in this span: a window long enough for `limit` at the same rate, with a margin (at least x4).
        span = span * max(MIN_GROWTH, 1.25 * limit / max(len(rows), 1))


def _followed_since(
    include: dict[str, list[int]], exclude: dict[str, list[int]], since: datetime | None, limit: int
) -> dict[int, Row]:
    rows: dict[int, Row] = {}
    for kind in (ListingKind.CATEGORY, ListingKind.TOPIC):
        if include.get(kind):
            rows.update((row[0], row) for row in _listed(kind, include[kind], exclude, since, limit))
    if include.get("source"):
        rows.update((row[0], row) for row in _from_sources(include["source"], exclude, since, limit))
    return rows
