"""Retention: `tidings purge_interactions` and the periodic purge queued by `tidings serve`."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.articles.factories import ArticleFactory
from tests.personalization.factories import ProfileFactory
from tidings.ops import periodic
from tidings.personalization.learning import record
from tidings.personalization.models import Interaction


def test_purge_command_deletes_only_what_is_past_retention(db, settings):
    settings.INTERACTION_RETENTION_DAYS = 30
    profile = ProfileFactory()
    article = ArticleFactory()
    record(profile, "open", article=article, now=timezone.now() - timedelta(days=31))
    record(profile, "open", article=article, now=timezone.now() - timedelta(days=29))
    out = StringIO()
    call_command("purge_interactions", stdout=out)
    assert out.getvalue().strip() == "Deleted 1 interaction older than 30 days."
    assert Interaction.objects.count() == 1


def test_serve_queues_one_purge_at_a_time(transactional_db):
    jobs = [job for job in periodic.default_jobs(refresh_every=0) if job.name == "purge_interactions"]
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        periodic.run_due(jobs)
        periodic.run_due(jobs, now=timezone.now() + timedelta(hours=2))  # due again, the last one still waits
        assert DBTaskResult.objects.get().task_path.endswith("purge_interactions_task")


def test_the_purge_task_runs_the_purge(db, settings):
    from tidings.personalization.tasks import purge_interactions_task

    settings.INTERACTION_RETENTION_DAYS = 1
    record(ProfileFactory(), "share", article=ArticleFactory(), now=timezone.now() - timedelta(days=2))
    assert purge_interactions_task.enqueue().return_value == 1
    assert not Interaction.objects.exists()


def test_the_serve_loop_queues_the_purge_even_with_refresh_off(monkeypatch):
    import threading

    from tidings.web.management.commands import serve

    stop = threading.Event()
    queued: list[object] = []

    def fake_run_due(jobs):
        queued.extend(job.name for job in jobs)
        stop.set()
        return 1.0

    monkeypatch.setattr(serve.periodic, "run_due", fake_run_due)
    monkeypatch.setattr(serve, "_port_answers", lambda host, port: True)
    guard = threading.Timer(5.0, stop.set)  # without the purge wired in, the loop would never stop
    guard.start()
    try:
        failure = serve.Command()._supervise([], stop, "127.0.0.1", 8000, refresh_every=0)
    finally:
        guard.cancel()
    assert failure == ""
    assert "purge_interactions" in queued
