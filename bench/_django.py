"""A throwaway database for a benchmark that needs Django: set up in a temporary folder, torn down after.

    with bench_database("counts") as (vendor, work):
        ...

SQLite gets a file in `work`; on PostgreSQL (TIDINGS_DATABASE_URL, e.g. under scripts/with-postgres) Django's
test database is created and destroyed. `work` is deleted at the end either way.

Benches that build a database per corpus size in a process of its own (scale.py, feed_latency.py) share the
rest: run_workers (one worker process per size and database, PostgreSQL through scripts/with-postgres),
run_in_worker and worker_database (the worker's side), kept_results (--from-results), percentiles and explain.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def setup_django(work: Path) -> str:
    """Django set up with its var dir in `work` and a fresh test database; returns the database vendor."""
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tidings.settings")
    os.environ["TIDINGS_VAR_DIR"] = str(work / "var")
    import django

    django.setup()
    from django.db import connection

    if connection.vendor == "sqlite":
        connection.settings_dict["TEST"]["NAME"] = str(work / "bench.sqlite3")
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    return connection.vendor


@contextmanager
def bench_database(name: str) -> Iterator[tuple[str, Path]]:
    """(vendor, work folder) for the benchmark's run; the database and the folder are gone afterwards."""
    work = Path(tempfile.mkdtemp(prefix=f"tidings-bench-{name}-"))
    try:
        yield setup_django(work), work
    finally:
        if "django" in sys.modules:
            from django.db import connection

            if connection.settings_dict.get("NAME") and connection.vendor != "sqlite":
                connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)
        shutil.rmtree(work, ignore_errors=True)


# --- Benches that build one database per (size, database) in its own process (scale.py, feed_latency.py) ---

DB_LABEL = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def short_size(n: int) -> str:
    """10000 -> "10k", 1000000 -> "1M"."""
    return f"{n // 1_000_000}M" if n >= 1_000_000 and n % 1_000_000 == 0 else f"{n // 1000}k"


def percentiles(values: list[float]) -> dict[str, float]:
    """p50, p95, max (ms, one decimal) and how many."""
    cuts = statistics.quantiles(values, n=100, method="inclusive") if len(values) > 1 else values * 99
    return {"p50": round(cuts[49], 1), "p95": round(cuts[94], 1), "max": round(max(values), 1), "n": len(values)}


def explain(vendor: str, sql: str, analyze: bool = False) -> str:
    """The plan of a captured query as text (EXPLAIN [ANALYZE, BUFFERS] on PostgreSQL, EXPLAIN QUERY PLAN on SQLite)."""
    from django.db import connection

    if vendor == "postgresql":
        prefix = "EXPLAIN (ANALYZE, BUFFERS) " if analyze else "EXPLAIN "
    else:
        prefix = "EXPLAIN QUERY PLAN "
    try:
        with connection.cursor() as cursor:
            cursor.execute(prefix + sql)
            rows = cursor.fetchall()
    except Exception as exc:
        return f"(no plan: {exc})"
    if vendor == "postgresql":
        return "\n".join(r[0] for r in rows)
    return "\n".join(f"{r[0]}<-{r[1]} {r[-1]}" for r in rows)


@contextmanager
def worker_database(work: Path) -> Iterator[str]:
    """Django set up for a worker process with a fresh test database (its vendor); on PostgreSQL the database
    is destroyed afterwards (SQLite's file goes with `work`)."""
    (work / "var" / "static").mkdir(parents=True, exist_ok=True)  # the static files middleware looks there
    vendor = setup_django(work)
    try:
        yield vendor
    finally:
        if vendor != "sqlite":
            from django.db import connection

            connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


def run_in_worker(prefix: str, out: str, measure: Callable[[Path], dict[str, Any]]) -> None:
    """Worker mode: `measure` in a temporary folder, its result written to `out` as JSON, the folder removed."""
    work = Path(tempfile.mkdtemp(prefix=f"tidings-bench-{prefix}-"))
    try:
        Path(out).write_text(json.dumps(measure(work)))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run_workers(
    script: Path, sizes: list[int], databases: list[str], worker_args: list[str], results_dir: str | None
) -> list[dict[str, Any]]:
    """`script --worker --size N --out FILE *worker_args` for each size and database, size by size (an
    interrupted run still has both databases at the smaller sizes); PostgreSQL through scripts/with-postgres,
    SQLite without TIDINGS_DATABASE_URL. Each worker's JSON result, also copied to results_dir/<db>-<size>.json
    when given. A failed worker ends the bench (exit 1)."""
    results: list[dict[str, Any]] = []
    for size in sizes:
        for database in databases:
            with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
                out = Path(handle.name)
            command = [sys.executable, str(script.resolve()), "--worker", "--size", str(size), "--out", str(out)]
            command += worker_args
            env = dict(os.environ)
            if database == "postgresql":
                command = [str(ROOT / "scripts" / "with-postgres"), *command]
            else:
                env.pop("TIDINGS_DATABASE_URL", None)
            print(f"== {DB_LABEL[database]}, {size:,} articles", flush=True)
            finished = subprocess.run(command, env=env, check=False)
            if finished.returncode != 0 or not out.stat().st_size:
                print(f"{database} at {size:,} articles failed (exit {finished.returncode})", file=sys.stderr)
                sys.exit(1)
            results.append(json.loads(out.read_text()))
            if results_dir:
                Path(results_dir).mkdir(parents=True, exist_ok=True)
                shutil.copy(out, Path(results_dir) / f"{database}-{size}.json")
            out.unlink()
    return results


def kept_results(folder: str, databases: list[str]) -> tuple[list[dict[str, Any]], list[int], list[str]]:
    """The results kept by run_workers in `folder`: those of the asked databases that have any, at the sizes
    every one of them reached; (results, sizes, databases)."""
    found = [json.loads(p.read_text()) for p in sorted(Path(folder).glob("*.json"))]
    have = {(r["vendor"], r["articles"]) for r in found}
    databases = [d for d in databases if any(v == d for v, _n in have)]
    sizes = sorted({n for _v, n in have if all((d, n) in have for d in databases)})
    return [r for r in found if r["articles"] in sizes and r["vendor"] in databases], sizes, databases


def busiest_top_category_id() -> int | None:
    """The top-level category with the most article links (the bench's category page), or None when none."""
    from django.db.models import Count

    from tidings.taxonomy.models import ArticleCategory

    top = (
        ArticleCategory.objects.filter(category__parent__isnull=True)
        .values("category_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    return top["category_id"] if top else None
