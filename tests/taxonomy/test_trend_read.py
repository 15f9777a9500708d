"""Trending read in SQL (taxonomy.trend_read) ranks as trending.growth_ranking does on the same counts: random
recent and baseline counts written straight into the rows it reads, small limits (SQL's cut), ties, an empty
baseline, falling topics; and a tie that only rounding makes, where the unrounded order would cut wrongly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.articles.factories import ArticleFactory
from tests.sources.factories import SourceFactory
from tidings.taxonomy import trend_baseline, trend_read
from tidings.taxonomy.models import TopicTrendCount, TrendBaseline, TrendBaselineCount, TrendSpan
from tidings.taxonomy.trending import RECENT_HOURS, growth_ranking

# The recent window starts on a whole UTC day: it is read from day rows alone, which the test writes.
NOW = datetime(2026, 3, 10, tzinfo=UTC)
START = NOW - timedelta(hours=RECENT_HOURS)


def _write(recent: dict[int, int], baseline: dict[int, int], recent_total: int, baseline_total: int) -> None:
    """The rows the read sums: `recent` split over the window's two days, the stored baseline, and
    `recent_total` visible articles in the window (they name no topic: the rows are written here)."""
    source = SourceFactory()
    for i in range(recent_total):
        ArticleFactory(source=source, published_at=START + timedelta(hours=1 + i))
    assert not TopicTrendCount.objects.exists()
    TopicTrendCount.objects.bulk_create(
        TopicTrendCount(span=TrendSpan.DAY, start=START + timedelta(days=day), topic_id=pk, n=part)
        for pk, n in recent.items()
        for day, part in enumerate((n // 2, n - n // 2))
        if part > 0
    )
    row = TrendBaseline.objects.create(
        ends_at=trend_baseline.ends_at(NOW), articles=baseline_total, computed_at=NOW - timedelta(hours=1)
    )
    TrendBaselineCount.objects.bulk_create(
        TrendBaselineCount(baseline=row, topic_id=pk, n=n) for pk, n in baseline.items() if n > 0
    )


def _expected(recent, baseline, recent_total, baseline_total, limit):
    counts = {pk: (n, baseline.get(pk, 0)) for pk, n in recent.items() if n > 0}
    return growth_ranking(counts, recent_total, baseline_total, limit=limit)


counts = st.dictionaries(st.integers(1, 120), st.integers(0, 14), max_size=30)


@pytest.mark.django_db(transaction=False)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    recent=counts,
    baseline=counts,
    recent_total=st.integers(0, 5),
    baseline_total=st.sampled_from([0, 1, 3, 5, 8]),
    limit=st.integers(1, 8),
)
def test_the_sql_ranking_is_growth_ranking_on_the_same_counts(recent, baseline, recent_total, baseline_total, limit):
    with transaction.atomic():
        _write(recent, baseline, recent_total, baseline_total)
        assert trend_read.ranking(NOW, limit) == _expected(recent, baseline, recent_total, baseline_total, limit)
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_a_tie_made_by_rounding_is_broken_by_recent_articles_as_growth_ranking_does():
    # Equal totals (scale 1): growth = (recent + 2) / (baseline + 2). 7 grows a little faster unrounded
    # (60001 / 40000 = 1.500025) than 5 (75001 / 50000 = 1.50002), both round to 1.5, so 5 (more recent
    # articles) leads: the first by unrounded growth alone would be 7.
    recent, baseline = {5: 74999, 7: 59999, 9: 10}, {5: 49998, 7: 39998, 9: 30}
    _write(recent, baseline, 4, 4)
    expected = _expected(recent, baseline, 4, 4, 1)
    assert [g.key for g in expected] == [5]
    assert trend_read.ranking(NOW, 1) == expected
    assert trend_read.ranking(NOW, 3) == _expected(recent, baseline, 4, 4, 3)  # 9 fell: not trending
    assert [g.key for g in trend_read.ranking(NOW, 3)] == [5, 7]


@pytest.mark.django_db
def test_with_an_empty_baseline_recent_size_decides():
    recent = {3: 4, 10: 9, 2: 9, 8: 2}
    _write(recent, {}, 3, 0)
    assert [g.key for g in trend_read.ranking(NOW, 2)] == [10, 2]  # equal: by topic id as text
    assert trend_read.ranking(NOW, 5) == _expected(recent, {}, 3, 0, 5)
    assert [g.key for g in trend_read.ranking(NOW, 5)] == [10, 2, 3]  # 8: fewer than MIN_RECENT
