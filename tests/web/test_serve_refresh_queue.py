"""The supervisor's periodic refresh: one queued refresh at a time, never a pile-up in the task table."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tidings.web.management.commands.serve import _enqueue_refresh

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def db_backend(transactional_db):
    with override_settings(TASKS=DB_TASKS):
        yield


def test_refresh_is_not_queued_again_while_the_last_one_waits(db_backend):
    first = _enqueue_refresh(None)
    again = _enqueue_refresh(first)

    assert again is not None and again.id == first.id
    assert DBTaskResult.objects.count() == 1


def test_refresh_is_queued_again_once_the_last_one_finished(db_backend):
    first = _enqueue_refresh(None)
    DBTaskResult.objects.filter(id=first.id).update(status=TaskResultStatus.SUCCESSFUL)

    second = _enqueue_refresh(first)

    assert second is not None and second.id != first.id
    assert DBTaskResult.objects.count() == 2


def test_a_forgotten_task_result_counts_as_finished(db_backend):
    first = _enqueue_refresh(None)
    DBTaskResult.objects.all().delete()  # e.g. pruned by the worker

    second = _enqueue_refresh(first)

    assert second is not None and second.id != first.id
