"""Periodic work that runs once per period however many schedulers run (`tidings serve` on several nodes,
`tidings scheduler`): the database holds, per job, when it may run next.

`claim` is one conditional UPDATE (`... SET next_run_at = now + period WHERE name = ? AND next_run_at <= now`):
SQLite serialises writers and PostgreSQL re-checks the WHERE on the row another transaction just changed, so of
any number of racing schedulers exactly one sees a changed row. The winner then queues the job's task unless
the one queued last time (by any node) is still waiting or running.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, close_old_connections, connection, connections
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import default_task_backend
from django_tasks.exceptions import TaskResultDoesNotExist

from tidings.ops.models import PeriodicLease

logger = logging.getLogger(__name__)

RETRY_AFTER_ERROR_SECONDS = 5.0
MIN_WAIT_SECONDS = 0.5


@dataclass(frozen=True, slots=True)
class PeriodicJob:
    name: str
    task_path: str  # dotted path of a django-tasks task that takes no arguments
    every_seconds: float


TREND_BASELINE_EVERY_SECONDS = 1800.0  # trending's stored baseline is per hour: counted ahead, twice an hour
ARTICLE_COUNTS_EVERY_SECONDS = 3600.0  # the stored source and category counts' repair (a few seconds at 1M)


def default_jobs(refresh_every: float, purge_every: float = 3600.0) -> list[PeriodicJob]:
    """The periodic work: a refresh of due sources (off when refresh_every is 0), the retention purge and
    trending's baselines counted ahead of their hour (taxonomy.trend_baseline) and the recount of the stored
    source and category article counts (taxonomy.article_counts)."""
    jobs = [
        PeriodicJob("purge_interactions", "tidings.personalization.tasks.purge_interactions_task", purge_every),
        PeriodicJob(
            "trend_baseline", "tidings.taxonomy.tasks.store_trend_baselines_task", TREND_BASELINE_EVERY_SECONDS
        ),
        PeriodicJob(
            "article_counts", "tidings.taxonomy.tasks.recount_article_counts_task", ARTICLE_COUNTS_EVERY_SECONDS
        ),
    ]
    if refresh_every > 0:
        jobs.insert(0, PeriodicJob("refresh_due_sources", "tidings.ingest.tasks.refresh_due_sources", refresh_every))
    return jobs


def holder_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:200]


def claim(name: str, every: timedelta, *, now: datetime | None = None, holder: str = "") -> bool:
    """Whether this caller won the job `name` for the current period (and moved its next run `every` ahead)."""
    now = now or timezone.now()
    # Another scheduler may create the row between our look and our insert: it is there either way.
    with contextlib.suppress(IntegrityError):
        PeriodicLease.objects.get_or_create(name=name, defaults={"next_run_at": now})
    won = PeriodicLease.objects.filter(name=name, next_run_at__lte=now).update(
        next_run_at=now + every, last_run_at=now, holder=holder or holder_name()
    )
    return won == 1


def run_due(jobs: Sequence[PeriodicJob], *, now: datetime | None = None, holder: str = "") -> float:
    """Claim and queue every job that is due; returns the seconds until one may be due next.

    Database errors are logged and retried a few seconds later; a failing task never stops the caller. No
    connection (or SQLite lock) is held afterwards, unless the caller is inside a transaction.
    """
    # A caller inside a transaction (a test, a command wrapping its work) keeps its connection.
    own_connection = not connection.in_atomic_block
    try:
        if own_connection:
            close_old_connections()
        now = now or timezone.now()
        for job in jobs:
            if claim(job.name, timedelta(seconds=job.every_seconds), now=now, holder=holder):
                _queue(job)
        upcoming = PeriodicLease.objects.filter(name__in=[job.name for job in jobs]).values_list(
            "next_run_at", flat=True
        )
        wait = min(((at - timezone.now()).total_seconds() for at in upcoming), default=RETRY_AFTER_ERROR_SECONDS)
        return max(MIN_WAIT_SECONDS, wait)
    except DatabaseError as err:
        logger.warning("periodic_claim_failed error=%s", err)
        return RETRY_AFTER_ERROR_SECONDS
    finally:
        if own_connection:
            connections.close_all()


def _queue(job: PeriodicJob) -> None:
    previous = PeriodicLease.objects.filter(name=job.name).values_list("task_id", flat=True).first()
    if previous and not _finished(previous):
        logger.info("periodic_skipped job=%s reason=previous_still_queued task_id=%s", job.name, previous)
        return
    try:
        task = import_string(job.task_path)
        result = task.enqueue()
    except DatabaseError:
        raise
    except Exception:  # an inline (immediate-backend) task that failed, or a queue that is down
        logger.exception("periodic_failed job=%s", job.name)
        return
    PeriodicLease.objects.filter(name=job.name).update(task_id=str(result.id)[:64])
    logger.info("periodic_queued job=%s task_id=%s", job.name, result.id)


def _finished(task_id: str) -> bool:
    """Whether a queued task is done; one the backend no longer knows (or cannot look up) counts as done."""
    try:
        return bool(default_task_backend.get_result(task_id).is_finished)
    except (NotImplementedError, TaskResultDoesNotExist, ValueError, ValidationError):
        return True
