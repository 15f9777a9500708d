"""Periodic work runs once per period however many schedulers race for it (ops.periodic)."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection, connections
from django.test import override_settings
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tidings.ops import periodic
from tidings.ops.models import PeriodicLease

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
MINUTE = timedelta(minutes=1)


@pytest.fixture
def db_backend(transactional_db):
    with override_settings(TASKS=DB_TASKS):
        yield


def test_the_first_claim_of_a_period_wins_and_the_next_one_loses(db):
    now = timezone.now()
    assert periodic.claim("job", MINUTE, now=now, holder="a")
    assert not periodic.claim("job", MINUTE, now=now + timedelta(seconds=59), holder="b")
    assert periodic.claim("job", MINUTE, now=now + MINUTE, holder="b")
    lease = PeriodicLease.objects.get(name="job")
    assert lease.holder == "b" and lease.next_run_at == now + 2 * MINUTE


@pytest.mark.parametrize("racers", [2, 6])
def test_racing_schedulers_win_each_period_exactly_once(transactional_db, racers, tmp_path):
    """Threads (each with its own database connection) claim the same job at the same instant, period after
    period: one winner each time."""
    sqlite_file = _lease_table_in_a_file(tmp_path) if connection.vendor == "sqlite" else None
    start = timezone.now()
    periods = 5
    winners: list[list[str]] = [[] for _ in range(periods)]
    errors: list[BaseException] = []
    barrier = threading.Barrier(racers)

    def race(name: str) -> None:
        try:
            _use_file_database_on_sqlite(sqlite_file)
            for period in range(periods):
                barrier.wait(timeout=20)
                if periodic.claim("refresh", MINUTE, now=start + period * MINUTE, holder=name):
                    winners[period].append(name)
        except BaseException as err:  # reported below: a thread's exception would otherwise vanish
            errors.append(err)
            barrier.abort()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=race, args=(f"node{i}",)) for i in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert [len(names) for names in winners] == [1] * periods
    if sqlite_file is None:
        assert PeriodicLease.objects.get(name="refresh").next_run_at == start + periods * MINUTE


def _lease_table_in_a_file(tmp_path: Path) -> Path:
    """SQLite's in-memory test database is shared-cache, where a writer that meets another's lock fails at once
    ("table is locked": busy_timeout does not apply). Tidings' SQLite is a file in WAL mode, so the race runs on
    one: a file holding the lease table, that the racing threads' connections open instead."""
    path = tmp_path / "race.sqlite3"

    def create() -> None:
        _use_file_database_on_sqlite(path)
        try:
            with connection.schema_editor() as editor:
                editor.create_model(PeriodicLease)
        finally:
            connection.close()

    thread = threading.Thread(target=create)
    thread.start()
    thread.join()
    return path


def _use_file_database_on_sqlite(path: Path | None) -> None:
    """Point this thread's own connection (connections are per thread) at the file `path`, if one is given."""
    if path is not None:
        connection.close()
        connection.settings_dict = {**connection.settings_dict, "NAME": str(path)}


def test_a_due_job_is_queued_once_and_not_again_while_its_task_waits(db_backend):
    jobs = periodic.default_jobs(refresh_every=60)
    now = timezone.now()
    periodic.run_due(jobs, now=now)
    periodic.run_due(jobs, now=now + timedelta(seconds=1))  # not due yet: nothing new
    assert sorted(DBTaskResult.objects.values_list("task_path", flat=True)) == [
        "tidings.ingest.tasks.refresh_due_sources",
        "tidings.personalization.tasks.purge_interactions_task",
        "tidings.taxonomy.tasks.recount_article_counts_task",
        "tidings.taxonomy.tasks.store_trend_baselines_task",
    ]
    periodic.run_due(jobs, now=now + timedelta(minutes=2))  # due again, but the last refresh still waits
    assert DBTaskResult.objects.count() == 4
    lease = PeriodicLease.objects.get(name="refresh_due_sources")
    assert lease.next_run_at == now + timedelta(minutes=3)  # that period was used up all the same


def test_a_job_is_queued_again_once_its_last_task_finished_or_was_forgotten(db_backend):
    jobs = [periodic.PeriodicJob("refresh", "tidings.ingest.tasks.refresh_due_sources", 60)]
    now = timezone.now()
    periodic.run_due(jobs, now=now)
    DBTaskResult.objects.update(status=TaskResultStatus.SUCCESSFUL)
    periodic.run_due(jobs, now=now + MINUTE)
    assert DBTaskResult.objects.count() == 2
    DBTaskResult.objects.all().delete()  # e.g. pruned by the worker
    periodic.run_due(jobs, now=now + 2 * MINUTE)
    assert DBTaskResult.objects.count() == 1


def test_refresh_off_leaves_the_purge_the_trend_baseline_and_the_article_counts():
    assert [job.name for job in periodic.default_jobs(refresh_every=0)] == [
        "purge_interactions",
        "trend_baseline",
        "article_counts",
    ]


def test_run_due_says_how_long_until_the_next_job_is_due(db_backend):
    jobs = periodic.default_jobs(refresh_every=30)
    wait = periodic.run_due(jobs)
    assert 25 < wait <= 30


def test_a_task_that_cannot_be_queued_is_logged_and_its_period_still_counts(db, caplog):
    jobs = [periodic.PeriodicJob("missing", "tidings.ops.no_such_module.task", 60)]
    periodic.run_due(jobs)
    assert "periodic_failed job=missing" in caplog.text
    lease = PeriodicLease.objects.get(name="missing")
    assert lease.task_id == "" and lease.last_run_at is not None


def test_the_scheduler_command_queues_what_is_due_once(db_backend):
    from django.core.management import call_command

    call_command("scheduler", "--once", "--refresh-every", "60")
    call_command("scheduler", "--once", "--refresh-every", "60")  # a second scheduler, same period: nothing
    assert DBTaskResult.objects.count() == 4
    assert set(PeriodicLease.objects.values_list("name", flat=True)) == {
        "refresh_due_sources",
        "purge_interactions",
        "trend_baseline",
        "article_counts",
    }


def test_serve_starts_the_worker_of_the_configured_backend():
    from tidings.web.management.commands.serve import _worker_command

    with override_settings(TASKS=DB_TASKS):
        assert _worker_command()[-1] == "db_worker"
    rq_tasks = {"default": {"BACKEND": "tidings.ops.rq_backend.PriorityRQBackend", "QUEUES": ["default", "low"]}}
    with override_settings(TASKS=rq_tasks):
        assert _worker_command()[-5:] == ["--job-class", "django_tasks_rq.Job", "--with-scheduler", "default", "low"]
    assert _worker_command() == []  # the tests' immediate backend runs tasks inline
