"""Refresh tasks: ids in, one service call (the near-duplicate linking task is in stories.tasks)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from tidings.ingest.refresh import refresh_source, refresh_sources
from tidings.sources.models import Source

MAX_SOURCES_PER_RUN = 2000


@task()
def refresh_source_task(source_id: int) -> str:
    """Refresh one source; returns the outcome status ('ok', 'not_modified', 'failed', 'paused')."""
    return refresh_source(source_id).status


@task()
def refresh_due_sources() -> int:
    """Refresh every due source in this worker, in one event loop (a batch); returns how many were refreshed."""
    now = timezone.now()
    due = Source.objects.due(now).order_by(F("next_fetch_at").asc(nulls_first=True), "pk")
    source_ids = list(due.values_list("pk", flat=True)[:MAX_SOURCES_PER_RUN])
    # Claim them first, so a second run while this one is fetching does not take them too;
    # each refresh then sets the real next fetch time.
    claim_until = now + timedelta(seconds=settings.REFRESH_INTERVAL_SECONDS)
    Source.objects.filter(pk__in=source_ids).update(next_fetch_at=claim_until)
    return len(refresh_sources(source_ids))
