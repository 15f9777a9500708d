"""A server process freezes its long-lived objects after its first request (web.gc_freeze), unless turned off."""

from __future__ import annotations

import gc

import pytest

from tidings.web import gc_freeze


@pytest.fixture(autouse=True)
def _unfrozen():
    gc_freeze.reset()
    yield
    gc_freeze.reset()


@pytest.mark.django_db
def test_first_request_freezes_what_the_process_built(client):
    assert gc.get_freeze_count() == 0
    client.get("/")
    frozen = gc.get_freeze_count()
    assert frozen > 1000
    client.get("/")
    assert gc.get_freeze_count() <= frozen  # once per process: nothing added (some frozen objects may die)


@pytest.mark.django_db
def test_off_leaves_the_collector_alone(client, settings):
    settings.GC_FREEZE = False
    client.get("/")
    assert gc.get_freeze_count() == 0
