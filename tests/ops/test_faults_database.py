"""Faults of the scale-out shape: PostgreSQL ends the app's connections (pg_terminate_backend, as a restart or a
failover does). Run on PostgreSQL (skipped otherwise); the web tests need redis-server too, as test_scale_out.py.

Persistent connections that died between requests are replaced at the next request (CONN_HEALTH_CHECKS); a
request whose connection dies under it is answered 503 with a message, its transaction rolled back; a refresh
whose connection dies in its write transaction stores nothing, and its re-run stores everything once.
"""

from __future__ import annotations

import json

import psycopg
import pytest
from django.db import InterfaceError, OperationalError, connection
from django.test import override_settings

from tests.lib import unused_port
from tests.ops.stack import (
    WEB_APP_NAME,
    admin_connection,
    app_env,
    log_tail,
    request,
    require_postgresql,
    rss,
    start_web,
    stop,
    wait_until,
)
from tidings.articles.models import Article
from tidings.ingest.refresh import refresh_source
from tidings.sources.models import FullTextMode, Source

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("app_connections_closed")]
TERMINATE_WEB = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s"
TERMINATE_WEB += " AND datname = current_database()"  # this test's database only (xdist runs several)
NO_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def web(reader_token, redis_server, tmp_path, wsgi_server):
    port = unused_port()
    log = tmp_path / "web.log"
    process = start_web(app_env(tmp_path, redis_server, application_name=WEB_APP_NAME), port, wsgi_server, log=log)
    yield port, log
    stop(process)


def test_connections_dropped_between_requests_are_replaced_at_the_next_request(web, reader_token):
    port, log = web
    # Each of the 2 workers x 2 threads keeps its connection (CONN_MAX_AGE): open them all.
    first = [request(port, "/api/sources", token=reader_token)[0] for _ in range(12)]
    assert first == [200] * 12, log_tail(log)
    with admin_connection() as admin:
        admin.autocommit = True
        ended = admin.execute(TERMINATE_WEB, [WEB_APP_NAME]).fetchall()
    assert ended  # the web processes did hold persistent connections
    answers = [request(port, "/api/sources", token=reader_token)[0] for _ in range(12)]
    assert answers == [200] * 12, log_tail(log)


def test_a_connection_dropped_mid_request_is_a_503_with_a_message_and_the_next_request_works(web, reader_token):
    web, _log = web
    import threading

    answer: dict[str, tuple[int, bytes]] = {}
    client = threading.Thread(
        target=lambda: answer.setdefault("sources", request(web, "/api/sources", token=reader_token))
    )
    with admin_connection() as admin, admin_connection() as observer:
        observer.autocommit = True
        admin.execute("LOCK TABLE sources_source IN ACCESS EXCLUSIVE MODE")  # the request waits on it
        client.start()
        waiting = f"{TERMINATE_WEB} AND wait_event_type = 'Lock'"
        wait_until(lambda: observer.execute(waiting, [WEB_APP_NAME]).fetchall(), "a query to end")
        client.join(timeout=30)
        admin.rollback()
    status, body = answer["sources"]
    assert status == 503, body
    assert "database cannot be reached" in json.loads(body)["detail"]
    assert request(web, "/api/sources", token=reader_token)[0] == 200


def test_a_refresh_whose_connection_drops_in_its_write_stores_nothing_and_its_rerun_everything(server):
    require_postgresql()
    server.add("/feed", rss(range(1, 6)), content_type="application/rss+xml")
    source = Source.objects.create(url=server.url("/feed"), name="Faults", full_text=FullTextMode.NEVER)
    own_pid = connection.cursor().connection.info.backend_pid
    inserts: list[str] = []

    def end_connection_after_first_article_insert(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        result = execute(sql, params, many, context)
        if sql.lstrip().upper().startswith(f'INSERT INTO "{Article._meta.db_table.upper()}"') and not inserts:
            inserts.append(sql)  # the articles are written; the transaction is still open
            with psycopg.connect(**admin_params()) as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", [own_pid])
        return result

    with (
        override_settings(TASKS=NO_TASKS),
        connection.execute_wrapper(end_connection_after_first_article_insert),
        pytest.raises((OperationalError, InterfaceError)),
    ):
        refresh_source(source.pk)
    assert inserts, "the refresh never wrote articles"
    connection.close()  # what Django does at the end of a request whose connection broke
    assert Article.objects.filter(source=source).count() == 0

    with override_settings(TASKS=NO_TASKS):
        assert refresh_source(source.pk).created == 5
    assert Article.objects.filter(source=source).count() == 5


def admin_params() -> dict[str, object]:
    db = connection.settings_dict
    return {"host": db["HOST"], "port": db["PORT"], "user": db["USER"], "dbname": db["NAME"], "autocommit": True}
