"""Faults of the scale-out shape: an RQ worker killed (SIGKILL) while it runs a source's refresh.

The refresh is held in its fetch (the feed answers slowly) when the kill comes. The job must be run again, and the
re-run must store every article of the feed exactly once, those an earlier refresh stored included. Run on
PostgreSQL with redis-server (skipped otherwise, saying why), as tests/ops/test_scale_out.py.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import django_rq
import pytest
from django.db.models import Count
from django.test import override_settings
from django_tasks.base import TaskResultStatus
from rq.registry import StartedJobRegistry

from tests.ops.flaky_tasks import fails_on_first_run
from tests.ops.stack import (
    ROOT,
    app_env,
    children,
    kill_group,
    require_postgresql,
    rq_settings,
    rss,
    start_worker,
    wait_until,
)
from tidings.articles.models import Article
from tidings.ingest.refresh import refresh_source
from tidings.ingest.tasks import refresh_source_task
from tidings.sources.models import FullTextMode, Source

# The worker process must see what the test wrote.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("app_connections_closed")]
SLOW_FEED_SECONDS = 60.0  # longer than the test waits: only a kill ends the first fetch
# A job's entry in StartedJobRegistry lives for its heartbeat TTL: rq's job monitoring interval (30 s) + 60 s.
HEARTBEAT_TTL_SECONDS = 90


@pytest.fixture
def source_with_old_articles(server) -> Source:
    """A source whose first three items are stored; its feed now lists five and answers slowly once."""
    require_postgresql()
    server.add("/feed", rss(range(1, 4)), content_type="application/rss+xml")
    source = Source.objects.create(url=server.url("/feed"), name="Faults", full_text=FullTextMode.NEVER)
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}):
        assert refresh_source(source.pk).created == 3
    server.add("/feed", rss(range(1, 6)), content_type="application/rss+xml", delay=SLOW_FEED_SECONDS)
    return source


def _assert_each_item_stored_once(source: Source, count: int) -> None:
    assert Article.objects.filter(source=source).count() == count
    guids = Article.objects.filter(source=source).values("guid").annotate(n=Count("id"))
    assert sorted(row["guid"] for row in guids) == sorted(f"urn:faults:{n}" for n in range(1, count + 1))
    assert all(row["n"] == 1 for row in guids)


def _hold_first_fetch_then_answer_quickly(server) -> None:
    wait_until(lambda: server.hits["/feed"] >= 2, "the worker to fetch the slow feed")
    server.routes["/feed"].delay = 0.0  # the fetch in progress still sleeps; a retry's fetch answers at once


def test_a_job_whose_work_horse_is_killed_is_run_again_without_duplicates(
    source_with_old_articles, server, redis_server, tmp_path
):
    source = source_with_old_articles
    with rq_settings(redis_server):
        result = refresh_source_task.enqueue(source.pk)
    worker = start_worker(app_env(tmp_path, redis_server), "default")
    try:
        _hold_first_fetch_then_answer_quickly(server)
        horses = children(worker.pid)
        assert len(horses) == 1, horses
        os.kill(horses[0], signal.SIGKILL)  # as the kernel's out-of-memory killer would
        _, errors = worker.communicate(timeout=120)
    finally:
        if worker.poll() is None:
            kill_group(worker)
    assert worker.returncode == 0, errors.decode()[-2000:]
    assert "terminated unexpectedly" in errors.decode() or "killed" in errors.decode().lower()
    with rq_settings(redis_server):
        result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert server.hits["/feed"] == 3  # the first refresh, the killed one and the retry
    _assert_each_item_stored_once(source, 5)


def test_a_job_whose_whole_worker_is_killed_is_requeued_by_registry_cleanup(
    source_with_old_articles, server, redis_server, tmp_path
):
    source = source_with_old_articles
    env = app_env(tmp_path, redis_server)
    with rq_settings(redis_server):
        result = refresh_source_task.enqueue(source.pk)
    worker = start_worker(env, "default")
    try:
        _hold_first_fetch_then_answer_quickly(server)
    finally:
        kill_group(worker)  # the worker and its work-horse: nothing reports the job's end
    _assert_each_item_stored_once(source, 3)  # nothing of the killed refresh landed

    with rq_settings(redis_server):
        queue = django_rq.get_queue("default")
        registry = StartedJobRegistry(queue=queue)
        assert result.id in registry.get_job_ids(cleanup=False)
        # What a live worker's maintenance does (MaintainedWorker: each minute) once the dead worker's heartbeat
        # is older than its TTL; the clock is moved on instead of waiting 90 s.
        registry.cleanup(timestamp=time.time() + HEARTBEAT_TTL_SECONDS + 1)
        assert queue.count == 1
    rerun = start_worker(env, "default")
    _, errors = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, errors.decode()[-2000:]
    with rq_settings(redis_server):
        result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    _assert_each_item_stored_once(source, 5)


def test_rq_workers_requeue_dead_workers_jobs_each_minute(redis_server, tmp_path):
    """With TIDINGS_TASK_BACKEND=rq, `tidings rqworker` builds a worker that cleans registries each minute (RQ's
    own: each 10 minutes), so a dead worker's job waits at most its heartbeat TTL + a minute."""
    show = (
        "import django; django.setup(); from django_rq.workers import get_worker; "
        "w = get_worker('default'); print(type(w).__name__, w.maintenance_interval)"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("TIDINGS_")}
    env.update(DJANGO_SETTINGS_MODULE="tidings.settings", PYTHONPATH=str(ROOT / "src"), TIDINGS_VAR_DIR=str(tmp_path),
               TIDINGS_TASK_BACKEND="rq", TIDINGS_REDIS_URL=redis_server.url(0))  # fmt: skip
    done = subprocess.run([sys.executable, "-c", show], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["MaintainedWorker", "60"]


def test_a_task_that_raises_is_run_again_by_the_rq_worker(redis_server, tmp_path):
    """TIDINGS_TASK_RETRIES (default 2): a task that fails once (a deadlock the transaction's own retries did not
    get past, a dropped connection) is queued again at once and its second run succeeds; nothing is left failed."""
    require_postgresql()
    marker = tmp_path / "failed-once"
    with rq_settings(redis_server):
        result = fails_on_first_run.enqueue(str(marker))
    worker = start_worker(app_env(tmp_path, redis_server), "default")
    _, errors = worker.communicate(timeout=120)
    assert worker.returncode == 0, errors.decode()[-2000:]
    assert marker.exists()  # the first run happened, and failed
    with rq_settings(redis_server):
        result.refresh()
        failed = django_rq.get_queue("default").failed_job_registry.count
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == "ran again"
    assert failed == 0
