"""Helpers for the scale-out tests, on the shape's own start-up (tidings.ops.stack): a Redis server that can be
stopped and started again on its port and folder, the environment the app's processes share on the test
database, web server (gunicorn or granian) and RQ worker processes, and a feed to refresh."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from django.test import override_settings

from tidings.ops import stack
from tidings.ops.stack import RedisServer

ROOT = stack.SRC.parent

WEB_APP_NAME = "tidings-web"  # PostgreSQL application_name of the web server processes' connections
APP_NAMES = (WEB_APP_NAME, "tidings-worker")  # the processes' connections; ended after each test


def require_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the scale-out shape runs on PostgreSQL: run under scripts/with-postgres (make test-postgres does)")


def require_redis() -> None:
    if RedisServer.binary() is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server; `make test` installs it)")


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    """A throwaway redis-server with the deployed persistence (tidings.ops.stack.RedisServer)."""
    require_redis()
    folder = tmp_path / "redis"
    folder.mkdir()
    with stack.redis_server(folder) as server:
        yield server


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
    """The environment of the scale shape's processes (tidings.ops.stack.app_env), on the test database."""
    env = stack.app_env(
        {**os.environ, "TIDINGS_FETCH_ALLOW_NETWORKS": "127.0.0.0/8", "TIDINGS_LOG_LEVEL": "WARNING"},
        var_dir=tmp_path / "var",
        redis_url=redis.url(0),
        database_url=database_url(application_name),
        metrics_dir=tmp_path / "metrics",
    )
    env["TIDINGS_CACHE_URL"] = redis.url(1)  # this Redis's, not one the test run's environment names
    return env


@contextlib.contextmanager
def rq_settings(redis: RedisServer) -> Iterator[None]:
    """This test process enqueues to the RQ queues on `redis`, as the web processes do."""
    tasks = {"default": {"BACKEND": "tidings.ops.rq_backend.PriorityRQBackend", "QUEUES": ["default", "low"]}}
    queues = {"default": {"URL": redis.url(0)}, "low": {"URL": redis.url(0)}}
    with override_settings(TASKS=tasks, RQ_QUEUES=queues):
        yield


def start_worker(env: dict[str, str], *queues: str, burst: bool = True) -> subprocess.Popen[bytes]:
    """`tidings rqworker` in its own process group (so that killing the group kills its work-horse too)."""
    command = stack.worker_command(*(queues or ("default",)), scheduler=False, burst=burst)
    return subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )


@pytest.fixture(params=stack.WSGI_SERVERS)
def wsgi_server(request: pytest.FixtureRequest) -> str:
    """Each web server the shape can run (TIDINGS_WSGI_SERVER): the test runs once with each."""
    return str(request.param)


def start_web(
    env: dict[str, str], port: int, server: str, *, workers: int = 2, log: Path | None = None
) -> subprocess.Popen[bytes]:
    """The web server `server` (workers processes x 2 threads) on 127.0.0.1:port, once it listens; its output
    goes to `log` when given (a failing test can show it: log_tail)."""
    command = stack.web_command("127.0.0.1", port, server=server, workers=workers, threads=2)
    output = log.open("ab") if log is not None else subprocess.DEVNULL
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=output, stderr=output)
    stack.wait_for_port(port, process)
    return process


def log_tail(log: Path, lines: int = 40) -> str:
    """The last lines of a server's log (for an assertion's message)."""
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:]) if log.exists() else "(no log)"


def stop(*processes: subprocess.Popen[bytes]) -> None:
    for process in processes:
        stack.stop_process(process, group=False)


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
