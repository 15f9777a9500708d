"""How many tasks wait in the queue of the configured task backend (database, RQ on Redis, or none)."""

from __future__ import annotations

from django.conf import settings


def backend_kind() -> str:
    backend = str(settings.TASKS["default"]["BACKEND"])
    if backend.startswith("django_tasks_db"):
        return "db"
    if backend.startswith("django_tasks_rq") or backend.endswith("RQBackend"):
        return "rq"
    return "immediate"


def queue_depth() -> int:
    """Tasks queued and not yet started (0 for the immediate backend, which has no queue); raises when the
    queue cannot be reached."""
    kind = backend_kind()
    if kind == "db":
        from django_tasks.base import TaskResultStatus
        from django_tasks_db.models import DBTaskResult

        return DBTaskResult.objects.filter(status=TaskResultStatus.READY).count()
    if kind == "rq":
        import django_rq

        return sum(django_rq.get_queue(name).count for name in settings.RQ_QUEUES)
    return 0


def ping_queue() -> None:
    """Raise unless the queue answers: Redis PING for RQ, a query on the task table for the database backend."""
    if backend_kind() == "rq":
        import django_rq

        for name in settings.RQ_QUEUES:
            django_rq.get_connection(name).ping()
    else:
        queue_depth()
