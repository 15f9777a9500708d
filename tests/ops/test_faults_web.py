"""Faults of the scale-out shape seen from the web: a web server worker killed mid-request, and Redis restarted
while the site runs; each with gunicorn and with granian (TIDINGS_WSGI_SERVER). Run on PostgreSQL with redis-server (skipped otherwise, saying why), as test_scale_out.py.

A request whose process is killed is lost with its connection: the client sees the connection reset and tries
again (nginx does the same for idempotent requests when it has another upstream; see README "Running in
production"); the server's main process (gunicorn's arbiter, granian's with --respawn-failed-workers) starts a
new worker and every later request is answered.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import django_rq
import pytest
from django_tasks.base import TaskResultStatus

from tests.lib import unused_port
from tests.ops.stack import (
    WEB_APP_NAME,
    admin_connection,
    app_env,
    children,
    request,
    rq_settings,
    rss,
    start_web,
    start_worker,
    stop,
    wait_until,
)
from tidings.articles.models import Article
from tidings.ingest.tasks import refresh_source_task
from tidings.sources.models import FullTextMode, Source

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("app_connections_closed")]


def pid_with_local_port(port: int, candidates: list[int]) -> int:
    """Which of the candidate processes owns the TCP socket bound to local `port` (/proc, Linux)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(f"socket:[{fields[9]}]")
    for pid in candidates:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                if os.readlink(fd) in inodes:
                    return pid
            except OSError:
                continue
    raise AssertionError(f"no process among {candidates} holds local port {port}")


def retried(send: Callable[[], tuple[int, bytes]], wsgi_server: str) -> tuple[int, bytes]:
    """The client's retry. gunicorn answers the first one; granian may reset it too while it replaces the killed
    worker (seen under load in the suite), so there the client gets up to three tries a second apart."""
    tries = 3 if wsgi_server == "granian" else 1
    for attempt in range(tries):
        try:
            return send()
        except ConnectionResetError:
            if attempt == tries - 1:
                raise
            time.sleep(1)
    raise AssertionError("unreachable")


def test_a_request_whose_web_worker_is_killed_is_answered_on_retry_and_the_worker_replaced(
    reader_token, redis_server, tmp_path, wsgi_server
):
    port = unused_port()
    web = start_web(app_env(tmp_path, redis_server, application_name=WEB_APP_NAME), port, wsgi_server)
    outcome: dict[str, object] = {}

    def blocked_request() -> None:
        try:
            outcome["answer"] = request(port, "/api/sources", token=reader_token)
        except (ConnectionError, http.client.RemoteDisconnected, urllib.error.URLError) as err:
            outcome["error"] = err

    try:
        assert request(port, "/api/sources", token=reader_token)[0] == 200
        workers = children(web.pid)
        assert len(workers) == 2
        with admin_connection() as admin, admin_connection() as observer:
            observer.autocommit = True  # each look at pg_stat_activity sees it now (not a transaction's snapshot)
            admin.execute("LOCK TABLE sources_source IN ACCESS EXCLUSIVE MODE")  # the request waits on it
            client = threading.Thread(target=blocked_request)
            client.start()
            waiting = (
                "SELECT client_port FROM pg_stat_activity WHERE application_name = %s AND wait_event_type = 'Lock'"
                " AND datname = current_database()"
            )
            ports: list[tuple[int]] = []
            wait_until(lambda: ports.extend(observer.execute(waiting, [WEB_APP_NAME]).fetchall()) or ports, "a wait")
            victim = pid_with_local_port(ports[0][0], workers)
            os.kill(victim, signal.SIGKILL)
            client.join(timeout=30)
            admin.rollback()
        assert "error" in outcome, outcome  # the killed process's request is lost with its connection
        status, body = retried(lambda: request(port, "/api/sources", token=reader_token), wsgi_server)
        assert status == 200, body
        wait_until(lambda: len(children(web.pid)) == 2 and victim not in children(web.pid), "a replacement worker")
        assert [request(port, "/api/sources", token=reader_token)[0] for _ in range(8)] == [200] * 8
    finally:
        stop(web)


def test_redis_restart_keeps_queued_tasks_and_the_site_serves_meanwhile(
    reader_token, server, redis_server, tmp_path, wsgi_server
):
    server.add("/feed", rss(range(1, 4)), content_type="application/rss+xml")
    source = Source.objects.create(url=server.url("/feed"), name="Faults", full_text=FullTextMode.NEVER)
    with rq_settings(redis_server):
        queued = refresh_source_task.enqueue(source.pk)
    port = unused_port()
    env = app_env(tmp_path, redis_server, application_name=WEB_APP_NAME)
    web = start_web(env, port, wsgi_server)
    try:
        assert request(port, "/")[0] == 200  # the home page, kept in the Redis cache for visitors
        redis_server.stop()

        assert request(port, "/")[0] == 200  # cache misses, made afresh
        assert request(port, "/api/sources", token=reader_token)[0] == 200
        status, body = request(port, "/healthz")
        assert status == 503
        checks = json.loads(body)["checks"]
        assert (checks["database"]["ok"], checks["cache"]["ok"], checks["queue"]["ok"]) == (True, False, False)
        # Adding a source queues its first refresh: Redis is down, so the scheduler's next pass takes it.
        status, body = request(port, "/api/sources", token=reader_token, body={"url": server.url("/other")})
        assert status == 201, body
        assert Source.objects.filter(url=server.url("/other")).exists()

        redis_server.start()  # the same port and folder: it reads its append-only file back
        with rq_settings(redis_server):
            assert django_rq.get_queue("default").count == 1
        worker = start_worker(env, "default")
        _, errors = worker.communicate(timeout=120)
        assert worker.returncode == 0, errors.decode()[-2000:]
        with rq_settings(redis_server):
            queued.refresh()
        assert queued.status == TaskResultStatus.SUCCESSFUL
        assert Article.objects.filter(source=source).count() == 3
        status, body = request(port, "/healthz")  # the web processes reconnect by themselves
        assert status == 200, body
    finally:
        stop(web)
