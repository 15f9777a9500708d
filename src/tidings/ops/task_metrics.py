"""Task durations and failures for /metrics, from django-tasks' task_started and task_finished signals (sent
by every backend: the database worker, RQ's work horse, the immediate backend)."""

from __future__ import annotations

import threading
import time
from typing import Any

from django_tasks.base import TaskResult, TaskResultStatus
from django_tasks.signals import task_finished, task_started

from tidings.lib import metrics

_started: dict[str, float] = {}
_lock = threading.Lock()
MAX_TRACKED = 10_000  # a task whose end never comes (a killed worker) must not grow this forever


def _on_started(sender: Any, task_result: TaskResult, **kwargs: Any) -> None:
    with _lock:
        if len(_started) >= MAX_TRACKED:
            _started.clear()
        _started[str(task_result.id)] = time.monotonic()


def _on_finished(sender: Any, task_result: TaskResult, **kwargs: Any) -> None:
    with _lock:
        began = _started.pop(str(task_result.id), None)
    name = task_result.task.name
    status = str(task_result.status.value if isinstance(task_result.status, TaskResultStatus) else task_result.status)
    if began is not None:
        metrics.TASK_SECONDS.labels(task=name, status=status.lower()).observe(time.monotonic() - began)
    if task_result.status == TaskResultStatus.FAILED:
        metrics.TASK_FAILURES.labels(task=name).inc()


def connect() -> None:
    task_started.connect(_on_started, dispatch_uid="tidings.ops.task_started")
    task_finished.connect(_on_finished, dispatch_uid="tidings.ops.task_finished")
