"""My News' own cost per request, without the machine's load: server CPU time of GET /my/ (issue 17).

Claim: the page's CPU time, not queueing in the request path, is what limits My News under load; this prints it
for a reader seen again (the ranked list from personalization.ranked_cache) and for readers seen once (ranked
afresh; the shared pools warm), with the page's size.

Method: for each database (SQLite file; PostgreSQL 15 via scripts/with-postgres, after VACUUM ANALYZE) a fresh
database of N articles (bench._corpus; --quick 10,000) and 400 profiles (bench._profiles: 10, 50, 100 and 200
follows) is built in its own process, then GET /my/ goes through Django's test Client with the whole middleware
stack and a session per profile (as bench/web_load.py's session profile). "again": the first profile with 50
follows, R times after 3 untimed requests. "once": every other profile with 50 follows, one request each, after
the shared pools were warmed by "again". CPU is the process's time (time.process_time: this process only, so
other jobs on the machine change it far less than wall time); wall time is given beside it.

Usage: bench/my_news_cpu.py [--quick] [--size N] [--requests R] [--databases sqlite,postgresql] [--no-report]
Last line: RESULT cpu_ms_again_sqlite=… cpu_ms_once_sqlite=… cpu_ms_again_postgresql=… cpu_ms_once_postgresql=…
  (p50 of each, ms.)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
FOLLOWS = 50


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * (len(ordered) - 1) + 0.5))], 1)


def measure(size: int, requests: int) -> dict[str, Any]:
    """(In the database's own process.) Build, then time GET /my/ again and once per reader."""
    from bench._django import bench_database

    with bench_database("my-news-cpu") as (vendor, _work):
        from importlib import import_module

        from bench._bulk_insert import analyze
        from bench._corpus import CorpusSpec, build_corpus
        from bench._profiles import build_profiles
        from django.conf import settings
        from django.test import Client

        build_corpus(CorpusSpec(articles=size))
        groups = build_profiles(400, follow_counts=(10, FOLLOWS, 100, 200))
        if vendor == "postgresql":
            analyze()
        store = import_module(settings.SESSION_ENGINE).SessionStore
        client = Client(headers={"host": "localhost"})

        def get(profile_id: int, session_keys: dict[int, str] = {}) -> tuple[float, float, int]:  # noqa: B006
            if profile_id not in session_keys:
                session = store()
                session["profile_id"] = profile_id
                session.create()
                session_keys[profile_id] = session.session_key
            client.cookies[settings.SESSION_COOKIE_NAME] = session_keys[profile_id]
            cpu, wall = time.process_time(), time.perf_counter()
            response = client.get("/my/")
            if response.status_code != 200:
                raise RuntimeError(f"GET /my/ for profile {profile_id}: {response.status_code}")
            return (time.process_time() - cpu) * 1000, (time.perf_counter() - wall) * 1000, len(response.content)

        first, *others = groups[FOLLOWS]
        for _ in range(3):
            get(first)
        rows = {"again": [get(first) for _ in range(requests)], "once": [get(pk) for pk in others]}
        return {
            "vendor": vendor,
            "articles": size,
            "load": round(os.getloadavg()[0], 1),
            "rows": {
                name: {
                    "requests": len(timed),
                    "cpu_p50": _p([t[0] for t in timed], 0.5),
                    "cpu_p95": _p([t[0] for t in timed], 0.95),
                    "wall_p50": _p([t[1] for t in timed], 0.5),
                    "kb": round(statistics.median(t[2] for t in timed) / 1024),
                }
                for name, timed in rows.items()
            },
        }


def _in_process(database: str, args: argparse.Namespace) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", "--size", str(args.size)]
    command += ["--requests", str(args.requests)]
    env = dict(os.environ)
    env.pop("TIDINGS_DATABASE_URL", None)
    if database == "postgresql":
        command = [str(ROOT / "scripts" / "with-postgres"), *command]
    finished = subprocess.run(command, check=False, capture_output=True, text=True, env=env)
    lines = [line for line in finished.stdout.splitlines() if line.startswith("{")]
    if finished.returncode != 0 or not lines:
        sys.exit(f"my_news_cpu: the {database} run failed (exit {finished.returncode}):\n{finished.stderr[-3000:]}")
    return json.loads(lines[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="10,000 articles, 20 requests")
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--no-report", action="store_true")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.quick:
        args.size, args.requests = 10_000, 20
    if args.worker:
        print(json.dumps(measure(args.size, args.requests)))
        return
    from bench._report import markdown_table, update_section

    results = [_in_process(database, args) for database in args.databases.split(",")]
    header = ["database", "articles", "reader", "requests", "CPU p50 ms", "CPU p95 ms", "wall p50 ms", "page KB"]
    label = {"again": "seen again (ranked list kept)", "once": "each seen once (ranked afresh)"}
    table = markdown_table(
        header,
        [
            [r["vendor"], f"{r['articles']:,}", label[name], *row.values()]
            for r in results
            for name, row in r["rows"].items()
        ],
    )
    print(table)
    if not args.no_report:
        loads = ", ".join(f"{r['vendor']} {r['load']}" for r in results)
        notes = (
            f"`bench/my_news_cpu.py{' --quick' if args.quick else ''}`: GET /my/ through Django's test Client (whole "
            f"middleware stack, a session per profile) for profiles with {FOLLOWS} follows; 'seen again': one "
            f"profile {args.requests} times after 3 untimed requests; 'each seen once': the other 99 profiles with "
            f"{FOLLOWS} follows, one request each. CPU: this process's time per request (the database server's own "
            f"CPU on PostgreSQL is not in it). Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on the shared "
            f"{os.cpu_count()}-core machine (1-minute load average at the end: {loads}): wall time is CPU time "
            f"times the machine's queueing, which is why bench/web_load.py's single-client My News (252 ms p50 at "
            f"load 17-19) was several times this CPU."
        )
        update_section("My News server CPU (issue 17)", table + "\n\n" + notes)
    print(
        "RESULT "
        + " ".join(f"cpu_ms_{name}_{r['vendor']}={row['cpu_p50']}" for r in results for name, row in r["rows"].items())
    )


if __name__ == "__main__":
    main()
