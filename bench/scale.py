"""Every page and API route's server time as the corpus grows, on SQLite and PostgreSQL (issue 17).

Claim: at 1,000,000 articles every page and API route answers within 100 ms server time at the 95th percentile,
on SQLite and on PostgreSQL, and no route's p95 at 1M is more than 1.5x its p95 at 10,000 articles.

Data: the synthetic corpus of bench._corpus (articles arriving at 10,000 a day, so a bigger corpus is a longer
history; categories, 2-6 Zipf-popular topics, stories of 1-4 outlets, claims, 1% near-duplicates).
Method: for each size and database a fresh database is built in its own process (PostgreSQL 15 through
scripts/with-postgres, after VACUUM ANALYZE as autovacuum would; SQLite without ANALYZE, as the application
leaves it). Each route is asked through Django's test Client with the whole middleware stack, anonymously, 2
warm-up requests then --repeat timed ones, each within a time limit (--limit; a route over it shows "over").
Two ways: with every cache cleared before each request (the page cache, the shared pools, trending topics:
what the first visitor after a change waits; the main table and the RESULT), and for the cacheable pages also
with the caches kept between requests (what the next visitors get while nothing new arrives).
Targets are the worst cases for lists: the category, topic and source with the most articles; detail routes
walk 60 article ids sampled across the corpus and 30 recent multi-article stories plus 30 sampled ones.
"deep (next link)" is the page a client reaches by following the `next` link from the middle of the list
(offset size/2 for articles, size/4 for stories); "deep offset (legacy)" asks offset=size/2 directly, kept for
compatibility and shown, but not a target (OFFSET reads every skipped row; clients should follow `next`).
Search (/search/) is measured by bench/search.py; it is added here only when that script exists.

Usage: bench/scale.py [--quick] [--sizes 10000,100000,1000000] [--databases sqlite,postgresql] [--repeat R]
                      [--results-dir DIR] [--no-report] [--routes home,browse] [--compare-trending]
       bench/scale.py --from-results DIR   (table, report and RESULT from kept results)
  --quick: 10k and 100k only, 15 timed requests per route (a few minutes on the shared 2-core machine).
Last line: RESULT p95_ms_max_1m=… p95_growth_max=… search_p95_ms_1m=… refresh_growth_1m=…
                 p95_ms_max_1m_caches_kept=…
  (p95_ms_max_1m: the slowest target route's p95 at 1M over both databases, caches cleared, n/a when 1M was
  not run; growth: the largest p95(largest size) / p95(smallest) over target routes and databases; refresh growth:
  a refresh of 1,000 feeds into the 1M database over the same into an empty one, the worse database, as kept
  by bench/refresh_growth.py in bench/data/refresh_growth.json (n/a, with the reason printed, when 1M was not
  measured there); the last: the slowest cacheable page at 1M with the caches kept.)
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

SEARCH_BENCH = ROOT / "bench" / "search.py"
TARGET_MS = 100.0
NOT_TARGETS = {
    "api articles deep offset (legacy)",
    "home [trending from links]",  # --compare-trending: the pages as they were before trending's rows
    "browse [trending from links]",
}


def _p95(route: dict[str, Any]) -> float:
    """The route's p95, infinite when its requests went over the time limit."""
    return float("inf") if route["p95"] is None else float(route["p95"])


def _shown(route: dict[str, Any]) -> str:
    if route["p95"] is None:
        return f"over {route['timed_out']:.0f} s"
    return f"{route['p95']:.1f}" + (f" (n={route['n']})" if route["n"] < 10 else "")


def _warm_shown(route: dict[str, Any]) -> str:
    return f"{route['warm']['p95']:.1f}" if route.get("warm") else "-"


def _orchestrate(args: argparse.Namespace) -> None:
    sizes = [int(s) for s in args.sizes.split(",")]
    databases = args.databases.split(",")
    worker_args = ["--repeat", str(args.repeat), "--budget", str(args.budget), "--limit", str(args.limit)]
    worker_args += ["--routes", args.routes] + (["--compare-trending"] if args.compare_trending else [])
    results = run_workers(Path(__file__), sizes, databases, worker_args, args.results_dir)
    _summarise(results, sizes, databases, args)


def _summarise(results: list[dict[str, Any]], sizes: list[int], databases: list[str], args: argparse.Namespace) -> None:
    by = {(r["vendor"], r["articles"]): r for r in results}
    routes = list(results[0]["routes"])
    header = ["route"] + [f"{DB_LABEL[d]} {short_size(n)} p95" for d in databases for n in sizes] + ["growth"]
    rows: list[list[Any]] = []
    growth_max = 0.0
    warm_rows = [
        [route] + [_warm_shown(by[(d, n)]["routes"][route]) for d in databases for n in sizes]
        for route in routes
        if any(by[(d, n)]["routes"][route].get("warm") for d in databases for n in sizes)
    ]
    warm_1m = [
        by[(d, 1_000_000)]["routes"][route]["warm"]["p95"]
        for d in databases
        if (d, 1_000_000) in by
        for route in routes
        if by[(d, 1_000_000)]["routes"][route].get("warm")
    ]
    for route in routes:
        row: list[Any] = [route + (" *" if route in NOT_TARGETS else "")]
        growths = []
        for database in databases:
            for size in sizes:
                row.append(_shown(by[(database, size)]["routes"][route]))
            first = _p95(by[(database, sizes[0])]["routes"][route])
            growths.append(_p95(by[(database, sizes[-1])]["routes"][route]) / first if first else 0.0)
        row.append(f"{max(growths):.2f}x" if max(growths) != float("inf") else "n/a")
        if route not in NOT_TARGETS:
            growth_max = max(growth_max, *growths)
        rows.append(row)
    from bench._report import markdown_table, update_section

    table = markdown_table(header, rows)
    warm_table = markdown_table(header[:-1], warm_rows)
    print(
        f"\nServer time p95 (ms), caches cleared before each request ({sizes[0]:,} to {sizes[-1]:,} articles)\n" + table
    )
    print("\nThe same with the caches kept between requests (page cache, shared pools, trending)\n" + warm_table)
    largest = sizes[-1]
    for database in databases:
        print(f"\n{DB_LABEL[database]} at {largest:,}: each route's slowest query")
        for route, r in by[(database, largest)]["routes"].items():
            print(f"  {route:36} {r['slowest_query_ms']:8.1f} ms  {r['slowest_query'][:160]}")
            if r["slowest_query_ms"] > 20:
                print("      " + "\n      ".join(line[:200] for line in r["plan"].splitlines()[:12]))
    at_1m = [
        _p95(r)
        for d in databases
        if (d, 1_000_000) in by
        for name, r in by[(d, 1_000_000)]["routes"].items()
        if name not in NOT_TARGETS and name != "search"
    ]
    search_1m = [
        _p95(by[(d, 1_000_000)]["routes"]["search"])
        for d in databases
        if "search" in by.get((d, 1_000_000), {}).get("routes", {})
    ]
    p95_1m = f"{max(at_1m):.1f}" if at_1m else "n/a"
    search = f"{max(search_1m):.1f}" if search_1m else "n/a"
    if not args.no_report:
        most = max(r["n"] for result in results for r in result["routes"].values())
        build = markdown_table(
            ["database", "articles", "rows written", "build s"],
            [[DB_LABEL[r["vendor"]], f"{r['articles']:,}", f"{r['rows']:,}", round(r["build_s"], 1)] for r in results],
        )
        notes = (
            f"`bench/scale.py{' --quick' if args.quick else ''}`: each route through Django's test Client (whole "
            f"middleware stack, anonymous), up to {most} timed requests after 2 warm-ups, the page cache cleared "
            f"before each; the busiest category, topic and source; articles and stories sampled across the corpus. "
            f"Growth is p95 at {short_size(sizes[-1])} over p95 at {short_size(sizes[0])}, the worse database. "
            f"Routes marked * are not targets (OFFSET reads every skipped row; the `next` link is a cursor). "
            f"Targets: p95 at most {TARGET_MS:.0f} ms at 1M, growth at most 1.5x. PostgreSQL 15 after VACUUM ANALYZE; "
            f"SQLite without ANALYZE. {os.cpu_count()} CPU(s) shared with other jobs (1-minute load average at the end "
            f"of each run: {', '.join(str(r.get('load_average', '?')) for r in results)}), measured "
            f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC."
        )
        update_section(
            "Scale: every route",
            "Caches cleared before each request (the first visitor after a change):\n\n"
            + table
            + "\n\nCaches kept between requests (what visitors get while nothing new arrives):\n\n"
            + warm_table
            + "\n\n"
            + build
            + "\n\n"
            + notes,
        )
    from bench.refresh_growth import stored_growth

    refresh_1m, why = stored_growth(1_000_000)
    if refresh_1m is None:
        print(f"refresh_growth_1m: n/a: {why}")
    print(
        f"\nRESULT p95_ms_max_1m={p95_1m} p95_growth_max={growth_max:.2f} search_p95_ms_1m={search} "
        f"refresh_growth_1m={f'{refresh_1m:.2f}' if refresh_1m else 'n/a'} "
        f"p95_ms_max_1m_caches_kept={f'{max(warm_1m):.1f}' if warm_1m else 'n/a'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="10k and 100k articles, 15 requests per route")
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--repeat", type=int, default=40, help="timed requests per route")
    parser.add_argument("--budget", type=float, default=60.0, help="seconds of timing per route (then it stops)")
    parser.add_argument("--limit", type=float, default=30.0, help="seconds a request may take (then: over)")
    parser.add_argument("--no-report", action="store_true")
    parser.add_argument("--routes", default="", help="only these routes (comma-separated names as in the table)")
    parser.add_argument(
        "--compare-trending",
        action="store_true",
        help="also time home and browse with trending counted from the links (as before its precomputed rows)",
    )
    parser.add_argument("--results-dir", help="also keep each database and size's raw result (JSON) here")
    parser.add_argument("--from-results", metavar="DIR", help="no measuring: summarise --results-dir files")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.quick:
        args.sizes, args.repeat = "10000,100000", 15
    if args.from_results:
        _summarise(*kept_results(args.from_results, args.databases.split(",")), args)
        return
    if args.worker:
        from bench._scale_worker import run_worker

        only = frozenset(r.strip() for r in args.routes.split(",") if r.strip())
        search = SEARCH_BENCH.exists()
        run_in_worker(
            "scale",
            args.out,
            lambda work: run_worker(
                work, args.size, args.repeat, search, args.budget, args.limit, only, args.compare_trending
            ),
        )
        return
    _orchestrate(args)


if __name__ == "__main__":
    main()
