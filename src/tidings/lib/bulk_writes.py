"""Edge: database settings for a long run of large write transactions (a refresh of many sources).

SQLite in WAL mode copies the log back into the database file (a checkpoint, with an fsync) whenever a
commit leaves the log over `wal_autocheckpoint` pages; the default, 1,000 pages (4 MB), means a checkpoint
every few store batches of a large refresh. Inside `bulk_writes()` the storing connection checkpoints
every CHECKPOINT_PAGES instead: the same pages are copied, with far fewer fsyncs (measured: a quarter less
time to store 24k articles with their full-text index). Readers are not affected; the log is at most a
few hundred MB before it is folded back, and the usual setting returns when the block ends.
Meanwhile, for a database in a file, a thread folds the log in every CHECKPOINT_EVERY_SECONDS from its own
connection (_Checkpointer), so the storing thread's commits seldom do it themselves.

The storing connection also gets a larger page cache (settings.SQLITE_BULK_CACHE_MB; SQLite's own is 2 MB)
and reads the file through a memory map (settings.SQLITE_BULK_MMAP_MB) inside the block. In a large
database the dedup lookups and the inserts touch index pages all over the URL and content-hash indexes
(hundreds of MB at 1M articles), which a 2 MB cache reads again and again (issue 17, bench/refresh_growth.py).
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created

logger = logging.getLogger(__name__)

# 256 MB of 4 kB pages. In a large database a refresh dirties index pages all over the content-hash index;
# each checkpoint copies every page changed since the last one, so frequent checkpoints copy the same pages
# again and again: a 1,000-feed refresh into a 1M-article copy wrote 2.1 GB with 8,192 pages, 1.1 GB with
# 65,536 (issue 17; the empty copy ~0.24 GB either way).
CHECKPOINT_PAGES = 65536
SQLITE_DEFAULT_PAGES = 1000
# How often a thread folds the log into a file database during the block (_Checkpointer): a 1,000-feed refresh
# into a 1M-article copy, quiet machine, 6.13 s against 6.63 s with the storing thread's own checkpoints only,
# the empty copy's the same (issue 17, 2 pairs).
CHECKPOINT_EVERY_SECONDS = 1.0
SQLITE_DEFAULT_CACHE_SIZE = -2000  # PRAGMA cache_size: negative is KiB (SQLite's default, 2 MB)


@contextlib.contextmanager
def bulk_writes(alias: str = "default", checkpoint_pages: int = CHECKPOINT_PAGES) -> Iterator[None]:
    """Inside the block, `alias`'s SQLite connection checkpoints its log every `checkpoint_pages` pages,
    including a connection opened again after being closed (a refresh closes it before forking).
    Nothing changes on other databases."""
    wrapper = connections[alias]
    if wrapper.vendor != "sqlite":
        yield
        return

    def on_connect(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
        if connection.alias == alias:
            _set_pages(connection, checkpoint_pages)
            _set_cache(connection, bulk=True)

    connection_created.connect(on_connect, weak=False)
    name = str(wrapper.settings_dict["NAME"] or "")
    in_file = name not in ("", ":memory:") and not name.startswith("file:") and Path(name).is_file()
    checkpointer = _Checkpointer(name, CHECKPOINT_EVERY_SECONDS) if in_file else None
    try:
        if wrapper.connection is not None:
            _set_pages(wrapper, checkpoint_pages)
            _set_cache(wrapper, bulk=True)
        yield
    finally:
        if checkpointer is not None:
            checkpointer.stop()
        connection_created.disconnect(on_connect)
        if wrapper.connection is not None:
            with contextlib.suppress(Exception):  # a broken connection is closed and reopened with the default
                _set_pages(wrapper, SQLITE_DEFAULT_PAGES)
                _set_cache(wrapper, bulk=False)


def _set_pages(connection: BaseDatabaseWrapper, pages: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA wal_autocheckpoint={int(pages)}")


def _set_cache(connection: BaseDatabaseWrapper, *, bulk: bool) -> None:
    """The bulk page cache and memory map (settings; 0 turns either off), or SQLite's defaults again."""
    cache_kib = max(0, int(settings.SQLITE_BULK_CACHE_MB)) * 1024 if bulk else 0
    mmap_bytes = max(0, int(settings.SQLITE_BULK_MMAP_MB)) * 1024 * 1024 if bulk else 0
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA cache_size={-cache_kib if cache_kib else SQLITE_DEFAULT_CACHE_SIZE}")
        cursor.execute(f"PRAGMA mmap_size={mmap_bytes}")


class _Checkpointer:
    """Folds the log into the database file every `every` seconds from a connection of its own, in a thread, so
    the storing thread's commits seldom reach `wal_autocheckpoint` and wait for a checkpoint themselves. A
    PASSIVE checkpoint neither waits for nor blocks the writer (the thread's SQLite calls run without the GIL);
    the last connection to close folds in what is left, as before. In a large database most of a refresh's
    pages are scattered index pages (issue 17), which the storing thread otherwise copied and synced itself."""

    def __init__(self, path: str, every: float) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(path, every), name="sqlite-checkpointer", daemon=True)
        self._thread.start()

    def _run(self, path: str, every: float) -> None:
        try:
            connection = sqlite3.connect(path, timeout=20, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            logger.warning("checkpointer_not_started path=%s error=%r", path, str(exc))
            return
        try:
            while not self._stop.wait(every):
                try:
                    connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                except sqlite3.Error as exc:  # busy or locked: the next round, or the writer's own checkpoint
                    logger.info("checkpoint_skipped path=%s error=%r", path, str(exc))
        finally:
            connection.close()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
