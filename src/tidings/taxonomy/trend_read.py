"""Trending read where the data is: the recent window's counts per topic (taxonomy.trend_counts' hour and day rows
plus the exact ragged end), each joined to its stored baseline count (taxonomy.TrendBaselineCount), the growth
and the first topics by growth in one SQL query, so Python gets a few dozen rows instead of every topic with
MIN_RECENT recent articles (~4,200 at a million articles; decoding, looking up and ranking those in Python grew
Browse's and home's cold time with the corpus).

The ranking itself stays trending.growth_ranking's, on the rows SQL returns: SQL ranks by the unrounded growth,
growth_ranking by growth rounded to four places and then by recent articles and topic id, so SQL returns every
topic whose growth is within MARGIN of the limit-th growth. Any topic of the top `limit` by rounded growth is
among them: at least `limit` topics have growth >= g (the limit-th unrounded), so the limit-th rounded growth is
at least round(g), and a topic rounding to at least round(g) has a growth above g - 0.00005 - (float error).
"""

from __future__ import annotations

from datetime import datetime

from django.db import connections, router

from tidings.taxonomy import trend_baseline
from tidings.taxonomy.models import TrendBaselineCount
from tidings.taxonomy.trend_counts import window_sql
from tidings.taxonomy.trending import MIN_GROWTH, MIN_RECENT, PRIOR, Growth, growth_ranking

MARGIN = 0.0002  # twice the most rounding to four places moves a growth, plus room for float error

# {total}: the recent window's visible articles (trend_baseline.visible_since_sql); {window}: its counts per
# topic (trend_counts.window_sql). Parameters after those: MIN_RECENT, the baseline's visible articles (twice),
# PRIOR (twice), the baseline's id, the least growth (exclusive), limit - 1, MARGIN. Every row carries the
# recent total (growth_ranking needs it; with no row nothing trends and it is not needed). LIMIT 1 keeps PostgreSQL
# from inlining `totals` into each use (its two counts were read three times). {fence}: on PostgreSQL, OFFSET 0
# keeps the baseline's rows a subquery, so they are hashed once (~20,000 rows read in index order at a million
# articles) instead of looked up topic by topic (the planner expects a few dozen candidates, not ~4,000); SQLite
# looks each up in the trend_baseline_count_read index.
RANKED_SQL = """
WITH totals AS (
    SELECT {total} AS recent_total LIMIT 1
), recent AS (
    SELECT topic_id, SUM(n) AS n FROM ({window}) AS counted GROUP BY topic_id HAVING SUM(n) >= %s
), scaled AS (
    SELECT recent_total, CASE WHEN %s > 0
        THEN CAST(recent_total AS DOUBLE PRECISION) / CAST(%s AS DOUBLE PRECISION)
        ELSE CAST(0 AS DOUBLE PRECISION) END AS scale
    FROM totals
), grown AS (
    SELECT r.topic_id AS topic_id, r.n AS recent, COALESCE(b.n, 0) AS baseline, s.recent_total AS recent_total,
        (CAST(r.n AS DOUBLE PRECISION) + CAST(%s AS DOUBLE PRECISION))
        / (CAST(COALESCE(b.n, 0) AS DOUBLE PRECISION) * s.scale + CAST(%s AS DOUBLE PRECISION)) AS growth
    FROM recent r CROSS JOIN scaled s
    LEFT JOIN (SELECT topic_id, n FROM {baseline} WHERE baseline_id = %s{fence}) b ON b.topic_id = r.topic_id
), eligible AS (
    SELECT topic_id, recent, baseline, recent_total, growth FROM grown WHERE growth > CAST(%s AS DOUBLE PRECISION)
)
SELECT topic_id, recent, baseline, recent_total FROM eligible
WHERE growth >= COALESCE(
    (SELECT growth FROM eligible ORDER BY growth DESC LIMIT 1 OFFSET %s), CAST(-1 AS DOUBLE PRECISION)
) - CAST(%s AS DOUBLE PRECISION)
"""


def ranking(now: datetime, limit: int) -> list[Growth[int]]:
    """The first `limit` topics by growth at `now` (the recent window from the rows, the baseline stored):
    growth_ranking(window_counts(recent) with the stored baseline's counts, ...)[:limit], read in SQL.

    Two queries when the baseline is stored (the periodic job stores it ahead): its row, the ranking. When it is
    not, the ranking read as if the baseline were empty tells whether any topic has MIN_RECENT recent articles:
    only then is the baseline counted, stored and the ranking read with it."""
    if limit <= 0:
        return []
    end = trend_baseline.ends_at(now)
    kept = trend_baseline.stored_total(end)
    if kept is None:
        if not _candidates(now, None, 0, limit):
            return []  # nothing can trend: spare counting the baseline
        kept = trend_baseline.store_total(end)
    baseline_id, baseline_total = kept
    found = _candidates(now, baseline_id, baseline_total, limit)
    if not found:
        return []
    recent_total = found[0][3]
    counts = {int(pk): (int(recent), int(baseline)) for pk, recent, baseline, _ in found}
    return growth_ranking(counts, recent_total, baseline_total, limit=limit)


def _candidates(
    now: datetime, baseline_id: int | None, baseline_total: int, limit: int
) -> list[tuple[int, int, int, int]]:
    """(topic id, recent articles, baseline articles, recent window's visible articles) of the topics that can
    be among the first `limit` (RANKED_SQL)."""
    recent_start = trend_baseline.recent_start(now)
    total, params = trend_baseline.visible_since_sql(recent_start)
    window, window_params = window_sql(recent_start, None)
    alias = router.db_for_read(TrendBaselineCount)
    fence = " OFFSET 0" if connections[alias].vendor == "postgresql" else ""
    sql = RANKED_SQL.format(total=total, window=window, baseline=TrendBaselineCount._meta.db_table, fence=fence)
    # growth_ranking keeps growth > MIN_GROWTH (any growth with an empty baseline); the float error of the two
    # sides is far below 1e-9, and growth_ranking applies the exact test to what comes back.
    least = MIN_GROWTH - 1e-9 if baseline_total > 0 else -1.0
    params += window_params
    params += [MIN_RECENT, baseline_total, baseline_total, PRIOR, PRIOR, baseline_id, least, limit - 1, MARGIN]
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())
