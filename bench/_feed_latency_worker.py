"""One database, one corpus size, for bench/feed_latency.py: build, then time My News for sampled profiles.

Runs in its own process (a fresh database each time; PostgreSQL through scripts/with-postgres) and returns a
JSON-ready dict: build figures, page and load_my_news percentiles per follow count, the slowest page's queries
and the plan of its slowest query.
"""

from __future__ import annotations

import os
import random
import time
from pathlib import Path
from typing import Any

from bench._bulk_insert import analyze
from bench._corpus import CorpusSpec, build_corpus
from bench._django import explain, percentiles, worker_database
from bench._profiles import build_profiles

SAMPLE_SEED = 5
MIN_PER_GROUP = 3  # pages timed per follow count even when the time budget is spent


def _database_mb(vendor: str) -> float:
    from django.db import connection

    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            return float(cursor.fetchone()[0]) / 2**20
    name = Path(connection.settings_dict["NAME"])
    return sum(p.stat().st_size for p in name.parent.glob(name.name + "*")) / 2**20


def _round_robin(chosen: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """One profile of each follow count in turn, so a time budget cuts every group about equally."""
    groups: dict[int, list[int]] = {}
    for n, pk in chosen:
        groups.setdefault(n, []).append(pk)
    longest = max(len(v) for v in groups.values())
    return [(n, pks[i]) for i in range(longest) for n, pks in sorted(groups.items()) if i < len(pks)]


def run_worker(
    work: Path, size: int, profiles: int, samples: int, warm_up: int, sqlite_analyze: bool, budget_s: float
) -> dict[str, Any]:
    with worker_database(work) as vendor:
        return _measure(vendor, size, profiles, samples, warm_up, sqlite_analyze, budget_s)


def _measure(
    vendor: str, size: int, profiles: int, samples: int, warm_up: int, sqlite_analyze: bool, budget_s: float
) -> dict[str, Any]:
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    stats = build_corpus(CorpusSpec(articles=size))
    print(
        f"built {stats.articles:,} articles, {stats.rows:,} rows in {stats.seconds:.1f} s "
        f"(the listing: {stats.listing_seconds:.1f} s)",
        flush=True,
    )
    started = time.perf_counter()
    groups = build_profiles(profiles)
    profiles_s = time.perf_counter() - started
    if vendor == "postgresql" or sqlite_analyze:
        analyze()
    rng = random.Random(SAMPLE_SEED)
    chosen = [(n, pk) for n, ids in groups.items() for pk in rng.sample(ids, min(samples, len(ids)))]
    rng.shuffle(chosen)
    cookies = {}
    for _n, pk in chosen:
        session = SessionStore()
        session["profile_id"] = pk
        session.create()
        cookies[pk] = session.session_key
    client = Client(headers={"host": "localhost"})
    url = reverse("web:my_news")

    def get(pk: int) -> float:
        client.cookies[settings.SESSION_COOKIE_NAME] = cookies[pk]
        began = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - began) * 1000
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} for profile {pk}: {response.status_code}")
        return elapsed

    for _n, pk in chosen[:warm_up]:
        get(pk)
    page: dict[str, list[float]] = {str(n): [] for n in groups}
    sql: dict[str, list[float]] = {str(n): [] for n in groups}
    slowest = (0.0, 0)
    began_all = time.perf_counter()
    for n, pk in _round_robin(chosen):
        if time.perf_counter() - began_all > budget_s and min(len(v) for v in page.values()) >= MIN_PER_GROUP:
            print(f"time budget of {budget_s:.0f} s spent: {sum(map(len, page.values()))} pages timed", flush=True)
            break
        with CaptureQueriesContext(connection) as captured:
            ms = get(pk)
        page[str(n)].append(ms)
        sql[str(n)].append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
        slowest = max(slowest, (ms, pk))
    with CaptureQueriesContext(connection) as captured:
        get(slowest[1])
    queries = sorted(((float(q["time"]) * 1000, q["sql"]) for q in captured.captured_queries), reverse=True)
    plan = explain(vendor, queries[0][1], analyze=True) if queries else ""
    all_page = [v for vs in page.values() for v in vs]
    all_sql = [v for vs in sql.values() for v in vs]
    result = {
        "vendor": vendor,
        "articles": size,
        "profiles": profiles,
        "rows": stats.rows,
        "by_table": stats.by_table,
        "build_s": stats.seconds,
        "rows_per_s": stats.rows_per_second,
        "profiles_s": profiles_s,
        "db_mb": _database_mb(vendor),
        "page": {**{k: percentiles(v) for k, v in page.items()}, "all": percentiles(all_page)},
        "sql": {**{k: percentiles(v) for k, v in sql.items() if v}, "all": percentiles(all_sql)},
        "slowest": {
            "ms": round(slowest[0], 1),
            "profile": slowest[1],
            "queries": len(queries),
            "top_queries": [(round(ms, 1), sql) for ms, sql in queries[:5]],
            "plan": plan,
        },
        "pid": os.getpid(),
    }
    print(
        f"page p50 {result['page']['all']['p50']} ms, p95 {result['page']['all']['p95']} ms; "
        f"SQL p95 {result['sql']['all']['p95']} ms",
        flush=True,
    )
    return result
