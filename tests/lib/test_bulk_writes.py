"""bulk_writes: a long run of write transactions checkpoints SQLite's log less often, then goes back."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.backends.signals import connection_created

from tidings.lib.bulk_writes import CHECKPOINT_PAGES, SQLITE_DEFAULT_PAGES, bulk_writes

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="a SQLite setting; other databases are left as they are"),
]


def checkpoint_pages() -> int:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint")
        return cursor.fetchone()[0]


def test_inside_the_block_the_log_is_checkpointed_less_often():
    with bulk_writes():
        assert checkpoint_pages() == CHECKPOINT_PAGES
    assert checkpoint_pages() == SQLITE_DEFAULT_PAGES


def set_pages(pages: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA wal_autocheckpoint={pages}")


def test_a_connection_opened_again_inside_the_block_gets_the_setting_too():
    # A refresh closes the connection before it forks; Django announces the new one with connection_created
    # (sent here by hand: the test database lives in memory, and closing it would lose it).
    with bulk_writes():
        set_pages(SQLITE_DEFAULT_PAGES)  # what a fresh connection starts with
        connection_created.send(sender=type(connection), connection=connection)
        assert checkpoint_pages() == CHECKPOINT_PAGES


def test_after_the_block_a_new_connection_keeps_the_default():
    with bulk_writes():
        pass
    set_pages(SQLITE_DEFAULT_PAGES)
    connection_created.send(sender=type(connection), connection=connection)
    assert checkpoint_pages() == SQLITE_DEFAULT_PAGES
