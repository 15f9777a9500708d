"""Helpers for the scale-out fault tests: a Redis server that can be stopped and started again on its port and
folder, the environment the app's processes share, gunicorn and RQ worker processes, and a feed to refresh."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from django.test import override_settings

from tests.lib import unused_port
from tests.ops.test_scale_out import ROOT, _wait_for_port

WORKER_CLASS = "django_tasks_rq.Job"
WEB_APP_NAME = "tidings-web"  # PostgreSQL application_name of the gunicorn processes' connections
APP_NAMES = (WEB_APP_NAME, "tidings-worker")  # the processes' connections; ended after each test


def require_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the scale-out shape runs on PostgreSQL: run under scripts/with-postgres (make test-postgres does)")


class RedisServer:
    """redis-server on a fixed port and folder, with the scale shape's persistence (append-only, fsync each
    second); stop() and start() again keep both, as a restart does."""

    def __init__(self, folder: Path) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.skip("redis-server is not installed (apt-get install redis-server; `make test` installs it)")
        self.binary = binary
        self.folder = folder
        self.port = unused_port()
        self.process: subprocess.Popen[bytes] | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> RedisServer:
        args = [self.binary, "--bind", "127.0.0.1", "--port", str(self.port), "--dir", str(self.folder),
                "--save", "", "--appendonly", "yes", "--appendfsync", "everysec"]  # fmt: skip
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL)
        _wait_for_port(self.port, self.process)
        return self

    def stop(self) -> None:
        """SIGTERM, as `systemctl restart redis` sends: Redis writes its append-only file and exits."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        self.process = None


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    folder = tmp_path / "redis"
    folder.mkdir()
    server = RedisServer(folder).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def app_connections_closed() -> Iterator[None]:
    """After the test, no connection of a killed or stopped app process is left to hold the test database."""
    yield
    if connection.vendor != "postgresql":
        return
    query = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ANY(%s)"
    query += " AND datname = current_database()"  # not another xdist worker's test database
    with connection.cursor() as cursor:
        cursor.execute(query, [list(APP_NAMES)])


def database_url(application_name: str = "") -> str:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return f"{url}?application_name={application_name}" if application_name else url


def app_env(tmp_path: Path, redis: RedisServer, *, application_name: str = "tidings-worker") -> dict[str, str]:
    """The environment of the scale shape's processes (as scripts/scale-stack sets it)."""
    metrics = tmp_path / "metrics"
    metrics.mkdir(exist_ok=True)
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tidings.settings",
        "PYTHONPATH": str(ROOT / "src"),
        "TIDINGS_DATABASE_URL": database_url(application_name),
        "TIDINGS_TASK_BACKEND": "rq",
        "TIDINGS_REDIS_URL": redis.url(0),
        "TIDINGS_CACHE_URL": redis.url(1),
        "TIDINGS_VAR_DIR": str(tmp_path / "var"),
        "TIDINGS_METRICS_DIR": str(metrics),
        "TIDINGS_FETCH_ALLOW_NETWORKS": "127.0.0.0/8",
        "TIDINGS_LOG_LEVEL": "WARNING",
    }


@contextlib.contextmanager
def rq_settings(redis: RedisServer) -> Iterator[None]:
    """This test process enqueues to the RQ queues on `redis`, as the web processes do."""
    tasks = {"default": {"BACKEND": "tidings.ops.rq_backend.PriorityRQBackend", "QUEUES": ["default", "low"]}}
    queues = {"default": {"URL": redis.url(0)}, "low": {"URL": redis.url(0)}}
    with override_settings(TASKS=tasks, RQ_QUEUES=queues):
        yield


def start_worker(env: dict[str, str], *queues: str, burst: bool = True) -> subprocess.Popen[bytes]:
    """`tidings rqworker` in its own process group (so that killing the group kills its work-horse too)."""
    args = [sys.executable, "-m", "tidings.cli", "rqworker", "--job-class", WORKER_CLASS, *(queues or ("default",))]
    if burst:
        args.insert(4, "--burst")
    return subprocess.Popen(
        args, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )


def start_gunicorn(env: dict[str, str], port: int, *, workers: int = 2) -> subprocess.Popen[bytes]:
    args = [sys.executable, "-m", "gunicorn", "tidings.wsgi:application", "--bind", f"127.0.0.1:{port}",
            "--workers", str(workers), "--worker-class", "gthread", "--threads", "2", "--no-control-socket"]  # fmt: skip
    process = subprocess.Popen(args, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _wait_for_port(port, process)
    return process


def stop(*processes: subprocess.Popen[bytes]) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def kill_group(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL the process and every process of its group (a worker and its work-horse): no clean-up runs."""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def children(pid: int) -> list[int]:
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


def wait_until(condition: Callable[[], object], what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.05)


def rss(items: range) -> bytes:
    """An RSS feed with one item per number: guid, link, title and a description long enough to be kept."""
    body = "".join(
        f"<item><guid>urn:faults:{n}</guid><link>http://example.org/story/{n}</link><title>Story number {n}"
        f"</title><description>{f'Paragraph of story {n}. ' * 30}</description></item>"
        for n in items
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Faults</title>{body}</channel></rss>'.encode()


def request(port: int, path: str, *, token: str = "", body: dict[str, object] | None = None) -> tuple[int, bytes]:
    headers = {"Host": "localhost", **({"Authorization": f"Bearer {token}"} if token else {})}
    data = None
    if body is not None:
        data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def admin_connection() -> psycopg.Connection:
    """A connection of the test's own, outside Django's, to hold locks and end the app's connections."""
    db = connection.settings_dict
    return psycopg.connect(host=db["HOST"], port=db["PORT"], user=db["USER"], dbname=db["NAME"])
