"""The scale-out shape end to end: PostgreSQL, Redis, the web server (gunicorn, then granian) with two workers and an
RQ worker process.

A task queued here (through Redis) is run by a separate `tidings rqworker` against the same PostgreSQL database;
the web server's /healthz sees the Redis queue and cache, and its /metrics shows the worker's task run (the processes
share TIDINGS_METRICS_DIR). Skipped, saying why, without redis-server or off PostgreSQL; `make test` installs
redis-server and runs the suite on PostgreSQL too.
"""

from __future__ import annotations

import json
import os
import subprocess
import urllib.request
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from django_tasks.base import TaskResultStatus

from tests.lib import unused_port
from tests.ops.stack import database_url, require_postgresql
from tests.personalization.factories import ProfileFactory
from tidings.ops import stack
from tidings.personalization.learning import record
from tidings.personalization.models import Interaction
from tidings.personalization.tasks import purge_interactions_task

pytestmark = pytest.mark.django_db(transaction=True)  # the worker process must see what the test wrote
ROOT = stack.SRC.parent


@pytest.fixture
def redis_url(redis_server) -> str:
    return redis_server.url(0)


@pytest.fixture
def on_postgresql() -> None:
    require_postgresql()


def _get(url: str) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Host": "localhost"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def test_a_task_runs_end_to_end_on_postgresql_redis_and_an_rq_worker(on_postgresql, redis_url, tmp_path, wsgi_server):
    env = stack.app_env(
        os.environ, var_dir=tmp_path / "var", redis_url=redis_url, database_url=database_url(),
        metrics_dir=tmp_path / "metrics",
    )  # fmt: skip
    profile = ProfileFactory()
    record(profile, "open", now=timezone.now() - timedelta(days=400))
    record(profile, "open", now=timezone.now())

    rq_tasks = {"default": {"BACKEND": "tidings.ops.rq_backend.PriorityRQBackend", "QUEUES": ["default", "low"]}}
    rq_queues = {"default": {"URL": redis_url}, "low": {"URL": redis_url}}
    with override_settings(TASKS=rq_tasks, RQ_QUEUES=rq_queues):
        result = purge_interactions_task.enqueue()  # priority -10: the "low" queue
    assert result.status == TaskResultStatus.READY

    port = unused_port()
    # Both start at once (each takes seconds to import Django): the worker runs what is queued, then exits.
    worker = subprocess.Popen(
        stack.worker_command(scheduler=False, burst=True),
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    web = subprocess.Popen(
        stack.web_command("127.0.0.1", port, server=wsgi_server, threads=2),
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        # The worker takes from "low" too, so it loads the enrichment models before this job (ops.rq_backend).
        _, errors = worker.communicate(timeout=300)
        assert worker.returncode == 0, errors.decode()[-2000:]
        with override_settings(TASKS=rq_tasks, RQ_QUEUES=rq_queues):
            result.refresh()
        assert result.status == TaskResultStatus.SUCCESSFUL
        assert result.return_value == 1
        assert Interaction.objects.count() == 1

        stack.wait_for_port(port, web)
        status, body = _get(f"http://127.0.0.1:{port}/healthz")
        assert status == 200, body
        assert json.loads(body)["checks"]["queue"]["ok"]
        status, body = _get(f"http://127.0.0.1:{port}/metrics")
        assert status == 200
        runs = 'tidings_task_duration_seconds_count{status="successful",task="purge_interactions_task"} 1.0'
        assert runs in body.decode()
    finally:
        for process in (worker, web):
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=30)
