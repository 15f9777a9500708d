"""Trending's stored baseline (taxonomy.trend_baseline): what it stores is the baseline window counted from the
links, the ranking read with it is the ranking of the definition (every count taken from the links here), and
the periodic job stores the hours ahead and drops old ones."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.articles.factories import ArticleFactory
from tests.sources.factories import SourceFactory
from tests.taxonomy.factories import ArticleTopicFactory, TopicFactory
from tidings.articles.models import Article
from tidings.ops import periodic
from tidings.taxonomy import trend_baseline
from tidings.taxonomy.models import Origin, TrendBaseline, TrendBaselineCount
from tidings.taxonomy.trend_counts import exact_counts
from tidings.taxonomy.trending import BASELINE_DAYS, RECENT_HOURS, growth_ranking
from tidings.web.catalog import _trending_topics

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 10, 13, 27, 41, 250000, tzinfo=UTC)
ALIGNED = datetime(2026, 3, 10, 13, 0, tzinfo=UTC)  # now - RECENT_HOURS is a whole hour: the windows touch


@pytest.fixture
def news():
    """Eight topics over 16 days: steady ones, ones that grew lately, a few duplicates and roll-up links."""
    rng = random.Random(17)
    source = SourceFactory()
    topics = [TopicFactory(name=f"topic {i}") for i in range(8)]
    made: list[Article] = []
    for _ in range(180):
        recent = rng.random() < 0.35
        hours_ago = rng.uniform(0, RECENT_HOURS + 2) if recent else rng.uniform(RECENT_HOURS - 2, 16 * 24)
        article = ArticleFactory(source=source, published_at=NOW - timedelta(hours=hours_ago))
        if made and rng.random() < 0.05:
            Article.objects.filter(pk=article.pk).update(duplicate_of=made[0])
        # Topics 0-2 grow in the recent window; the rest keep their share.
        weights = [4, 3, 3, 1, 1, 1, 1, 1] if recent else [1, 1, 1, 3, 3, 3, 3, 3]
        for topic in set(rng.choices(topics, weights=weights, k=rng.randint(1, 3))):
            mentions = 0 if rng.random() < 0.1 else 1
            ArticleTopicFactory(article=article, topic=topic, origin=Origin.MODEL, mentions=mentions)
        made.append(article)
    return topics


def visible(start: datetime, end: datetime | None) -> int:
    found = Article.objects.filter(duplicate_of__isnull=True, published_at__gte=start)
    return (found if end is None else found.filter(published_at__lt=end)).count()


def defined_ranking(now: datetime, baseline_end: datetime) -> list[tuple[int, int, float]]:
    """The ranking with every count taken from the links: the recent window [now - RECENT_HOURS, now), the
    baseline window of BASELINE_DAYS ending at `baseline_end`."""
    recent_start = now - timedelta(hours=RECENT_HOURS)
    baseline_start = baseline_end - timedelta(days=BASELINE_DAYS)
    recent, baseline = exact_counts(recent_start, None), exact_counts(baseline_start, baseline_end)
    counts = {pk: (recent.get(pk, 0), baseline.get(pk, 0)) for pk in {*recent, *baseline}}
    ranked = growth_ranking(counts, visible(recent_start, None), visible(baseline_start, baseline_end), limit=24)
    return [(g.key, g.recent, g.growth) for g in ranked]


def shown(ranked) -> list[tuple[int, int, float]]:
    return [(t.topic.pk, t.article_count, t.growth) for t in ranked]


def test_the_stored_baseline_is_the_window_counted_from_the_links(news):
    end = trend_baseline.ends_at(NOW)
    assert end == datetime(2026, 3, 8, 13, 0, tzinfo=UTC)
    found = trend_baseline.stored(end)
    start = end - timedelta(days=BASELINE_DAYS)
    assert found.counts == exact_counts(start, end) and found.articles == visible(start, end)
    assert found.articles > 50 and len(found.counts) == 8  # not an empty comparison
    with CaptureQueriesContext(connection) as captured:
        again = trend_baseline.stored(end)
    assert again == found and len(captured.captured_queries) == 2  # read back (row, its counts), not counted again
    assert TrendBaselineCount.objects.filter(baseline__ends_at=end).count() == len(found.counts)


def test_the_ranking_read_with_it_is_the_definitions(news):
    for now in (NOW, ALIGNED, NOW - timedelta(hours=5, minutes=7)):
        expected = defined_ranking(now, trend_baseline.ends_at(now))
        assert len(expected) >= 2, expected
        assert shown(_trending_topics(now, 24)) == expected


def test_with_whole_hours_it_is_the_ranking_as_it_was_before_the_stored_baseline(news):
    # Before: the baseline window ended where the recent one starts. They touch when that is a whole hour.
    recent_start = ALIGNED - timedelta(hours=RECENT_HOURS)
    assert trend_baseline.ends_at(ALIGNED) == recent_start
    assert shown(_trending_topics(ALIGNED, 24)) == defined_ranking(ALIGNED, recent_start)


def test_the_periodic_job_stores_this_hour_and_the_next_and_drops_old_ones(news):
    old = TrendBaseline.objects.create(
        ends_at=datetime(2026, 3, 1, tzinfo=UTC), articles=1, computed_at=NOW - timedelta(days=9)
    )
    TrendBaselineCount.objects.create(baseline=old, topic_id=news[0].pk, n=1)
    assert trend_baseline.store_ahead(NOW) == 2
    assert trend_baseline.store_ahead(NOW) == 0  # already there
    end = trend_baseline.ends_at(NOW)
    assert sorted(TrendBaseline.objects.values_list("ends_at", flat=True)) == [end, end + timedelta(hours=1)]
    assert not TrendBaseline.objects.filter(pk=old.pk).exists()
    assert not TrendBaselineCount.objects.filter(baseline_id=old.pk).exists()  # its counts went with it
    next_hour = NOW + timedelta(hours=1)
    assert shown(_trending_topics(next_hour, 24)) == defined_ranking(next_hour, trend_baseline.ends_at(next_hour))
    assert "trend_baseline" in [job.name for job in periodic.default_jobs(refresh_every=0)]
