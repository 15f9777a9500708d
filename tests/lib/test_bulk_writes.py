"""bulk_writes: a long run of write transactions checkpoints SQLite's log less often, then goes back."""

from __future__ import annotations

import sqlite3
import time

import pytest
from django.db import connection
from django.db.backends.signals import connection_created

from tidings.lib.bulk_writes import (
    CHECKPOINT_PAGES,
    SQLITE_DEFAULT_CACHE_SIZE,
    SQLITE_DEFAULT_PAGES,
    _Checkpointer,
    _set_cache,
    bulk_writes,
)

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


def cache_size() -> int:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        return cursor.fetchone()[0]


def test_inside_the_block_the_page_cache_is_the_settings_and_sqlites_own_after(settings):
    settings.SQLITE_BULK_CACHE_MB = 96
    with bulk_writes():
        assert cache_size() == -96 * 1024  # negative: KiB
    assert cache_size() == SQLITE_DEFAULT_CACHE_SIZE


def test_a_zero_setting_leaves_sqlites_own_page_cache(settings):
    settings.SQLITE_BULK_CACHE_MB = 0
    with bulk_writes():
        assert cache_size() == SQLITE_DEFAULT_CACHE_SIZE


def test_the_memory_map_of_a_file_database_is_the_setting_then_off(settings, tmp_path):
    # The test database lives in memory, which has no map: a connection of its own to a file.
    from django.db.backends.sqlite3.base import DatabaseWrapper

    settings.SQLITE_BULK_MMAP_MB = 64
    wrapper = DatabaseWrapper({**connection.settings_dict, "NAME": str(tmp_path / "map.sqlite3")}, alias="mapped")
    try:
        wrapper.ensure_connection()

        def mmap_size() -> int:
            with wrapper.cursor() as cursor:
                cursor.execute("PRAGMA mmap_size")
                return cursor.fetchone()[0]

        _set_cache(wrapper, bulk=True)
        assert mmap_size() == 64 * 1024 * 1024
        _set_cache(wrapper, bulk=False)
        assert mmap_size() == 0
    finally:
        wrapper.close()


def test_the_checkpointer_folds_the_log_into_the_file_while_the_writer_goes_on(tmp_path):
    path = str(tmp_path / "db.sqlite3")
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")  # only the checkpointer folds the log in
    writer.execute("CREATE TABLE t (x)")
    writer.execute("INSERT INTO t VALUES (1)")

    def rows_in_file() -> int:  # the database file alone, without the log
        reader = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
        try:
            return reader.execute("SELECT count(*) FROM t").fetchone()[0]
        except sqlite3.DatabaseError:  # the table is still only in the log, or a page read while being folded in
            return 0
        finally:
            reader.close()

    assert rows_in_file() == 0
    checkpointer = _Checkpointer(path, 0.02)
    try:
        writer.execute("INSERT INTO t VALUES (2)")  # the writer is not held up
        deadline = time.monotonic() + 10
        while rows_in_file() < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        checkpointer.stop()
        writer.close()
    assert rows_in_file() == 2
