"""Task wrappers for taxonomy's periodic work."""

from __future__ import annotations

from django_tasks import task

from tidings.taxonomy.trend_baseline import store_ahead


@task(priority=-5)
def store_trend_baselines_task() -> int:
    """Count and store trending's baselines of this hour and the next (queued periodically: ops.periodic)."""
    return store_ahead()
