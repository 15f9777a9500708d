"""Trending's precomputed counts (taxonomy.trend_counts) equal the definition counted from the links, on random
articles and links written and changed through the ordinary code paths, and the ranking read from them equals
the ranking from the definition."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest
from django.db import transaction
from django.test import TestCase
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.articles.factories import ArticleFactory
from tests.sources.factories import SourceFactory
from tests.taxonomy.factories import ArticleTopicFactory, TopicFactory
from tidings.articles.models import Article
from tidings.taxonomy import trend_counts
from tidings.taxonomy.models import ArticleTopic, Origin, TopicTrendCount
from tidings.taxonomy.trend_counts import DAY, HOUR, exact_counts, split_window, window_counts
from tidings.taxonomy.trending import BASELINE_DAYS, RECENT_HOURS
from tidings.web.catalog import _trending_topics

NOW = datetime(2026, 3, 10, 13, 27, 41, 250000, tzinfo=UTC)
times = st.integers(min_value=-20 * 86400, max_value=3 * 3600).map(lambda s: NOW + timedelta(seconds=s))


@given(start=times, length=st.one_of(st.none(), st.integers(min_value=0, max_value=16 * 86400)))
def test_split_window_tiles_the_window_with_aligned_buckets(start, length):
    end = None if length is None else start + timedelta(seconds=length)
    pieces = split_window(start, end)
    ranges = sorted([*pieces.exact, *pieces.hours, *pieces.days], key=lambda r: r[0])
    if end is not None and start == end:
        assert ranges == []
        return
    assert ranges[0][0] == start and ranges[-1][1] == end
    assert all(a[1] == b[0] for a, b in pairwise(ranges)), ranges
    assert all(s < e for s, e in ranges if e is not None)
    for s, e in pieces.exact:
        assert trend_counts.floor_hour(s) == trend_counts.floor_hour(e - timedelta(microseconds=1))
    for s, e in pieces.hours:
        assert s == trend_counts.floor_hour(s) and e == trend_counts.floor_hour(e) and e - s < DAY
    for s, e in pieces.days:
        assert s == trend_counts.floor_day(s) and (e is None or e == trend_counts.floor_day(e))
    assert len(pieces.exact) <= 2 and len(pieces.hours) <= 2 and len(pieces.days) <= 1


links = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=3),  # topic
        st.sampled_from([Origin.MODEL, Origin.EDITOR, Origin.PUBLISHER]),
        st.integers(min_value=0, max_value=2),  # mentions
    ),
    max_size=3,
    unique_by=lambda link: link[:2],
)
articles = st.lists(st.tuples(times, st.booleans(), links), max_size=14)
changes = st.lists(
    st.tuples(st.sampled_from(["unlink", "duplicate", "visible", "move", "delete", "mentions"]), st.integers(0, 99)),
    max_size=5,
)
windows = st.lists(st.tuples(times, st.one_of(st.none(), st.integers(0, 15 * 86400))), min_size=1, max_size=4)


def _stored() -> set[tuple[int, datetime, int, int]]:
    return set(TopicTrendCount.objects.values_list("span", "start", "topic_id", "n"))


def _change(kind: str, pick: int, made: list[Article]) -> None:
    alive = list(Article.objects.filter(pk__in=[a.pk for a in made]).order_by("pk"))
    if not alive:
        return
    article = alive[pick % len(alive)]
    if kind == "unlink":
        link = ArticleTopic.objects.filter(article=article).order_by("pk").first()
        if link is not None:
            link.delete()
    elif kind == "mentions":
        link = ArticleTopic.objects.filter(article=article).order_by("pk").first()
        if link is not None:
            link.mentions = 0 if link.mentions else 1
            link.save()
    elif kind == "duplicate" and article.pk != alive[0].pk:
        article.duplicate_of = alive[0]
        article.save()
    elif kind == "visible":
        article.duplicate_of = None
        article.save(update_fields=["duplicate_of"])
    elif kind == "move":
        article.published_at = article.published_at - timedelta(hours=pick % 30, minutes=pick)
        article.save()
    elif kind == "delete":
        article.delete()


@pytest.mark.django_db(transaction=False)
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(made=articles, changed=changes, asked=windows)
def test_counts_from_the_rows_equal_the_definition(made, changed, asked):
    with transaction.atomic():
        source = SourceFactory()
        topics = [TopicFactory(name=f"topic {i}") for i in range(4)]
        stored: list[Article] = []
        with TestCase.captureOnCommitCallbacks(execute=True):
            for published, duplicate, its_links in made:
                article = ArticleFactory(source=source, published_at=published)
                if duplicate and stored:
                    article.duplicate_of = stored[0]
                    article.save()
                for topic, origin, mentions in its_links:
                    ArticleTopicFactory(article=article, topic=topics[topic], origin=origin, mentions=mentions)
                stored.append(article)
        for kind, pick in changed:
            with TestCase.captureOnCommitCallbacks(execute=True):
                _change(kind, pick, stored)
        for start, length in asked:
            end = None if length is None else start + timedelta(seconds=length)
            assert window_counts(start, end) == exact_counts(start, end)
            some = [t.pk for t in topics[: 1 + start.second % 3]]
            assert window_counts(start, end, some) == exact_counts(start, end, some)
        for now in (NOW, NOW - timedelta(hours=7, minutes=13)):
            for limit in (24, 2, 1):  # a limit below the topics that can trend: SQL's cut (taxonomy.trend_read)
                fast = _trending_topics(now, limit)
                slow = _trending_topics(now, limit, counts_of=exact_counts)
                assert [(t.topic.pk, t.article_count, t.growth) for t in fast] == [
                    (t.topic.pk, t.article_count, t.growth) for t in slow
                ]
        kept = _stored()
        trend_counts.recount_all()
        assert _stored() == kept  # the incremental rows are what a rebuild writes
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_a_growing_topic_trends_from_the_rows_and_a_bulk_rebuild_keeps_it():
    source = SourceFactory()
    steady, rising = TopicFactory(name="Europe"), TopicFactory(name="ceasefire")
    for n in range(10):
        ArticleTopicFactory(topic=steady, article=ArticleFactory(source=source, published_at=NOW - timedelta(days=5)))
    for n in range(4):
        when = NOW - timedelta(hours=3, minutes=n)
        ArticleTopicFactory(topic=steady, article=ArticleFactory(source=source, published_at=when))
        ArticleTopicFactory(topic=rising, article=ArticleFactory(source=source, published_at=when))
    assert TopicTrendCount.objects.filter(topic_id=rising.pk, n=4).count() == 2  # its hour and its day
    ranked = _trending_topics(NOW, 24)
    assert [(t.topic.name, t.article_count) for t in ranked] == [("ceasefire", 4)]
    TopicTrendCount.objects.all().delete()
    assert _trending_topics(NOW, 24) == []  # read from the rows: gone with them
    trend_counts.recount_all()
    assert [t.topic.name for t in _trending_topics(NOW, 24)] == ["ceasefire"]


def test_a_two_week_window_reads_few_buckets():
    pieces = split_window(NOW - timedelta(hours=RECENT_HOURS + 24 * BASELINE_DAYS), NOW - timedelta(hours=48))
    hours = sum((e - s) // HOUR for s, e in pieces.hours)
    assert len(pieces.exact) == 2 and hours <= 46 and (pieces.days[0][1] - pieces.days[0][0]) // DAY == 11
