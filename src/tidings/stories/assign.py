"""Edge: put enriched articles into stories (Story, ArticleStory), one article at a time, in publication order.

Reads each article's embedding (enrichment's ArticleEmbedding), the people and places it is linked to (taxonomy
ArticleTopic) and its publication time, asks the pure `clustering.StoryIndex` to decide,
and writes the decision in one transaction per call: a new Story, a join, or a merge (the absorbed story
keeps its row with `merged_into` set; its articles move to the kept one).

The index is per process: filled from the stories an article of the call could join (those whose last
article is at most the time window before the call's earliest article, or before now), then kept in step.
When another process has assigned articles since (the newest ArticleStory id is not ours), or a call brings
an article older than what the index was filled for (a backlog: an archive import, the demo corpus's 14
days), it is filled again before deciding, so a worker decides on the same stories whether it has run from
the start or was (re)started midway. The check and the decisions run under one lock across processes
(`_take_assignment_lock`), so two workers never decide at once on different pictures. An article without
an embedding is left for later (not assigned); one already in a story is left where it is.
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta

from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone

from tidings.articles.models import Article
from tidings.enrichment.embeddings import DIMENSIONS
from tidings.stories.article_signals import article_signals
from tidings.stories.clustering import ArticleSignals, Params, StoryIndex
from tidings.stories.coverage import lock_stories
from tidings.stories.editing import refresh_story
from tidings.stories.models import ArticleStory, Story

logger = logging.getLogger(__name__)


class _State:
    def __init__(self) -> None:
        self.index: StoryIndex | None = None
        self.newest_link = 0  # the newest ArticleStory id this process has seen or written
        self.pk_of: dict[int, int] = {}  # index story id -> Story pk
        self.covers_from: datetime | None = None  # the index holds every stored story whose last article is later
        self.lock = threading.Lock()

    def reset(self) -> None:
        self.index, self.newest_link, self.pk_of, self.covers_from = None, 0, {}, None


_state = _State()


def reset() -> None:
    """Forget the process's index (tests; the next call fills it again)."""
    with _state.lock:
        _state.reset()


def assign_stories(article_ids: Iterable[int], params: Params | None = None) -> int:
    """Assign these articles to stories; returns how many were assigned now."""
    with _state.lock:
        try:
            return _assign(list(article_ids), params or Params())
        except Exception:
            _state.reset()  # the index may hold decisions that were rolled back
            raise


def _assign(article_ids: list[int], params: Params) -> int:
    done = _assigned(article_ids)
    signals = article_signals([pk for pk in article_ids if pk not in done])
    needed = _needed_from(signals.values(), params)
    if (
        _state.index is None
        or _state.index.params != params
        or _newest_link() != _state.newest_link
        or _state.covers_from is None
        or needed < _state.covers_from
    ):
        _fill(params, needed)  # outside the lock below: the long read does not hold other writers back
    assigned = 0
    with transaction.atomic():
        _take_assignment_lock()
        if _newest_link() != _state.newest_link:  # another process assigned since: decide on its stories too
            _fill(params, needed)
        index = _state.index
        assert index is not None
        done = _assigned(article_ids)
        for signal in sorted(signals.values(), key=lambda s: (s.published or 0.0, s.article_id)):
            if signal.article_id in done:
                continue
            decision = index.assign(signal)
            assert decision.story_id is not None
            _store(signal, decision.story_id, decision.score, decision.merged)
            assigned += 1
        _state.newest_link = _newest_link()  # ours: no other process writes links while the lock is held
    if assigned:
        logger.info("stories_assigned articles=%d stories_in_index=%d", assigned, len(index))
    return assigned


# One process assigns at a time: the check "has another process assigned since?" and the decisions made on its
# answer must not interleave with another process's (two workers would each start a story for one event).
_LOCK_KEY = 0x7469_6473_7479  # "tidsty": the advisory lock's id on PostgreSQL


def _take_assignment_lock() -> None:
    """Inside a transaction: wait until no other process is assigning. SQLite's transactions start IMMEDIATE
    (settings), so the transaction already holds the database's one write lock; PostgreSQL takes an
    advisory lock, released at commit."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])


def _newest_link() -> int:
    return ArticleStory.objects.aggregate(newest=Max("id"))["newest"] or 0


def _assigned(article_ids: list[int]) -> set[int]:
    return set(ArticleStory.objects.filter(article_id__in=article_ids).values_list("article_id", flat=True))


def _store(signal: ArticleSignals, story_id: int, score: float, merged: Sequence[int]) -> None:
    now = timezone.now()
    article = Article.objects.only("headline", "published_at").get(pk=signal.article_id)
    pk = _state.pk_of.get(story_id)
    if pk is None:
        story = Story.objects.create(
            headline=article.headline[:1000],
            first_published_at=article.published_at,
            last_published_at=article.published_at,
            created_at=now,
            updated_at=now,
        )
        pk = _state.pk_of[story_id] = story.pk
        score = 0.0
    lock_stories([pk, *(_state.pk_of[other] for other in merged)])  # in id order, before any story row is written
    for other in merged:
        other_pk = _state.pk_of.pop(other)
        ArticleStory.objects.filter(story_id=other_pk).update(story_id=pk)
        Story.objects.filter(pk=other_pk).update(merged_into_id=pk, article_count=0, source_count=0, updated_at=now)
        Story.objects.filter(merged_into_id=other_pk).update(merged_into_id=pk)
        logger.info("stories_merged kept=%d merged=%d by_article=%d", pk, other_pk, signal.article_id)
    ArticleStory.objects.create(article_id=signal.article_id, story_id=pk, score=score, assigned_at=now)
    refresh_story(pk)  # counts, first/last times, headline: the one rule editors' changes use too


def _needed_from(signals: Iterable[ArticleSignals], params: Params) -> datetime:
    """The earliest last-article time of a story these articles could join: the window before the earliest of
    them (or before now, so the index also holds what the next, newer articles need)."""
    window = timedelta(seconds=params.window_seconds)
    earliest = timezone.now()
    for signal in signals:
        if signal.published is not None:
            earliest = min(earliest, datetime.fromtimestamp(signal.published, tz=UTC))
    return earliest - window


def _fill(params: Params, cutoff: datetime) -> None:
    """The index from the stored stories whose last article is at `cutoff` or later (or that have no time).

    `cutoff` is read from the articles to assign, not from the clock alone: a process (re)started midway
    through a backlog of older articles must see the stories a process running from the start would see
    (it left them in its index), or an article whose story was left out starts a second one for its event."""
    index = StoryIndex(DIMENSIONS, params)
    recent = Story.objects.filter(merged_into__isnull=True).filter(
        Q(last_published_at__gte=cutoff) | Q(last_published_at__isnull=True)
    )
    members: dict[int, list[int]] = defaultdict(list)
    for story_id, article_id in ArticleStory.objects.filter(story__in=recent).values_list("story_id", "article_id"):
        members[story_id].append(article_id)
    signals = article_signals([a for ids in members.values() for a in ids])
    pk_of = {}
    for story_pk, article_ids in members.items():
        stored = [signals[a] for a in article_ids if a in signals]
        if stored:
            pk_of[index.add_story(stored)] = story_pk
    _state.index, _state.pk_of, _state.covers_from = index, pk_of, cutoff
    _state.newest_link = _newest_link()
