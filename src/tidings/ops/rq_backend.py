"""django-tasks-rq with task priorities, which RQ lacks within one queue (and the plain RQBackend refuses).

A task below the default priority (enrichment, story assignment, retention purge: priority < 0) goes to the queue
LOW_QUEUE; workers are started with `default low`, and RQ takes a job from the first non-empty queue in that
order, so readers' work (a source's refresh, an OPML import) never waits behind a backlog of enrichment. The
highest priority still goes to the front of its queue, as in RQBackend.
"""

from __future__ import annotations

from typing import Any

from django_tasks.base import DEFAULT_TASK_PRIORITY, Task, TaskResult
from django_tasks_rq import RQBackend

LOW_QUEUE = "low"
WORKER_QUEUES = ("default", LOW_QUEUE)  # in the order workers take from them


class PriorityRQBackend(RQBackend):
    supports_priority = True

    def enqueue(self, task: Task, args: Any, kwargs: Any) -> TaskResult:  # type: ignore[type-arg]
        if task.priority < DEFAULT_TASK_PRIORITY and task.queue_name != LOW_QUEUE:
            task = task.using(queue_name=LOW_QUEUE)
        return super().enqueue(task, args, kwargs)
