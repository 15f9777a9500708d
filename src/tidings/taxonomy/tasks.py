"""Task wrappers for taxonomy's periodic work."""

from __future__ import annotations

from django_tasks import task

from tidings.taxonomy import article_counts
from tidings.taxonomy.trend_baseline import store_ahead


@task(priority=-5)
def store_trend_baselines_task() -> int:
    """Count and store trending's baselines of this hour and the next (queued periodically: ops.periodic)."""
    return store_ahead()


@task(priority=-5)
def recount_article_counts_task() -> int:
    """Recount every source's and category's stored article count (queued periodically: ops.periodic), the
    repair of drift no signal saw (bulk deletes); returns the targets recounted."""
    return article_counts.recount_all()
