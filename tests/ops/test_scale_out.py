"""The scale-out shape end to end: PostgreSQL, Redis, gunicorn with two workers and an RQ worker process.

A task queued here (through Redis) is run by a separate `tidings rqworker` against the same PostgreSQL database;
gunicorn's /healthz sees the Redis queue and cache, and its /metrics shows the worker's task run (the processes
share TIDINGS_METRICS_DIR). Skipped, saying why, without redis-server or off PostgreSQL; `make test` installs
redis-server and runs the suite on PostgreSQL too.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from django_tasks.base import TaskResultStatus

from tests.lib import unused_port
from tests.personalization.factories import ProfileFactory
from tidings.personalization.learning import record
from tidings.personalization.models import Interaction
from tidings.personalization.tasks import purge_interactions_task

pytestmark = pytest.mark.django_db(transaction=True)  # the worker process must see what the test wrote
ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 60.0


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server; `make test` installs it)")
    port = unused_port()
    process = subprocess.Popen(
        [
            server,
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--dir",
            str(tmp_path),
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        _wait_for_port(port, process)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def on_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the scale-out shape runs on PostgreSQL: run under scripts/with-postgres (make test-postgres does)")


def _wait_for_port(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{process.args[0]} exited with {process.returncode} before listening")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing listened on port {port} within {START_TIMEOUT:.0f} s")


def _get(url: str) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Host": "localhost"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def test_a_task_runs_end_to_end_on_postgresql_redis_and_an_rq_worker(on_postgresql, redis_url, tmp_path):
    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tidings.settings",
        "PYTHONPATH": str(ROOT / "src"),
        "TIDINGS_DATABASE_URL": database_url,
        "TIDINGS_TASK_BACKEND": "rq",
        "TIDINGS_REDIS_URL": redis_url,
        "TIDINGS_CACHE_URL": redis_url.rsplit("/", 1)[0] + "/1",
        "TIDINGS_VAR_DIR": str(tmp_path / "var"),
        "TIDINGS_METRICS_DIR": str(metrics_dir),
    }
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
        [sys.executable, "-m", "tidings.cli", "rqworker", "--burst", "--job-class", "django_tasks_rq.Job",
         "default", "low"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    web = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "tidings.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--worker-class", "gthread", "--threads", "2", "--no-control-socket"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        _, errors = worker.communicate(timeout=120)
        assert worker.returncode == 0, errors.decode()[-2000:]
        with override_settings(TASKS=rq_tasks, RQ_QUEUES=rq_queues):
            result.refresh()
        assert result.status == TaskResultStatus.SUCCESSFUL
        assert result.return_value == 1
        assert Interaction.objects.count() == 1

        _wait_for_port(port, web)
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
