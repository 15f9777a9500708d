"""/healthz, /metrics and the staff status page."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings
from django.utils import timezone
from django_tasks import task

from tests.lib import FeedServer
from tidings.ingest.refresh import refresh_source
from tidings.ops import periodic
from tidings.sources.models import Source

pytestmark = pytest.mark.django_db
UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


def metric(text: str, name: str, **labels: str) -> float:
    """The value of one sample in Prometheus text, 0 when it is absent."""
    wanted = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
    for line in text.splitlines():
        match = re.match(r"^(\w+)(?:\{(.*)\})? (\S+)$", line)
        if match and match[1] == name and ",".join(sorted((match[2] or "").split(","))) == wanted:
            return float(match[3])
    return 0.0


def test_healthz_reports_each_check(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["failed"] == []
    assert set(body["checks"]) == {"database", "cache", "queue"}
    assert all(check["ok"] for check in body["checks"].values())


def test_healthz_is_503_and_names_the_queue_when_redis_is_down(client):
    rq_tasks = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}
    queues = {"default": {"URL": UNREACHABLE_REDIS, "SOCKET_CONNECT_TIMEOUT": 1}}
    with override_settings(TASKS=rq_tasks, RQ_QUEUES=queues):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["queue"]
    assert "ConnectionError" in body["checks"]["queue"]["error"]


def test_healthz_names_a_cache_that_is_down(client):
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": UNREACHABLE_REDIS,
            "OPTIONS": {"socket_connect_timeout": 1},
        }
    }
    with override_settings(CACHES=caches):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["cache"]


def test_metrics_are_served_to_loopback_only_by_default(client):
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="::1").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 403
    # Through a proxy on the same host the address is loopback, but the request is not.
    proxied = client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert proxied.status_code == 403


def test_metrics_token_is_required_when_set(client, settings):
    settings.METRICS_TOKEN = "s3cret-token"
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    assert (
        client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer s3cret-token").status_code == 200
    )


def test_metrics_count_requests_fetch_outcomes_tasks_and_queue_depth(client):
    server = FeedServer().start()
    try:
        server.add("/gone", b"gone", status=410)
        before = client.get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()
        refresh_source(Source.objects.create(url=server.url("/gone"), name="Gone").pk)
    finally:
        server.stop()
    periodic.run_due(periodic.default_jobs(refresh_every=0))  # the purge task, run inline (immediate backend)
    after = client.get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()

    fetches = "tidings_source_fetches_total"
    assert metric(after, fetches, outcome="paused", reason="http_410") == (
        metric(before, fetches, outcome="paused", reason="http_410") + 1
    )
    runs = "tidings_task_duration_seconds_count"
    labels = {"task": "purge_interactions_task", "status": "successful"}
    assert metric(after, runs, **labels) == metric(before, runs, **labels) + 1
    assert metric(after, "tidings_task_queue_depth") == 0  # the immediate backend has no queue
    assert "django_http_requests_total_by_method_total" in after


@task()
def exploding() -> None:
    raise RuntimeError("boom")


def test_a_failed_task_is_counted(client):
    before = client.get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()
    result = exploding.enqueue()
    after = client.get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()
    assert result.status == "FAILED"
    name = "tidings_task_failures_total"
    assert metric(after, name, task="exploding") == metric(before, name, task="exploding") + 1


def test_status_page_is_for_staff_and_shows_queue_and_source_health(client, admin_client, django_user_model):
    Source.objects.create(url="https://example.org/a", name="Fine", last_success_at=timezone.now())
    Source.objects.create(url="https://example.org/b", name="Broken one", last_error="HTTP 500", error_count=3)
    Source.objects.create(url="https://example.org/c", name="Off", is_active=False)
    periodic.claim("refresh_due_sources", timezone.timedelta(minutes=1))

    reader = django_user_model.objects.create_user("reader", password="a-long-password")
    client.force_login(reader)
    assert client.get("/admin/ops/").status_code == 302  # to the admin sign-in

    page = admin_client.get("/admin/ops/")
    assert page.status_code == 200
    assert page.context["health_counts"] == {"ok": 1, "new": 0, "failing": 1, "paused": 0, "disabled": 1}
    assert page.context["queue_depth"] == 0
    html = page.content.decode()
    assert "Broken one" in html and "refresh_due_sources" in html


def test_the_periodic_jobs_list_in_the_admin_links_to_the_status_page(admin_client):
    periodic.claim("purge_interactions", timezone.timedelta(hours=1))
    page = admin_client.get("/admin/ops/periodiclease/")
    assert page.status_code == 200
    assert 'href="/admin/ops/"' in page.content.decode() and "purge_interactions" in page.content.decode()
