"""The site under load: requests per second and latency of the main pages with wrk, in both shapes (issue 17).

Claim: under 64 concurrent connections on loopback, no request fails (0 non-2xx/3xx responses, 0 socket
errors); the cached pages (home, category page) serve at least half the requests per second of a bare Django
view answering "ok" on the same server; My News of a profile with 50 follows has p99 under 100 ms.

Method: for each shape a fresh database is built (bench._corpus: 100,000 articles, --quick 10,000; 400 profiles
from bench._profiles, one with 50 follows given a session cookie), the shape's servers are started with the
bench's settings module (bench._web_settings: the project's settings and URLs plus `/bench-ok`, the bare view),
and each route is loaded with wrk (2 threads, 64 connections, 30 s each, --quick 5 s; a 10 s request timeout)
after 3 untimed requests. The bare view is measured first, in the same run and on the same server: it is the
ceiling (the same middleware stack; only the view's work is missing), and each route's ratio is its
requests/s over the bare view's. The story page walks 30 recent multi-outlet stories (a wrk Lua script);
every other route asks one URL (home, the busiest top-level category, My News, /api/articles).
Shapes: embedded: SQLite and `tidings serve` (1 process x 4 threads, and a database task worker, its periodic
refresh off); scale-out: PostgreSQL 15 (scripts/with-postgres, after VACUUM ANALYZE) and Redis (scripts/with-redis:
queue and cache) with the web server at 2 processes x 4 threads and 2 RQ workers, as scripts/scale-stack starts
them (no scheduler: nothing is due). Each shape runs one web server of each kind in --servers (TIDINGS_WSGI_SERVER:
gunicorn gthread, granian's WSGI interface) side by side on the same database, each with its own bare view; the
servers take turns route by route (route i starts with server i mod n), so both meet the shared machine's load
of the same minutes. wrk runs on the same 2 cores as the servers.

Usage: bench/web_load.py [--quick] [--size N] [--seconds S] [--shapes embedded,scale-out]
                         [--servers gunicorn,granian] [--no-report]
Needs wrk (Debian package `wrk`; `make bench-deps`). Without it: a message and RESULT ... n/a.
Last line: RESULT errors=… home_rps_ratio=… mynews_p99_ms=… api_rps_ratio=… granian_vs_gunicorn=…
  (errors, ratios and mynews_p99_ms: over the runs of the configured web server, as deployed: errors summed over
  every route and shape, ratios the worse shape's route requests/s over its bare view's, mynews_p99_ms the worse
  shape's; granian_vs_gunicorn: the geometric mean over both shapes' routes other than the bare view of granian's
  requests/s over gunicorn's, n/a unless both ran.)
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

SHAPE_LABEL = {"embedded": "embedded (SQLite, tidings serve)", "scale-out": "scale-out (PostgreSQL, Redis, 2 web)"}
SERVERS = ("gunicorn", "granian")
BARE = "bare view (ceiling)"
CACHED = ("home", "category page")
MYNEWS_TARGET_MS = 100.0
RATIO_TARGET = 0.5


def _no_wrk() -> None:
    print("web_load: wrk not found; install it with `make bench-deps` (Debian package wrk). Nothing measured.")
    print("RESULT errors=n/a home_rps_ratio=n/a mynews_p99_ms=n/a api_rps_ratio=n/a granian_vs_gunicorn=n/a")


def _run_shape_process(shape: str, args: argparse.Namespace) -> list[dict[str, Any]]:
    """The shape in its own process (the scale-out one inside throwaway PostgreSQL and Redis)."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = Path(handle.name)
    command = [sys.executable, str(Path(__file__).resolve()), "--shape", shape, "--size", str(args.size)]
    command += ["--seconds", str(args.seconds), "--servers", args.servers, "--out", str(out)]
    if shape == "scale-out":
        command = [str(ROOT / "scripts" / "with-postgres"), str(ROOT / "scripts" / "with-redis"), *command]
    print(f"== {SHAPE_LABEL[shape]}, {args.size:,} articles, {args.seconds} s per route", flush=True)
    finished = subprocess.run(command, check=False)
    try:
        if finished.returncode != 0 or not out.stat().st_size:
            print(f"web_load: the {shape} shape failed (exit {finished.returncode})", file=sys.stderr)
            sys.exit(1)
        return json.loads(out.read_text())  # type: ignore[no-any-return]
    finally:
        out.unlink(missing_ok=True)


def _errors(route: dict[str, Any]) -> int:
    alone = route.get("alone", {})
    return int(
        route["non_2xx_3xx"] + route["socket_errors"] + alone.get("non_2xx_3xx", 0) + alone.get("socket_errors", 0)
    )


def _label(result: dict[str, Any]) -> str:
    return f"{result['shape']} ({result['server']})"


def granian_vs_gunicorn(results: list[dict[str, Any]]) -> float | None:
    """The geometric mean over each shape's routes (not the bare view) of granian's requests/s over gunicorn's."""
    runs = {(r["shape"], r["server"]): r["routes"] for r in results}
    ratios = []
    for shape in dict.fromkeys(r["shape"] for r in results):
        if (shape, "gunicorn") not in runs or (shape, "granian") not in runs:
            continue
        gunicorn, granian = runs[shape, "gunicorn"], runs[shape, "granian"]
        ratios += [granian[n]["rps"] / gunicorn[n]["rps"] for n in gunicorn if n != BARE and gunicorn[n]["rps"]]
    return math.exp(sum(math.log(max(r, 1e-9)) for r in ratios) / len(ratios)) if ratios else None


def summarise(results: list[dict[str, Any]], args: argparse.Namespace) -> str:
    from bench._report import markdown_table, update_section
    from bench._web_load_shape import shown_ms

    header = ["route", "shape (web server)", "requests/s", "p50 ms", "p99 ms", "errors", "ratio to bare view"]
    header.append("1 conn p50 ms")
    rows: list[list[Any]] = []
    ratios: dict[str, list[float]] = {}
    mynews_p99: list[float] = []
    errors = 0
    names = list(results[0]["routes"])
    for name in names:
        for result in results:
            route = result["routes"][name]
            bare = result["routes"][BARE]["rps"]
            ratio = route["rps"] / bare if bare else 0.0
            if result["configured"]:  # the figures of the shapes as deployed
                ratios.setdefault(name, []).append(ratio)
                errors += _errors(route)
                if name.startswith("My News"):
                    mynews_p99.append(float("inf") if route["p99_ms"] is None else route["p99_ms"])
            shown = [f"{route['rps']:.0f}", shown_ms(route["p50_ms"]).strip(), shown_ms(route["p99_ms"]).strip()]
            rows.append(
                [
                    name,
                    _label(result),
                    *shown,
                    _errors(route),
                    f"{ratio:.2f}",
                    shown_ms(route["alone"]["p50_ms"]).strip(),
                ]
            )
    table = markdown_table(header, rows)
    print("\nUnder load: wrk, 64 connections, each route on each shape and web server\n" + table)
    home = min(ratios["home"])
    api = min(ratios["api articles"])
    mynews = max(mynews_p99)
    cached_ok = all(min(ratios[n]) >= RATIO_TARGET for n in CACHED)
    configured = ", ".join(_label(r) for r in results if r["configured"])
    verdict = (
        f"configured web server ({configured}): errors {errors} (target 0: {'met' if errors == 0 else 'NOT met'}); "
        f"cached pages' worst ratio {min(min(ratios[n]) for n in CACHED):.2f} (target >= {RATIO_TARGET}: "
        f"{'met' if cached_ok else 'NOT met'}); My News p99 {mynews:.1f} ms (target < {MYNEWS_TARGET_MS:.0f}: "
        f"{'met' if mynews < MYNEWS_TARGET_MS else 'NOT met'})"
    )
    versus = granian_vs_gunicorn(results)
    if versus is not None:
        verdict += f"; granian / gunicorn requests/s, geometric mean over both shapes' routes: {versus:.2f}"
    print(verdict)
    if not args.no_report:
        builds = "; ".join(
            f"{r['shape']} {r['targets']['articles']:,} articles on {r['targets']['vendor']}"
            for r in results
            if r["configured"]
        )
        loads = ", ".join(
            f"{_label(r)} {min(x['load_average'] for x in r['routes'].values())}-"
            f"{max(x['load_average'] for x in r['routes'].values())}"
            for r in results
        )
        notes = (
            f"`bench/web_load.py{' --quick' if args.quick else ''}`: wrk 2 threads, 64 connections, {args.seconds} s "
            f"per route, 10 s request timeout, on loopback, after 3 untimed requests per route ({builds}). The bare "
            f'view (`/bench-ok`, "ok" through the whole middleware stack, bench\'s URL conf only) is the ceiling '
            f"measured in the same run on the same server; ratio = route requests/s / bare view requests/s. Errors: "
            f"non-2xx/3xx responses plus socket errors (connect, read, write, timeout). Embedded: SQLite and "
            f"`tidings serve` (1 process x 4 threads, a database task worker). Scale-out: PostgreSQL 15 and Redis "
            f"(queue and cache), 2 RQ workers, and the web server at 2 processes x 4 threads. In each shape gunicorn "
            f"(gthread) and granian (WSGI interface, the threads as blocking threads) run side by side on the same "
            f"database, each with its own bare view, taking turns route by route (route i starts with server i mod "
            f"2); 'configured' is TIDINGS_WSGI_SERVER's default. My News: a session profile with 50 follows. wrk "
            f"shares the {os.cpu_count()} CPUs with the servers and with other jobs (1-minute load average during "
            f"the routes: {loads}), measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC. "
            f"'1 conn p50': the route with a single client (wrk -c1, {max(2, args.seconds // 6)} s), its own time "
            f"without queueing; under 64 connections a request mostly waits for a free thread (Little's law: mean "
            f"latency is about 64 / requests per second). Errors of the single-client runs are counted too. "
            f"After each loaded run the bench waits until the server has worked off what wrk left queued (the bare "
            f"view answering within 50 ms three times running), so one route's backlog does not slow the next. "
            f"Targets: 0 errors; home and category page >= {RATIO_TARGET} of the bare view; My News p99 < "
            f"{MYNEWS_TARGET_MS:.0f} ms. This run: {verdict}."
        )
        update_section("Under load (wrk)", table + "\n\n" + notes)
    shown_versus = "n/a" if versus is None else f"{versus:.2f}"
    return (
        f"RESULT errors={errors} home_rps_ratio={home:.2f} mynews_p99_ms={mynews:.1f} api_rps_ratio={api:.2f} "
        f"granian_vs_gunicorn={shown_versus}"
    )


def _exit_on_term(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="10,000 articles, 5 s per route")
    parser.add_argument("--size", type=int, default=100_000, help="articles in each shape's database")
    parser.add_argument("--seconds", type=int, default=30, help="wrk duration per route")
    parser.add_argument("--shapes", default="embedded,scale-out")
    parser.add_argument("--servers", default=",".join(SERVERS), help="web servers each shape is loaded with")
    parser.add_argument("--no-report", action="store_true")
    parser.add_argument("--setup", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--shape", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup:
        from bench._web_load_shape import build_database

        build_database(args.size, Path(args.out))
        return
    if args.shape:
        signal.signal(signal.SIGTERM, _exit_on_term)  # so that `finally` stops the servers it started
        from bench._web_load_shape import run_shape

        work = Path(tempfile.mkdtemp(prefix=f"tidings-bench-web-{args.shape}-"))
        try:
            servers = args.servers.split(",")
            Path(args.out).write_text(json.dumps(run_shape(args.shape, args.size, args.seconds, work, servers)))
        finally:
            shutil.rmtree(work, ignore_errors=True)
        return
    if args.quick:
        args.size, args.seconds = 10_000, 5
    if not shutil.which("wrk"):
        _no_wrk()
        return
    unknown = set(args.servers.split(",")) - set(SERVERS)
    if unknown:
        parser.error(f"--servers: unknown {', '.join(sorted(unknown))} (use {', '.join(SERVERS)})")
    results = [run for shape in args.shapes.split(",") for run in _run_shape_process(shape, args)]
    print(summarise(results, args))


if __name__ == "__main__":
    main()
