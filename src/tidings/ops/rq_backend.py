"""django-tasks-rq with task priorities, which RQ lacks within one queue (and the plain RQBackend refuses), and
with the faults of the scale-out shape handled: a job whose worker dies is run again, and enqueueing while
Redis restarts waits for it briefly, then says so (QueueUnavailable) instead of a bare redis error.

A task below the default priority (enrichment, story assignment, retention purge: priority < 0) goes to the queue
LOW_QUEUE; workers are started with `default low`, and RQ takes a job from the first non-empty queue in that
order, so readers' work (a source's refresh, an OPML import) never waits behind a backlog of enrichment. The
highest priority still goes to the front of its queue, as in RQBackend.

Every job carries `Retry(max=TASK_RETRIES)`: when a worker's work-horse is killed (SIGKILL, out of memory) the
worker re-queues the job at once; when the whole worker dies, the job stays in the queue's StartedJobRegistry
until its heartbeat expires (90 s), and the next registry clean-up by any live worker re-queues it: workers
are MaintainedWorker, which cleans each MAINTENANCE_SECONDS instead of RQ's 10 minutes.
Tasks take ids and their services are idempotent (articles are unique by guid/url per source), so a re-run
stores nothing twice. A task that raises is retried the same way.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import django_rq
from django.conf import settings
from django_tasks.base import DEFAULT_TASK_PRIORITY, TASK_MAX_PRIORITY, Task, TaskResult, TaskResultStatus
from django_tasks.signals import task_enqueued
from django_tasks.utils import get_random_id
from django_tasks_rq import Job, RQBackend
from django_tasks_rq.backend import failed_callback, success_callback
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from rq import Queue, Worker
from rq.job import Callback, JobStatus, Retry

from tidings.lib.errors import QueueUnavailable
from tidings.ops.stack import LOW_QUEUE

logger = logging.getLogger(__name__)

# Seconds between tries to reach Redis when enqueueing: ~2 s in all, a restart with an append-only file.
ENQUEUE_BACKOFF = (0.1, 0.3, 0.6, 1.0)
# How often a worker cleans the registries (one worker at a time, under a lock): the bound, after a dead
# worker's heartbeat expired, on how long its job waits to be re-queued.
MAINTENANCE_SECONDS = 60


class MaintainedWorker(Worker):
    """RQ's worker, cleaning registries (re-queueing jobs of dead workers) each MAINTENANCE_SECONDS.

    A worker that takes from LOW_QUEUE (enrichment) loads the enrichment models once, as it starts, in its own
    process; the work horses it forks for every job (as RQ's Worker does, so a killed job is re-queued at once)
    share them instead of each loading them again (tidings.enrichment.preload). Loading before the first job,
    not with one in hand: a load longer than a job's heartbeat (90 s, on a busy machine) would have the job taken
    for abandoned and run twice."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("maintenance_interval", MAINTENANCE_SECONDS)
        super().__init__(*args, **kwargs)

    def work(self, *args: Any, **kwargs: Any) -> bool:
        if LOW_QUEUE in self.queue_names():
            from tidings.enrichment.preload import preload_models

            preload_models()
        return bool(super().work(*args, **kwargs))

    def main_work_horse(self, job: Any, queue: Queue) -> None:
        from tidings.enrichment.preload import in_work_horse

        in_work_horse()
        super().main_work_horse(job, queue)


class PriorityRQBackend(RQBackend):
    supports_priority = True

    def enqueue(self, task: Task, args: Any, kwargs: Any) -> TaskResult:  # type: ignore[type-arg]
        if task.priority < DEFAULT_TASK_PRIORITY and task.queue_name != LOW_QUEUE:
            task = task.using(queue_name=LOW_QUEUE)
        self.validate_task(task)
        for attempt, pause in enumerate((*ENQUEUE_BACKOFF, None), start=1):
            try:
                return self._enqueue_once(task, args, kwargs)
            except (RedisConnectionError, RedisTimeoutError) as exc:
                if pause is None:
                    logger.error("task_enqueue_failed task=%s attempts=%d error=%s", task.name, attempt, exc)
                    raise QueueUnavailable(
                        "The task queue (Redis) cannot be reached; the work was not queued. Try again shortly."
                    ) from exc
                logger.warning("task_enqueue_retry task=%s attempt=%d error=%s", task.name, attempt, exc)
                time.sleep(pause)
        raise AssertionError("unreachable")  # the loop returns or raises

    def _enqueue_once(self, task: Task, args: Any, kwargs: Any) -> TaskResult:  # type: ignore[type-arg]
        """RQBackend.enqueue, with a Retry on the job (RQBackend offers no way to pass one)."""
        task_result: TaskResult = TaskResult(  # type: ignore[type-arg]
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        queue = django_rq.get_queue(task.queue_name, job_class=Job)
        retries = settings.TASK_RETRIES
        job = queue.create_job(
            task.module_path,
            args=args,
            kwargs=kwargs,
            job_id=task_result.id,
            status=JobStatus.SCHEDULED if task.run_after else JobStatus.QUEUED,
            on_failure=Callback(failed_callback),
            on_success=Callback(success_callback),
            meta={"backend_name": self.alias},
            retry=Retry(max=retries) if retries else None,
        )
        if task.run_after is None:
            job = queue.enqueue_job(job, at_front=task.priority == TASK_MAX_PRIORITY)
        else:
            job = queue.schedule_job(job, task.run_after)
        object.__setattr__(task_result, "enqueued_at", job.enqueued_at)
        task_enqueued.send(type(self), task_result=task_result)
        return task_result
