"""SIGKILL of `tidings refresh --all` in the middle of a refresh, then a restart: nothing lost, nothing twice.

The refresh runs as a real process against a real database file (or its own PostgreSQL database when the
suite runs on PostgreSQL) and the feed farm; it is killed as soon as some but not all articles are
stored, then run again to completion, and the stored articles are checked against the farm's truth.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from urllib.request import urlopen

import pytest

from tidings.lib.canonical import canonicalize_url
from tools.feedfarm import running_farm

FEEDS = 30
LATENCY_MS = 20
RUN_TIMEOUT = 40.0
TIDINGS = shutil.which("tidings", path=str(Path(sys.executable).parent)) or "tidings"
ROWS_SQL = "SELECT id, url, guid, source_id, content_hash, duplicate_of_id FROM articles_article"


@dataclass(frozen=True)
class Database:
    url: str
    query: Callable[[str], list[tuple]]


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    """A database of this test's own: a SQLite file, or a fresh PostgreSQL database beside the suite's."""
    suite_url = os.environ.get("TIDINGS_DATABASE_URL", "")
    if not suite_url.startswith(("postgres://", "postgresql://")):
        path = tmp_path / "sigkill.sqlite3"

        def query_sqlite(sql: str) -> list[tuple]:
            with closing(sqlite3.connect(path, timeout=20)) as connection:
                return connection.execute(sql).fetchall()

        yield Database(f"sqlite:///{path}", query_sqlite)
        return
    import psycopg

    base, _, _ = suite_url.rpartition("/")
    name = f"tidings_sigkill_{os.getpid()}"
    with psycopg.connect(suite_url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.execute(f"CREATE DATABASE {name}")

    def query_postgres(sql: str) -> list[tuple]:
        with psycopg.connect(f"{base}/{name}") as connection:
            return connection.execute(sql).fetchall()

    try:
        yield Database(f"{base}/{name}", query_postgres)
    finally:
        with psycopg.connect(suite_url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def tidings_env(database: Database, tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tidings.settings",  # not the suite's settings: real tasks, queued in the db
        "TIDINGS_DATABASE_URL": database.url,
        "TIDINGS_VAR_DIR": str(tmp_path / "var"),
        "TIDINGS_FETCH_ALLOW_NETWORKS": "127.0.0.1/32",
        "TIDINGS_TASK_BACKEND": "db",
        "TIDINGS_LOG_LEVEL": "WARNING",
    }


def run_tidings(env: dict[str, str], *args: str) -> None:
    done = subprocess.run([TIDINGS, *args], env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT)
    assert done.returncode == 0, f"tidings {' '.join(args)} failed:\n{done.stdout}\n{done.stderr[-3000:]}"


def delivered_articles(truth: dict) -> list[dict]:
    articles = {a["id"]: a for a in truth["articles"]}
    ids = sorted({i for feed in truth["feeds"] if feed["delivers_items"] for i in feed["items"]})
    return [articles[i] for i in ids]


def refresh_killed_midway(env: dict[str, str], database: Database, expected: int, stats: Callable[[], dict]) -> int:
    """Start `tidings refresh --all`, SIGKILL it once some but not all articles are stored; the count then."""
    proc = subprocess.Popen(
        [TIDINGS, "refresh", "--all"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + RUN_TIMEOUT
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            stored = database.query("SELECT count(*) FROM articles_article")[0][0]
            if stored and stats()["requests"]:
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait()
                return stored
            time.sleep(0.01)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
    pytest.fail(
        f"the refresh ended (exit {proc.returncode}) before it could be killed midway, "
        f"out of {expected} articles; stderr: {(proc.stderr.read() if proc.stderr else '')[-2000:]}"
    )


def test_sigkill_midway_then_restart_loses_and_duplicates_nothing(database: Database, tmp_path: Path) -> None:
    env = tidings_env(database, tmp_path)
    run_tidings(env, "migrate", "--no-input", "-v", "0")
    with running_farm(feeds=FEEDS, seed=3, latency_ms=LATENCY_MS) as farm:
        opml = tmp_path / "farm.opml"
        with urlopen(farm.opml_url, timeout=30) as response:
            opml.write_bytes(response.read())
        run_tidings(env, "import_opml", str(opml), "--no-progress")
        expected = delivered_articles(farm.truth)

        stored_at_kill = refresh_killed_midway(env, database, len(expected), farm.stats)
        assert 0 < stored_at_kill < len(expected), "the kill did not land in the middle of the refresh"
        run_tidings(env, "refresh", "--all")

    rows = database.query(ROWS_SQL)
    assert_nothing_twice(rows, expected)
    assert_nothing_lost(rows, expected)


def assert_nothing_twice(rows: list[tuple], expected: list[dict]) -> None:
    urls = Counter(row[1] for row in rows if row[1])
    guids = Counter((row[3], row[2]) for row in rows if row[2])
    hashes = Counter(row[4] for row in rows if row[5] is None)  # linked near-copies may share a hash
    owner = {canonicalize_url(link): a["id"] for a in expected for link in [*a["links"], a["url"]]}
    per_article = Counter(owner[row[1]] for row in rows if row[1] in owner)
    assert [u for u, n in urls.items() if n > 1] == []
    assert [g for g, n in guids.items() if n > 1] == []
    assert [h for h, n in hashes.items() if n > 1] == []
    assert [a for a, n in per_article.items() if n > 1] == [], "one farm article stored under two addresses"


def assert_nothing_lost(rows: list[tuple], expected: list[dict]) -> None:
    """Every delivered article is stored under one of its links, or folded into a stored exact copy of it."""
    stored_urls = {row[1] for row in rows}
    stored = {a["id"] for a in expected if any(canonicalize_url(u) in stored_urls for u in [*a["links"], a["url"]])}
    stored_groups = {a["duplicate_group"] for a in expected if a["id"] in stored}
    lost = [a["url"] for a in expected if a["id"] not in stored and a["duplicate_group"] not in stored_groups]
    assert lost == [], f"{len(lost)} of {len(expected)} delivered articles are missing, e.g. {lost[:3]}"
