"""Ingest and enrichment throughput with 1, 2 and 4 RQ workers on the scale-out shape, the feed farm as the web.

Claim measured (issue 17): articles ingested and enriched per minute as RQ workers are added. Target: 2 workers
at least 1.7x one worker's ingest rate (fetch-bound work: the farm answers --latency-ms late); enrichment is
CPU-bound, so its limit is the machine's free CPUs, reported as measured.

Method: for each worker count a fresh PostgreSQL 15 (scripts/with-postgres) and Redis (scripts/with-redis: queue
and cache), a feed farm (tools.feedfarm, seed 1, no faults, each response --latency-ms late) of --feeds feeds
(30 items each; full text fetched for the summary-only ones, the default), its OPML imported (`tidings
import_opml`, which queues one refresh per source), then N workers started as the shape starts them
(tidings.ops.stack) and the clock with them. Every second the bench reads how many articles are stored and how
many have enriched_at set, and the queues' lengths; the run ends when both queues and their started-job
registries are empty and the counts have not moved for 5 s (or at --timeout). Ingested per minute = articles /
seconds from the workers' start to the last new article; enriched per minute = enriched articles / seconds to
the last one enriched. Both include each worker's start (Django, then spaCy and the sentence-transformers model
loaded as each starts), as a fresh deployment would; "enrich window" is the rate between the
first and the last article enriched.

Usage: bench/worker_scale.py [--quick] [--feeds N] [--latency-ms MS] [--workers 1,2,4] [--timeout S] [--no-report]
  --quick: 3 feeds (one farm host), at most 480 s per worker count.  Full: 60 feeds.
  --worker-class rq.worker.SimpleWorker: another RQ worker class than the deployed one (tidings.ops.stack's
  worker command, as scripts/scale-stack and deploy/systemd start it).
Last line: RESULT ingested_per_min_w1=… ingest_speedup_w2=… ingest_window_speedup_w2=… enriched_per_min_w1=…
  enrich_speedup_w2=… enrich_speedup_w4=… failed_jobs=… cpus=…
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from tidings.ops import stack  # noqa: E402 - after the path

SETTLED_SECONDS = 5.0
INGEST_TARGET = 1.7  # issue 17: 2 workers' ingest rate over 1 worker's, for fetch-bound work
LATENCY_MS = 200  # the farm answers after this long, as a remote site would: fetching is waiting, not CPU
DEFAULT_WORKER = (
    "the deployed one (settings.RQ: ops.rq_backend.MaintainedWorker, the enrichment models loaded once before the "
    "first job, a work horse forked per job sharing them)"
)


def _env(var: Path, ingest_only: bool = False) -> dict[str, str]:
    """The scale-out shape's environment (tidings.ops.stack), the farm's loopback hosts allowed."""
    base = {
        **os.environ,
        "TIDINGS_FETCH_ALLOW_NETWORKS": "127.0.0.1/32",
        "TIDINGS_FETCH_HOST_KEY_PATH_SEGMENTS": "2",  # the farm's virtual hosts are /h/<host>/ on one port
    }
    # TIDINGS_REDIS_URL from scripts/with-redis, TIDINGS_DATABASE_URL from scripts/with-postgres.
    settings_module = "bench._ingest_only_settings" if ingest_only else "tidings.settings"
    redis = os.environ["TIDINGS_REDIS_URL"]
    return stack.app_env(base, var_dir=var, redis_url=redis, settings_module=settings_module, pythonpath=[ROOT])


def _pending() -> int:
    """Jobs queued or running on both queues."""
    import django_rq

    total = 0
    for name in ("default", "low"):
        queue = django_rq.get_queue(name)
        total += queue.count + queue.started_job_registry.count
    return total


def _failed() -> int:
    import django_rq

    return sum(django_rq.get_queue(name).failed_job_registry.count for name in ("default", "low"))


def run_one(
    workers: int,
    feeds: int,
    timeout: float,
    work: Path,
    worker_class: str = "",
    latency_ms: int = 0,
    ingest_only: bool = False,
) -> dict[str, Any]:
    """(--run, inside with-postgres and with-redis) One worker count from an empty database."""
    from bench._farm import Farm

    var = work / "var"
    var.mkdir(parents=True)
    env = _env(var, ingest_only)
    os.environ.update(env)
    log = (work / "processes.log").open("ab")
    farm = Farm(feeds, work / "farm.log", latency_ms=latency_ms)
    processes = stack.Processes(env, log=log)
    try:
        processes.run(stack.tidings_command("migrate", "--no-input", "-v", "0"))
        (work / "farm.opml").write_bytes(farm.get("/opml"))
        processes.run(stack.tidings_command("import_opml", str(work / "farm.opml"), "--no-progress"))
        import django

        django.setup()
        from tidings.articles.models import Article
        from tidings.sources.models import Source
        from tidings.sources.signals import want_refresh

        if _pending() == 0:  # import_opml queues each new source's first refresh; if it did not, ask here
            want_refresh(list(Source.objects.values_list("pk", flat=True)))
        queued = _pending()
        began = time.monotonic()
        for _ in range(workers):
            processes.start(stack.worker_command(worker_class=worker_class or None))
        last = (-1, -1)
        last_change = {"articles": began, "enriched": began}
        first_enriched: float | None = None
        first_article: tuple[float, int] | None = None  # when the first articles were seen, and how many
        settled_since = began
        while time.monotonic() - began < timeout:
            time.sleep(1.0)
            now = time.monotonic()
            articles = Article.objects.count()
            enriched = Article.objects.filter(enriched_at__isnull=False).count()
            if articles != last[0]:
                last_change["articles"] = now
                if first_article is None and articles:
                    first_article = (now, articles)
            if enriched != last[1]:
                last_change["enriched"] = now
                if first_enriched is None and enriched:
                    first_enriched = now
            if (articles, enriched) != last or _pending():
                settled_since = now
            last = (articles, enriched)
            if now - settled_since >= SETTLED_SECONDS and articles:
                break
        timed_out = time.monotonic() - began >= timeout
        log.flush()
        logged = (work / "processes.log").read_text(errors="replace")
        model_loads = logged.count("embedding_model_loaded")
        problems = [line[:300] for line in logged.splitlines() if " ERROR " in line or "Error" in line][-5:]
        articles, enriched = last
        ingest_s = last_change["articles"] - began
        enrich_s = last_change["enriched"] - began
        window_s = last_change["enriched"] - first_enriched if first_enriched else 0.0
        ingest_window_s = last_change["articles"] - first_article[0] if first_article else 0.0
        in_window = articles - first_article[1] if first_article else 0
        return {
            "workers": workers,
            "worker_class": worker_class or DEFAULT_WORKER,
            "feeds": feeds,
            "queued_refreshes": queued,
            "articles": articles,
            "enriched": enriched,
            "ingest_s": round(ingest_s, 1),
            "enrich_s": round(enrich_s, 1),
            "ingested_per_min": round(articles / ingest_s * 60, 1) if ingest_s > 0 else 0.0,
            "enriched_per_min": round(enriched / enrich_s * 60, 1) if enrich_s > 0 else 0.0,
            "window_per_min": round(enriched / window_s * 60, 1) if window_s > 0 else 0.0,
            # Articles stored after the first ones were seen, per minute to the last: the workers' start left out.
            "ingest_window_per_min": round(in_window / ingest_window_s * 60, 1) if ingest_window_s > 0 else 0.0,
            "timed_out": timed_out,
            "model_loads": model_loads,  # how many times a worker process loaded the embedding model
            "failed_jobs": _failed(),
            "problems": problems,
            "load_average": round(os.getloadavg()[0], 1),
        }
    finally:
        processes.stop()
        farm.stop()
        log.close()


def _orchestrate(args: argparse.Namespace) -> None:
    results = []
    for workers in [int(w) for w in args.workers.split(",")]:
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
            out = Path(handle.name)
        command = [str(ROOT / "scripts" / "with-postgres"), str(ROOT / "scripts" / "with-redis"), sys.executable]
        command += [str(Path(__file__).resolve()), "--run", str(workers), "--feeds", str(args.feeds)]
        command += ["--timeout", str(args.timeout), "--out", str(out), "--worker-class", args.worker_class]
        command += ["--latency-ms", str(args.latency_ms)] + (["--ingest-only"] if args.ingest_only else [])
        command += ["--keep-logs"] if args.keep_logs else []
        print(f"== {workers} RQ worker(s), {args.feeds} farm feeds", flush=True)
        finished = subprocess.run(command, check=False)
        if finished.returncode != 0 or not out.stat().st_size:
            print(f"worker_scale: {workers} worker(s) failed (exit {finished.returncode})", file=sys.stderr)
            sys.exit(1)
        result = json.loads(out.read_text())
        out.unlink()
        results.append(result)
        print(
            f"  {workers} worker(s): {result['articles']} articles, ingested/min {result['ingested_per_min']}, "
            f"enriched {result['enriched']} ({result['enriched_per_min']}/min; window {result['window_per_min']}/min)"
            f"{' TIMED OUT' if result['timed_out'] else ''}; failed jobs {result['failed_jobs']}",
            flush=True,
        )
        for line in result["problems"]:
            print(f"    {line}")
    _summarise(results, args)


def _speedup(r: dict[str, Any], base: dict[str, Any], key: str) -> str:
    return f"{r.get(key, 0.0) / (base.get(key) or 1):.2f}x"


def _row(r: dict[str, Any], base: dict[str, Any], ingest_only: bool) -> list[Any]:
    ingest = [f"{r['ingested_per_min']:.0f}", _speedup(r, base, "ingested_per_min")]
    ingest += [f"{r.get('ingest_window_per_min', 0.0):.0f}", _speedup(r, base, "ingest_window_per_min")]
    counts = [r["failed_jobs"], r["load_average"]]
    if ingest_only:
        return [r["workers"], r["articles"], *ingest, *counts]
    drained = f"{r['enrich_s']:.0f}" + (" (timed out)" if r["timed_out"] else "")
    enrich = [r["enriched"], f"{r['enriched_per_min']:.0f}", f"{r['window_per_min']:.0f}"]
    enrich += [_speedup(r, base, "enriched_per_min"), drained, r["model_loads"]]
    return [r["workers"], r["articles"], *ingest, *enrich, *counts]


def _summarise(results: list[dict[str, Any]], args: argparse.Namespace) -> None:
    from bench._report import markdown_table, update_section

    base = results[0]
    header = ["RQ workers", "articles", "ingested/min", "ingest speedup", "ingest window/min", "window speedup"]
    if not args.ingest_only:
        header += ["enriched", "enriched/min", "enrich window/min", "enrich speedup", "drained s", "model loads"]
    header += ["failed jobs", "load avg"]
    rows = [_row(r, base, args.ingest_only) for r in results]
    table = markdown_table(header, rows)
    print("\n" + table)
    cpus = os.cpu_count() or 1
    by = {r["workers"]: r for r in results}
    if not args.no_report:
        flags = (" --quick" if args.quick else "") + (" --ingest-only" if args.ingest_only else "")
        stages = "no stage at all: refreshes alone" if args.ingest_only else "language, entities, claims, key "
        stages += "" if args.ingest_only else "phrases, embedding, categories"
        notes = (
            f"`bench/worker_scale.py{flags} --feeds {args.feeds} --latency-ms {args.latency_ms}`: the scale-out "
            f"shape's RQ workers (PostgreSQL 15, Redis; tidings.ops.stack) refreshing {args.feeds} feed-farm feeds "
            f"(every response {args.latency_ms} ms late, as a remote site) from an empty database, full text on (the "
            f"default), then enriching every article ({stages}). Workers take refreshes before enrichment, so "
            f"'ingested' is the fetch-bound part and 'enriched' the CPU-bound one. Rates run from the workers' start "
            f"to the last article stored / enriched; the windows run from the first article stored / enriched to the "
            f"last (the workers' start left out). Workers: "
            f"{results[0]['worker_class']}; 'model loads' counts the embedding model's loads in the workers' logs. "
            f"Speedups are over 1 worker's rate. The machine has {cpus} CPUs shared with other engineers' jobs "
            f"(1-minute load average at the end of each run in the table): enrichment is CPU-bound, so more "
            f"workers than free CPUs can add nothing and a busy machine gives less; measured "
            f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC."
        )
        if 2 in by:
            ingest_2 = by[2]["ingested_per_min"] / (base["ingested_per_min"] or 1)
            window_2 = by[2].get("ingest_window_per_min", 0.0) / (base.get("ingest_window_per_min") or 1)
            notes += (
                f" Target (2 workers' ingest rate at least {INGEST_TARGET}x one's): "
                f"{'met' if ingest_2 >= INGEST_TARGET else 'not met'} from the workers' start ({ingest_2:.2f}x), "
                f"{'met' if window_2 >= INGEST_TARGET else 'not met'} over the ingest window ({window_2:.2f}x)."
            )
        title = "Worker scaling (RQ)" + (", ingest only" if args.ingest_only else "")
        title += f", {args.worker_class}" if args.worker_class else ""
        update_section(title, table + "\n\n" + notes)

    def rate(n: int, key: str) -> str:
        return f"{by[n][key]:.0f}" if n in by else "n/a"

    def speedup(n: int, key: str) -> str:
        return f"{by[n].get(key, 0.0) / (base.get(key) or 1):.2f}" if n in by else "n/a"

    print(
        f"RESULT ingested_per_min_w1={rate(1, 'ingested_per_min')} ingest_speedup_w2={speedup(2, 'ingested_per_min')} "
        f"ingest_window_speedup_w2={speedup(2, 'ingest_window_per_min')} "
        f"enriched_per_min_w1={rate(1, 'enriched_per_min')} enrich_speedup_w2={speedup(2, 'enriched_per_min')} "
        f"enrich_speedup_w4={speedup(4, 'enriched_per_min')} failed_jobs={sum(r['failed_jobs'] for r in results)} "
        f"cpus={cpus}"
    )


def _exit_on_term(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="3 feeds")
    parser.add_argument("--feeds", type=int, default=60)
    parser.add_argument(
        "--latency-ms", type=int, default=LATENCY_MS, help="the farm's delay before every response (remote sites)"
    )
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--timeout", type=float, default=1200.0, help="seconds per worker count at most")
    parser.add_argument("--no-report", action="store_true")
    parser.add_argument("--keep-logs", action="store_true", help="keep each run's folder (the processes' logs)")
    parser.add_argument(
        "--ingest-only", action="store_true", help="no enrichment stage (bench._ingest_only_settings): refreshes alone"
    )
    parser.add_argument("--worker-class", default="", help="RQ worker class (default: settings.RQ's, as deployed)")
    parser.add_argument("--run", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.quick:
        args.feeds, args.timeout = 3, 480.0
    if args.run:
        signal.signal(signal.SIGTERM, _exit_on_term)  # so that `finally` stops the servers it started
        work = Path(tempfile.mkdtemp(prefix=f"tidings-bench-workers{args.run}-"))
        result: dict[str, Any] = {}
        try:
            result = run_one(
                args.run, args.feeds, args.timeout, work, args.worker_class, args.latency_ms, args.ingest_only
            )
            Path(args.out).write_text(json.dumps(result))
        finally:
            if result and not result["timed_out"] and not result["failed_jobs"] and not args.keep_logs:
                shutil.rmtree(work, ignore_errors=True)
            else:  # kept for a look at what went wrong
                print(f"worker_scale: the processes' logs are kept in {work}", file=sys.stderr)
        return
    if not shutil.which("redis-server") or not Path("/usr/lib/postgresql/15/bin/initdb").exists():
        print("worker_scale: needs redis-server and PostgreSQL 15 (`make scale-deps`). Nothing measured.")
        print("RESULT ingested_per_min_w1=n/a ingest_speedup_w2=n/a enriched_per_min_w1=n/a enrich_speedup_w2=n/a")
        return
    _orchestrate(args)


if __name__ == "__main__":
    main()
