"""Two enrichment jobs storing at once on PostgreSQL (as two RQ workers do): overlapping topics and trending hours.

Each job stores the entities of two articles in one transaction, as the runner does for a batch. The jobs are
interleaved at a fixed point, after each stored its first article, so that without a fixed lock order the
second article of each waits for the other's first: new topic aliases created in opposite orders, and trending's
hour and day rows rewritten in opposite orders. PostgreSQL then ends one transaction with `deadlock detected`.
Skipped on SQLite, whose writers take turns on one database lock.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from datetime import UTC, datetime

import psycopg
import pytest
from django.db import OperationalError, connection, connections, transaction

from tests.articles.factories import ArticleFactory
from tidings.enrichment import runner
from tidings.enrichment.stage import StageOutput
from tidings.enrichment.stages.entities.stage import EntityStage
from tidings.lib import db_retry
from tidings.taxonomy import topics as topics_module
from tidings.taxonomy.models import Alias, ArticleTopic, Topic, TopicTrendCount
from tidings.taxonomy.trend_counts import exact_counts, window_counts

pytestmark = pytest.mark.django_db(transaction=True)

DAY_ONE = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
DAY_TWO = datetime(2026, 3, 2, 14, 30, tzinfo=UTC)


def _entities(*names: str) -> dict[str, object]:
    return {"entities": [{"name": name, "kind": "organisation", "mentions": 2, "score": 0.5} for name in names]}


def test_two_jobs_storing_overlapping_topics_and_hours_at_once_neither_deadlocks(monkeypatch, caplog):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers' lock order matters on PostgreSQL (run under scripts/with-postgres)")
    # Created in this order so that each job's articles, in id order as the runner stores them, alternate.
    a1, b1 = ArticleFactory(published_at=DAY_ONE), ArticleFactory(published_at=DAY_TWO)
    a2, b2 = ArticleFactory(published_at=DAY_TWO), ArticleFactory(published_at=DAY_ONE)
    # Job A: a1 names Acme (day one), then a2 names Globex (day two); job B the other way round.
    jobs = {
        "A": [StageOutput(a1.pk, _entities("Acme Holdings")), StageOutput(a2.pk, _entities("Globex Partners"))],
        "B": [StageOutput(b1.pk, _entities("Globex Partners")), StageOutput(b2.pk, _entities("Acme Holdings"))],
    }
    meet = threading.Barrier(2, timeout=20)
    stored_in = threading.local()
    real_store = topics_module.store_topic_links

    def store_then_meet(article_id, entities, **kwargs):
        linked = real_store(article_id, entities, **kwargs)
        stored_in.count = getattr(stored_in, "count", 0) + 1
        if stored_in.count == 1:  # each job's first article stored, its transaction still open
            # A broken barrier: the other job is blocked behind this one, so let this one go on.
            with contextlib.suppress(threading.BrokenBarrierError):
                meet.wait()
        return linked

    monkeypatch.setattr("tidings.enrichment.stages.entities.stage.store_topic_links", store_then_meet)
    errors: list[BaseException] = []

    def job(name: str) -> None:
        try:
            runner._store(EntityStage(), jobs[name])
        except BaseException as exc:  # reported by the test below
            errors.append(exc)
        finally:
            connections.close_all()

    caplog.set_level(logging.WARNING)
    threads = [threading.Thread(target=job, args=(name,)) for name in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert not any("transaction_retry" in record.getMessage() for record in caplog.records), [
        r.getMessage() for r in caplog.records
    ]
    # Every link stored, each name one topic, trending's rows as the links count them.
    assert sorted(Topic.objects.values_list("name", flat=True)) == ["Acme Holdings", "Globex Partners"]
    assert Alias.objects.count() == 2
    acme, globex = Topic.objects.get(name="Acme Holdings"), Topic.objects.get(name="Globex Partners")
    linked = set(ArticleTopic.objects.values_list("article_id", "topic_id"))
    assert linked == {(a1.pk, acme.pk), (b2.pk, acme.pk), (a2.pk, globex.pk), (b1.pk, globex.pk)}
    start = datetime(2026, 2, 28, tzinfo=UTC)
    assert window_counts(start, None) == exact_counts(start, None) == {acme.pk: 2, globex.pk: 2}
    assert TopicTrendCount.objects.filter(n=2).count() == 4  # the two hours' and the two days' rows


def _deadlock() -> OperationalError:
    error = OperationalError("deadlock detected")
    error.__cause__ = psycopg.errors.DeadlockDetected("deadlock detected")
    return error


def test_a_transaction_ended_by_a_deadlock_is_run_again_and_others_are_not(monkeypatch):
    monkeypatch.setattr(db_retry, "PAUSE_SECONDS", 0.0)
    tries: list[int] = []

    def deadlocks_once() -> str:
        tries.append(1)
        if len(tries) == 1:
            raise _deadlock()
        return "stored"

    assert db_retry.atomic_with_retry(deadlocks_once, what="test") == "stored"
    assert len(tries) == 2

    def always(error: Exception):
        def work() -> None:
            tries.append(1)
            raise error

        return work

    tries.clear()
    with pytest.raises(OperationalError):
        db_retry.atomic_with_retry(always(_deadlock()), what="test")
    assert len(tries) == db_retry.ATTEMPTS
    tries.clear()
    with pytest.raises(OperationalError):  # not a deadlock: raised at once
        db_retry.atomic_with_retry(always(OperationalError("disk full")), what="test")
    assert len(tries) == 1
    tries.clear()
    with transaction.atomic(), pytest.raises(OperationalError):  # inside another transaction: cannot re-run
        db_retry.atomic_with_retry(always(_deadlock()), what="test")
    assert len(tries) == 1
