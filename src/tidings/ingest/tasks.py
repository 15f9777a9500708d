"""Tasks: ids in, one service call."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from tidings.ingest.refresh import next_fetch_after, refresh_source
from tidings.sources.models import Source


@task()
def refresh_source_task(source_id: int) -> str:
    """Refresh one source; returns the outcome status ('ok', 'not_modified', 'failed', 'paused')."""
    return refresh_source(source_id).status


@task()
def refresh_due_sources() -> int:
    """Queue a refresh for every due source; returns how many were queued."""
    now = timezone.now()
    source_ids = list(Source.objects.due(now).values_list("pk", flat=True))
    # Claim them first, so a second run before the worker catches up does not queue them twice.
    Source.objects.filter(pk__in=source_ids).update(
        next_fetch_at=next_fetch_after(now, 0, settings.REFRESH_INTERVAL_SECONDS)
    )
    for source_id in source_ids:
        refresh_source_task.enqueue(source_id)
    return len(source_ids)
