"""The database edge of the News diet: load a profile's reading and follows, fold them with diet.news_diet."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from tidings.personalization.diet import DEFAULT_WEEKS, Diet, Reading, news_diet, top_level, week_start
from tidings.personalization.models import ArticleState, Follow, FollowAction, Interaction, InteractionKind, Profile
from tidings.taxonomy.membership import listed_categories
from tidings.taxonomy.models import Category


def load_news_diet(profile: Profile | None, now: datetime | None = None, weeks: int = DEFAULT_WEEKS) -> Diet:
    """What the profile opened or read in the last `weeks` weeks (logged opens and reads, and read marks)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if profile is None:
        return news_diet((), (), today, weeks)
    first_day = week_start(today) - timedelta(weeks=weeks - 1)
    since = timezone.make_aware(datetime.combine(first_day, datetime.min.time()))
    seen: list[tuple[int, datetime]] = list(
        Interaction.objects.filter(
            profile=profile,
            kind__in=[InteractionKind.OPEN, InteractionKind.READ],
            article__isnull=False,
            created_at__gte=since,
        ).values_list("article_id", "created_at")
    )
    for article_id, read_at in ArticleState.objects.filter(profile=profile, read_at__gte=since).values_list(
        "article_id", "read_at"
    ):
        if read_at is not None:
            seen.append((article_id, read_at))
    parents = dict(Category.objects.values_list("pk", "parent_id"))
    ids = sorted({article_id for article_id, _ in seen})
    listed = listed_categories(ids, parents) if ids else {}
    readings = [
        Reading(
            article_id=article_id,
            day=timezone.localdate(at),
            category_ids=top_level(listed.get(article_id, ()), parents),
        )
        for article_id, at in seen
    ]
    followed = Follow.objects.filter(profile=profile, action=FollowAction.FOLLOW, category__isnull=False)
    follow_tops = [next(iter(top_level([c], parents))) for c in followed.values_list("category_id", flat=True)]
    return news_diet(readings, follow_tops, today, weeks)


def category_names(diet: Diet) -> dict[int, str]:
    """Names of the diet's shown categories (one query)."""
    return dict(Category.objects.filter(pk__in=[k for k in diet.categories if k > 0]).values_list("pk", "name"))
