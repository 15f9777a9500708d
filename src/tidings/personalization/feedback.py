"""Implicit feedback from the pages and the API: impressions, opens, reading time, saves and shares.

Each function logs to one profile's private Interaction log (personalization.learning.record) and keeps its
ArticleState (read_at, saved_at) in step; none of them creates a profile. After a signal that says something
(not an impression), the profile's learned interests are rebuilt by a task, at most once per REFRESH_EVERY:
refresh_interests reads up to 2,000 events and took 0.3-0.5 s (bench/feedback.py), too much for every beacon
but cheap once per few minutes; logging one signal takes about a millisecond.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from tidings.articles.models import Article
from tidings.lib.errors import InvalidInput
from tidings.personalization.learning import MAX_READ_SECONDS, record
from tidings.personalization.models import ArticleState, Interaction, InteractionKind, Profile
from tidings.personalization.tasks import refresh_interests_task
from tidings.stories.models import ArticleStory

log = logging.getLogger(__name__)

# The learned interests are rebuilt at most this often per profile; events in between wait for the next one.
REFRESH_EVERY = timedelta(minutes=5)
# A card shown again within this window is not logged again (a reload is not a second "seen and passed").
IMPRESSION_REPEAT_WINDOW = timedelta(hours=6)
# At most this many cards per page render are logged (a page holds 20).
MAX_IMPRESSIONS_PER_PAGE = 50
# A reading time under this is a bounce, not reading: not logged.
MIN_READ_SECONDS = 2.0
# Reading time sent within this long of the article's last "read" row is added to it (one sitting).
SITTING = timedelta(minutes=30)


def tracking_refused(headers: Mapping[str, str]) -> bool:
    """Whether the browser asks not to be tracked: `DNT: 1` or `Sec-GPC: 1` (Global Privacy Control)."""
    return headers.get("DNT", "").strip() == "1" or headers.get("Sec-GPC", "").strip() == "1"


def log_impressions(
    profile: Profile,
    article_ids: Iterable[int],
    now: datetime | None = None,
    stories: Mapping[int, int | None] | None = None,
) -> int:
    """Log the cards a page showed, in one insert; cards already logged within the repeat window are skipped.

    `stories` (article id → story id) spares the story look-up when the page already knows them; an article
    missing from it is logged without a story.
    """
    now = now or timezone.now()
    ids = list(dict.fromkeys(int(i) for i in article_ids))[:MAX_IMPRESSIONS_PER_PAGE]
    if not ids:
        return 0
    recent = set(
        Interaction.objects.filter(
            profile=profile,
            kind=InteractionKind.IMPRESSION,
            created_at__gte=now - IMPRESSION_REPEAT_WINDOW,
            article_id__in=ids,
        ).values_list("article_id", flat=True)
    )
    fresh = [i for i in ids if i not in recent]
    if not fresh:
        return 0
    if stories is None:
        stories = dict(ArticleStory.objects.filter(article_id__in=fresh).values_list("article_id", "story_id"))
    Interaction.objects.bulk_create(
        Interaction(
            profile=profile,
            article_id=article_id,
            story_id=stories.get(article_id),
            kind=InteractionKind.IMPRESSION,
            value=1.0,
            created_at=now,
        )
        for article_id in fresh
    )
    return len(fresh)


def _state(profile: Profile, article: Article) -> ArticleState:
    state, _ = ArticleState.objects.get_or_create(profile=profile, article=article)
    return state


def log_open(profile: Profile, article: Article, now: datetime | None = None) -> ArticleState:
    """An article page was opened: log it and mark the article read (the first time counts); returns its state."""
    now = now or timezone.now()
    with transaction.atomic():
        record(profile, InteractionKind.OPEN, article=article, now=now)
        state = _state(profile, article)
        if state.read_at is None:
            ArticleState.objects.filter(pk=state.pk, read_at__isnull=True).update(read_at=now)
            state.read_at = now
    schedule_refresh(profile, now)
    return state


def log_reading_time(profile: Profile, article: Article, seconds: float, now: datetime | None = None) -> bool:
    """Add seconds of visible reading time; returns whether anything was stored. InvalidInput below 0 or NaN.

    The page sends its time in parts (each time it is hidden); parts within SITTING of the last one are added
    to the same "read" row, so one sitting is one event however often the reader switched tabs. A new sitting
    shorter than MIN_READ_SECONDS is not logged.
    """
    now = now or timezone.now()
    if not (math.isfinite(seconds) and seconds >= 0):
        raise InvalidInput("reading time must be a number of seconds, 0 or more")
    with transaction.atomic():
        sitting = (
            Interaction.objects.select_for_update()
            .filter(profile=profile, article=article, kind=InteractionKind.READ, created_at__gte=now - SITTING)
            .order_by("-created_at")
            .first()
        )
        if sitting is not None:
            sitting.value = min(sitting.value + seconds, MAX_READ_SECONDS)
            sitting.save(update_fields=["value"])
        elif seconds < MIN_READ_SECONDS:
            return False
        else:
            record(profile, InteractionKind.READ, article=article, value=seconds, now=now)  # caps it
    schedule_refresh(profile, now)
    return True


def log_share(profile: Profile, article: Article, now: datetime | None = None) -> None:
    now = now or timezone.now()
    record(profile, InteractionKind.SHARE, article=article, now=now)
    schedule_refresh(profile, now)


def set_saved(profile: Profile, article: Article, saved: bool, now: datetime | None = None) -> ArticleState:
    """Save or unsave; saving logs a "save", unsaving deletes the article's "save" events so learning forgets it."""
    now = now or timezone.now()
    with transaction.atomic():
        state = _state(profile, article)
        changed = (state.saved_at is None) == saved
        if saved and changed:
            state.saved_at = now
            record(profile, InteractionKind.SAVE, article=article, now=now)
        elif not saved and changed:
            state.saved_at = None
            Interaction.objects.filter(profile=profile, article=article, kind=InteractionKind.SAVE).delete()
        if changed:
            state.save(update_fields=["saved_at"])
    if changed:
        schedule_refresh(profile, now)
    return state


def set_read(profile: Profile, article: Article, read: bool, now: datetime | None = None) -> ArticleState:
    """Mark read or unread (a state only: marking read logs no open)."""
    now = now or timezone.now()
    state = _state(profile, article)
    if read and state.read_at is None:
        state.read_at = now
        state.save(update_fields=["read_at"])
    elif not read and state.read_at is not None:
        state.read_at = None
        state.save(update_fields=["read_at"])
    return state


def refresh_due(profile: Profile, now: datetime) -> bool:
    updated = profile.interests_updated_at
    return updated is None or now - updated >= REFRESH_EVERY


def schedule_refresh(profile: Profile, now: datetime | None = None) -> bool:
    """Queue a rebuild of the learned interests (after commit) unless one ran within REFRESH_EVERY."""
    now = now or timezone.now()
    if not refresh_due(profile, now):
        return False
    # Mark it now, so the next beacons within the window do not queue more rebuilds; the task sets it again.
    Profile.objects.filter(pk=profile.pk).update(interests_updated_at=now)
    profile.interests_updated_at = now
    profile_id = profile.pk
    transaction.on_commit(lambda: refresh_interests_task.enqueue(profile_id))
    log.debug("interests_refresh_queued profile_id=%s", profile_id)
    return True
