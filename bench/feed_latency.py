"""My News server time as the corpus grows: p50/p95 of the page for profiles following 10 to 200 things.

Claim (issue 15): at 1,000,000 articles and 10,000 profiles, the My News page takes at most 50 ms at the 95th
percentile on SQLite and on PostgreSQL, and its p95 grows at most 1.5x from 10,000 to 1,000,000 articles.

Data (synthetic, seeded; bench._corpus and bench._profiles): N articles arriving at 10,000 a day (so a larger
corpus is a longer history: 1M articles are 100 days), each with an IPTC category link, 2-6 topic links
(Zipf-like popularity), a story (20% of events told by 2-4 outlets), claims for 30%, 1% near-duplicates;
P anonymous profiles, a quarter each following 10, 50, 100 and 200 things (a quarter categories, a fifth
sources, the rest topics; weights less/normal/more) and muting 0-3 sources.

Method: for each database (SQLite file; a throwaway PostgreSQL 15 via scripts/with-postgres) and each size, a
fresh database is built in its own process; PostgreSQL gets VACUUM ANALYZE (as autovacuum would), SQLite is
left as the application leaves it (no ANALYZE) unless --sqlite-analyze. Then S profiles per follow count
(seeded sample) are each asked for GET /my/ through Django's test Client with the whole middleware stack
and a real session (server time: request in, rendered response out, no network), after 5 warm-up requests;
the SQL time of each page is captured too (CaptureQueriesContext).
The page's time includes whatever My News does on the branch it runs on (personalization.my_news).
The slowest sampled profile's queries are captured and the slowest query's plan is printed (EXPLAIN QUERY PLAN
on SQLite, EXPLAIN ANALYZE on PostgreSQL).

Usage: bench/feed_latency.py [--quick] [--profiles P] [--samples S] [--sizes 10000,100000,1000000]
                             [--databases sqlite,postgresql] [--budget SECONDS] [--results-dir DIR] [--no-report]
       bench/feed_latency.py --from-results DIR   (summarise kept results: the sizes both databases reached)
  --budget: seconds of timing per database and size (default 240); when spent, sampling stops once every
  follow count has 3 pages timed (the table's "pages timed" says how many were).
  --quick: 10k and 100k articles, 2,000 profiles, 10 samples per follow count (about two minutes on
  the shared 2-core machine, not one: building 100k articles twice takes most of it).
Last line: RESULT p95_ms_sqlite=… p95_ms_postgres=… p95_growth=… (at the largest size; growth = p95 at the
largest size / p95 at the smallest, the worse of the two databases).
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from bench._django import DB_LABEL, kept_results, run_in_worker, run_workers, short_size  # noqa: E402

FOLLOW_COUNTS = (10, 50, 100, 200)
WARM_UP = 5


def _orchestrate(args: argparse.Namespace) -> None:
    sizes = [int(s) for s in args.sizes.split(",")]
    databases = args.databases.split(",")
    worker_args = ["--profiles", str(args.profiles), "--samples", str(args.samples), "--budget", str(args.budget)]
    worker_args += ["--sqlite-analyze"] if args.sqlite_analyze else []
    results = run_workers(Path(__file__), sizes, databases, worker_args, args.results_dir)
    _summarise(results, sizes, databases, args)


def _summarise(results: list[dict[str, Any]], sizes: list[int], databases: list[str], args: argparse.Namespace) -> None:
    by = {(r["vendor"], r["articles"]): r for r in results}
    header = ["database", "follows"] + [f"{short_size(n)} {q}" for n in sizes for q in ("p50 ms", "p95 ms")]
    rows: list[list[Any]] = []
    for database in databases:
        for group in [*(str(n) for n in FOLLOW_COUNTS), "all"]:
            row: list[Any] = [DB_LABEL[database], group]
            for size in sizes:
                stats = by[(database, size)]["page"][group]
                row += [stats["p50"], stats["p95"]]
            rows.append(row)
    build_header = ["database", "articles", "rows written", "build s", "rows/s", "profiles s", "db size MB"]
    build_header += ["pages timed", "SQL p95 ms", "queries (slowest page)"]
    build_rows = [
        [
            DB_LABEL[r["vendor"]],
            f"{r['articles']:,}",
            f"{r['rows']:,}",
            round(r["build_s"], 1),
            f"{r['rows_per_s']:,.0f}",
            round(r["profiles_s"], 1),
            round(r["db_mb"]),
            r["page"]["all"]["n"],
            r["sql"]["all"]["p95"],
            r["slowest"]["queries"],
        ]
        for r in results
    ]
    from bench._report import markdown_table, update_section

    latency, build = markdown_table(header, rows), markdown_table(build_header, build_rows)
    print("\nMy News page server time (ms) by corpus size\n" + latency + "\n\nCorpus build\n" + build)
    largest, smallest = sizes[-1], sizes[0]
    for database in databases:
        slow = by[(database, largest)]["slowest"]
        print(
            f"\n{DB_LABEL[database]} at {largest:,} articles, slowest sampled page {slow['ms']} ms, its queries (ms):"
        )
        for ms, sql in slow["top_queries"]:
            print(f"  {ms:8.1f}  {sql[:300]}")
        print("  plan of the slowest:\n    " + "\n    ".join(line[:240] for line in slow["plan"].splitlines()))
    p95 = {d: by[(d, largest)]["page"]["all"]["p95"] for d in databases}
    growth = max(by[(d, largest)]["page"]["all"]["p95"] / by[(d, smallest)]["page"]["all"]["p95"] for d in databases)
    if not args.no_report:
        first = results[0]
        notes = (
            f"`bench/feed_latency.py{' --quick' if args.quick else ''}`: GET /my/ through Django's test Client "
            f"(whole middleware stack, a real session), {args.samples} seeded sampled profiles per follow count "
            f"out of {first['profiles']:,} profiles, after {WARM_UP} warm-up requests; each database size is a "
            f"fresh database built in its own process (articles at 10,000 a day, so a bigger corpus is a longer "
            f"history). PostgreSQL 15 after VACUUM ANALYZE; SQLite "
            f"{'after ANALYZE' if args.sqlite_analyze else 'without ANALYZE, as the application leaves it'}. "
            f"Targets: p95 at most 50 ms at 1M articles, growth 10k to 1M at most 1.5x. "
            f"{os.cpu_count()} CPU(s) shared with other jobs, measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC."
        )
        update_section("My News latency", latency + "\n\n" + build + "\n\n" + notes)
    print(
        f"\nRESULT p95_ms_sqlite={p95.get('sqlite', 'n/a')} p95_ms_postgres={p95.get('postgresql', 'n/a')} "
        f"p95_growth={growth:.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="10k and 100k articles, 2,000 profiles, 10 samples")
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--profiles", type=int, default=10_000)
    parser.add_argument("--samples", type=int, default=25, help="sampled profiles per follow count")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--budget", type=float, default=240.0, help="seconds of timing per database and size")
    parser.add_argument("--sqlite-analyze", action="store_true", help="run ANALYZE on SQLite too")
    parser.add_argument("--no-report", action="store_true")
    parser.add_argument("--results-dir", help="also keep each database and size's raw result (JSON) here")
    parser.add_argument(
        "--from-results", metavar="DIR", help="no measuring: the table, report and RESULT from --results-dir files"
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.quick:
        args.sizes, args.profiles, args.samples = "10000,100000", 2_000, 10
    if args.from_results:
        _summarise(*kept_results(args.from_results, args.databases.split(",")), args)
        return
    if args.worker:
        from bench._feed_latency_worker import run_worker

        run_in_worker(
            "feed",
            args.out,
            lambda work: run_worker(
                work, args.size, args.profiles, args.samples, WARM_UP, args.sqlite_analyze, args.budget
            ),
        )
        return
    _orchestrate(args)


if __name__ == "__main__":
    main()
