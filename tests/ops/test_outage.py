"""Passing outages of Redis and the database, in one process: the cache degrades to misses, enqueueing says the
queue is unavailable (after retrying), a page that queued work leaves nothing half-done, and an outage met by a
view is a 503 with a message. Redis is a closed local port here; the real restarts are in test_faults_web.py."""

from __future__ import annotations

import logging

import pytest
from django.core.cache.backends.redis import RedisCache
from django.db import OperationalError
from django.test import RequestFactory, override_settings
from redis.exceptions import ConnectionError as RedisConnectionError

from tests.lib import unused_port
from tidings.lib.errors import QueueUnavailable
from tidings.ops import rq_backend
from tidings.ops.cache import ForgivingRedisCache
from tidings.ops.outage import ServiceUnavailableMiddleware
from tidings.personalization.tasks import purge_interactions_task
from tidings.sources.models import OpmlImport, Source
from tidings.sources.opml_uploads import start_opml_import
from tidings.sources.services import add_source

OPML = b"""<?xml version="1.0"?><opml version="2.0"><head><title>Mine</title></head><body>
<outline type="rss" text="One" xmlUrl="https://one.example.org/feed.xml"/></body></opml>"""


@pytest.fixture
def closed_redis_url() -> str:
    return f"redis://127.0.0.1:{unused_port()}/0"


@pytest.fixture
def rq_on_closed_port(closed_redis_url, monkeypatch):
    monkeypatch.setattr(rq_backend, "ENQUEUE_BACKOFF", (0.01, 0.01))
    tasks = {"default": {"BACKEND": "tidings.ops.rq_backend.PriorityRQBackend", "QUEUES": ["default", "low"]}}
    queues = {"default": {"URL": closed_redis_url}, "low": {"URL": closed_redis_url}}
    with override_settings(TASKS=tasks, RQ_QUEUES=queues):
        yield


def test_cache_read_while_redis_is_down_is_a_miss_and_a_write_is_dropped(closed_redis_url, caplog):
    cache = ForgivingRedisCache(closed_redis_url, {})
    with caplog.at_level(logging.WARNING, logger="tidings.ops.cache"):
        assert cache.get("page", "missing") == "missing"
        cache.set("page", "html")
        assert cache.add("page", "html") is False
        assert cache.get_many(["a", "b"]) == {}
    assert "cache_unavailable operation=get" in caplog.text


def test_djangos_own_redis_cache_raises_while_redis_is_down(closed_redis_url):
    with pytest.raises(RedisConnectionError):
        RedisCache(closed_redis_url, {}).get("page")


@pytest.mark.django_db
def test_enqueue_while_redis_is_down_says_the_queue_is_unavailable(rq_on_closed_port, caplog):
    with (
        caplog.at_level(logging.WARNING, logger="tidings.ops.rq_backend"),
        pytest.raises(QueueUnavailable, match=r"task queue \(Redis\) cannot be reached"),
    ):
        purge_interactions_task.enqueue()
    assert caplog.text.count("task_enqueue_retry") == 2


@pytest.mark.django_db(transaction=True)
def test_opml_upload_that_cannot_be_queued_leaves_no_import_behind(rq_on_closed_port):
    with pytest.raises(QueueUnavailable):
        start_opml_import(OPML, file_name="mine.opml")
    assert not OpmlImport.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_source_added_while_redis_is_down_is_kept_and_due(rq_on_closed_port, caplog):
    with caplog.at_level(logging.WARNING, logger="tidings.sources.services"):
        source = add_source("https://one.example.org/feed.xml")
    assert f"source_refresh_deferred source={source.pk}" in caplog.text
    assert Source.objects.due().filter(pk=source.pk).exists()  # the scheduler's next refresh takes it


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (OperationalError("terminating connection due to administrator command"), "database cannot be reached"),
        (QueueUnavailable("The task queue (Redis) cannot be reached"), "task queue"),
    ],
)
def test_an_outage_met_by_a_page_is_a_503_with_a_message(error, message):
    middleware = ServiceUnavailableMiddleware(lambda request: None)  # type: ignore[arg-type,return-value]
    response = middleware.process_exception(RequestFactory().get("/sources/"), error)
    assert response is not None and response.status_code == 503
    assert response["Retry-After"] == "5"
    assert message in response.content.decode()


def test_a_bug_is_left_to_the_error_handler():
    middleware = ServiceUnavailableMiddleware(lambda request: None)  # type: ignore[arg-type,return-value]
    assert middleware.process_exception(RequestFactory().get("/"), ValueError("a bug")) is None
