"""The database edge of the implicit profile: log an interaction, rebuild a profile's learned interests.

record() writes one Interaction row; refresh_interests() reads the profile's interactions within the retention
period, joins each to what its article is about (listed categories, topics, source, embedding), folds them with
personalization.interests.build_profile and replaces the profile's Interest rows and taste vector at once.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tidings.articles.models import Article
from tidings.enrichment.models import ArticleEmbedding
from tidings.lib.errors import InvalidInput
from tidings.personalization.interests import Event, ImplicitProfile, build_profile
from tidings.personalization.models import Interaction, InteractionKind, Interest, Profile
from tidings.stories.models import ArticleStory, Story
from tidings.taxonomy.membership import listed_categories
from tidings.taxonomy.models import ArticleTopic, Category

# The newest interactions read per rebuild: older evidence has decayed to little by then.
MAX_EVENTS = 2000
# A reading time above this is a tab left open, not reading.
MAX_READ_SECONDS = 3600.0


def record(
    profile: Profile,
    kind: str,
    *,
    article: Article | None = None,
    story: Story | None = None,
    value: float = 1.0,
    now: datetime | None = None,
) -> Interaction:
    """Log one interaction (InvalidInput for an unknown kind or a reading time that is not a number ≥ 0)."""
    if kind not in InteractionKind.values:
        raise InvalidInput(f"unknown interaction {kind!r}: use one of {', '.join(InteractionKind.values)}")
    if kind == InteractionKind.READ:
        if not (value == value and value >= 0):  # NaN and negatives
            raise InvalidInput("reading time must be a number of seconds, 0 or more")
        value = min(float(value), MAX_READ_SECONDS)
    if story is None and article is not None:
        link = ArticleStory.objects.filter(article=article).only("story_id").first()
        story_id = link.story_id if link else None
    else:
        story_id = story.pk if story else None
    return Interaction.objects.create(
        profile=profile,
        article=article,
        story_id=story_id,
        kind=kind,
        value=value,
        created_at=now or timezone.now(),
    )


def _events(profile: Profile, now: datetime) -> list[Event]:
    since = now - timedelta(days=settings.INTERACTION_RETENTION_DAYS)
    rows = list(
        Interaction.objects.filter(profile=profile, created_at__gte=since, article__isnull=False)
        .order_by("-created_at")
        .values_list("kind", "created_at", "article_id", "value")[:MAX_EVENTS]
    )
    ids = sorted({r[2] for r in rows})
    sources = dict(Article.objects.filter(pk__in=ids).values_list("pk", "source_id"))
    categories = listed_categories(ids, Category.objects.values_list("pk", flat=True))
    topics: dict[int, set[int]] = defaultdict(set)
    for article_id, topic_id in ArticleTopic.objects.filter(article_id__in=ids).values_list("article_id", "topic_id"):
        topics[article_id].add(topic_id)
    vectors = {
        article_id: tuple(np.frombuffer(bytes(blob), dtype="<f4").astype(np.float64).tolist())  # same floats, no loop
        for article_id, blob in ArticleEmbedding.objects.filter(article_id__in=ids).values_list("article_id", "vector")
    }
    return [
        Event(
            kind=kind,
            at=at,
            article_id=article_id,
            value=value,
            category_ids=frozenset(categories.get(article_id, ())),
            topic_ids=frozenset(topics.get(article_id, ())),
            source_id=sources.get(article_id),
            embedding=vectors.get(article_id),
        )
        for kind, at, article_id, value in rows
        if article_id in sources
    ]


def refresh_interests(profile: Profile, now: datetime | None = None) -> ImplicitProfile:
    """Rebuild the profile's Interest rows and taste vector from its interactions (replaces them at once)."""
    now = now or timezone.now()
    learned = build_profile(_events(profile, now), now, float(settings.INTEREST_HALF_LIFE_DAYS))
    rows = [
        Interest(profile=profile, kind=kind, target_id=target_id, score=score, updated_at=now)
        for (kind, target_id), score in learned.scores.items()
        if abs(score) >= 1e-3
    ]
    taste = np.asarray(learned.taste, dtype="<f4").tobytes() if learned.taste is not None else None
    with transaction.atomic():
        Interest.objects.filter(profile=profile).delete()
        Interest.objects.bulk_create(rows)
        Profile.objects.filter(pk=profile.pk).update(taste_vector=taste, interests_updated_at=now)
    profile.taste_vector = taste
    profile.interests_updated_at = now
    return learned


def purge_old_interactions(now: datetime | None = None) -> int:
    """Delete interactions older than the retention period (all profiles); returns how many."""
    now = now or timezone.now()
    deleted, _ = Interaction.objects.filter(
        created_at__lt=now - timedelta(days=settings.INTERACTION_RETENTION_DAYS)
    ).delete()
    return deleted
