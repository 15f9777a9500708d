"""A feed refresh into a big database against the same refresh into an empty one (issue 17).

Claim: a refresh of 1,000 feeds into a 1,000,000-article database takes at most 1.2x the time of the same
refresh into an empty one (SQLite and PostgreSQL).

Method: one worker process per corpus size and database (PostgreSQL 15 through scripts/with-postgres). It
starts the feed farm (tools.feedfarm, 0 ms latency, no faults) and makes two templates, each with the farm's
OPML imported: (a) an empty database as a first install leaves it (migrated, IPTC categories loaded) and (b)
the synthetic corpus of bench._corpus at that size (bench/scale.py's; its own 300 sources switched off so
`refresh --all` asks the farm only; PostgreSQL after VACUUM ANALYZE as autovacuum would). Then `tidings
refresh --all` runs into fresh copies, alternating (empty, big, big, empty, ...; --runs pairs), each timed as
a process (wall time, start-up included), with TIDINGS_TASK_BACKEND=db (enrichment and near-duplicate linking
queued, not run) and FETCH_FULL_TEXT=False: what is timed is ingest itself (fetch, parse, exact dedup, store,
queue). Growth is median(big) / median(empty).
With --profile one more refresh into a big copy runs under cProfile with every SQL statement timed
(bench/_refresh_profile.py), and its top functions and statements are printed.

Usage: bench/refresh_growth.py [--quick] [--sizes 100000] [--databases sqlite,postgresql] [--feeds N]
                               [--runs R] [--profile] [--no-report] [--keep DIR --farm-port P]
       bench/refresh_growth.py --report-only   (the docs section again from the kept results)
  --quick: 200 feeds, 2 pairs of runs. Default 1,000 feeds, 3 pairs.
Each (database, size) result is kept in bench/data/refresh_growth.json (bench/scale.py's refresh_growth_1m
reads it). Last line: RESULT refresh_growth_max=… refresh_growth_1m=… (1m: n/a unless 1M was measured).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from bench._django import DB_LABEL, run_in_worker, run_workers, short_size  # noqa: E402

STORED = ROOT / "bench" / "data" / "refresh_growth.json"
TARGET = 1.2
FULL_FEEDS = 1000  # the claim's refresh; a --quick run (200 feeds) is kept and shown but not the RESULT's 1m


def stored_growth(size: int = 1_000_000) -> tuple[float | None, str]:
    """The worst database's stored growth at `size` (None and why when there is none)."""
    if not STORED.exists():
        return None, f"{STORED.relative_to(ROOT)} is absent (bench/refresh_growth.py not run)"
    kept = json.loads(STORED.read_text())
    found = [r["growth"] for r in kept.values() if r["articles"] == size and r["feeds"] >= FULL_FEEDS]
    if not found:
        measured = sorted({f"{short_size(r['articles'])} ({r['feeds']} feeds)" for r in kept.values()})
        return None, (
            f"refresh growth was measured at {', '.join(measured)}, not at {short_size(size)} with {FULL_FEEDS} feeds"
        )
    return max(found), ""


def _keep(results: list[dict[str, Any]]) -> None:
    kept = json.loads(STORED.read_text()) if STORED.exists() else {}
    for r in results:
        kept[f"{r['vendor']}-{r['articles']}"] = {k: v for k, v in r.items() if k != "profile"}
    STORED.parent.mkdir(parents=True, exist_ok=True)
    STORED.write_text(json.dumps(kept, indent=1, sort_keys=True) + "\n")


def _written(r: dict[str, Any]) -> str:
    """Median MB the refresh process wrote into each copy (SQLite: the database's own writes; PostgreSQL's
    server writes are not the client's, so not shown); n/a for results kept before this was measured."""
    runs = [x for x in r["runs"] if "written_mb" in x]
    written = {k: [x["written_mb"] for x in runs if x["kind"] == k] for k in ("empty", "big")}
    if r["vendor"] != "sqlite" or not all(written.values()):
        return "n/a"
    return f"{statistics.median(written['empty']):,.0f} / {statistics.median(written['big']):,.0f}"


def _rows(results: list[dict[str, Any]]) -> list[list[object]]:
    rows: list[list[object]] = []
    for r in sorted(results, key=lambda r: (r["articles"], r["vendor"])):
        times = {k: [x["seconds"] for x in r["runs"] if x["kind"] == k] for k in ("empty", "big")}
        rows.append(
            [
                DB_LABEL[r["vendor"]],
                f"{r['articles']:,}",
                r["feeds"],
                f"{r['empty_s']:.2f}",
                f"{r['big_s']:.2f}",
                f"{r['growth']:.2f}x",
                " / ".join(f"{s:.1f}" for s in times["empty"]),
                " / ".join(f"{s:.1f}" for s in times["big"]),
                _written(r),
                r["stored"],
                str(r["load_average"]),
                r["measured"],
            ]
        )
    return rows


HEADER = ["database", "articles", "feeds", "empty s (median)", "big s (median)", "growth", "empty runs s"]
HEADER += ["big runs s", "MB written empty / big (median)", "articles stored per run", "load at end", "measured"]
NOTES = (
    "`bench/refresh_growth.py`: `tidings refresh --all` of the feed farm (0 ms, no faults, 30 items a feed; "
    "TIDINGS_TASK_BACKEND=db so enrichment and near-duplicate linking are queued, not run; FETCH_FULL_TEXT=False) "
    "into a fresh copy of an empty database as a first install leaves it (migrated, IPTC categories loaded) and "
    "of bench/scale.py's synthetic corpus (its own sources switched off), alternated empty, big, big, empty, ...; "
    "seconds are the refresh process's wall time, start-up included; growth = median big / median empty. "
    "MB written: what the refresh process wrote to files (GNU time's %O, the kernel's I/O accounting; SQLite "
    "only, as PostgreSQL's writes are its server's). "
    f"Target: at most {TARGET}x at 1M with 1,000 feeds. PostgreSQL 15 after VACUUM ANALYZE; SQLite as built. "
    "2 CPUs shared with other jobs (1-minute load average at the end of each run in the table). One row per "
    "database and size, its latest run (bench/data/refresh_growth.json); sizes not in the table were not measured."
)


def _report() -> None:
    from bench._report import markdown_table, update_section

    kept = json.loads(STORED.read_text())
    update_section("Refresh growth", markdown_table(HEADER, _rows(list(kept.values()))) + "\n\n" + NOTES)


def _summarise(results: list[dict[str, Any]], args: argparse.Namespace) -> None:
    from bench._report import markdown_table

    for r in results:
        if r.get("profile"):
            print(f"\n{DB_LABEL[r['vendor']]} at {r['articles']:,}: profile of a refresh into the big copy")
            print(r["profile"])
    print("\n" + markdown_table(HEADER, _rows(results)))
    growth_max = max((r["growth"] for r in results), default=None)
    if not args.no_report:
        _keep(results)
        _report()
    g1m, why = stored_growth()
    if g1m is None:
        print(f"refresh_growth_1m: n/a: {why}")
    print(
        f"\nRESULT refresh_growth_max={f'{growth_max:.2f}' if growth_max else 'n/a'} "
        f"refresh_growth_1m={f'{g1m:.2f}' if g1m else 'n/a'}"
    )


# --- the worker: one database, one size ---------------------------------------------------------


def _sqlite_copy(source: Path, target: Path) -> None:
    with sqlite3.connect(source) as connection:  # fold the WAL into the file, so a plain copy is complete
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for suffix in ("", "-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    shutil.copyfile(source, target)


class _Copies:
    """Database copies for the runs: SQLite files, or PostgreSQL databases made from a template database."""

    def __init__(self, vendor: str, work: Path, url: str) -> None:
        self.vendor, self.work, self.url = vendor, work, url

    def url_of(self, name: str) -> str:
        if self.vendor == "sqlite":
            return f"sqlite:///{self.work / (name + '.sqlite3')}"
        return self.url.rsplit("/", 1)[0] + "/" + name

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as connection:
            connection.execute(sql)

    def copy(self, source: str, target: str) -> None:
        if self.vendor == "sqlite":
            _sqlite_copy(self.work / f"{source}.sqlite3", self.work / f"{target}.sqlite3")
        else:
            self._admin(f"DROP DATABASE IF EXISTS {target}")
            self._admin(f"CREATE DATABASE {target} TEMPLATE {source}")

    def drop(self, name: str) -> None:
        if self.vendor == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(str(self.work / f"{name}.sqlite3") + suffix).unlink(missing_ok=True)
        else:
            self._admin(f"DROP DATABASE IF EXISTS {name}")

    def articles(self, name: str) -> int:
        if self.vendor == "sqlite":
            with sqlite3.connect(self.work / f"{name}.sqlite3") as connection:
                return connection.execute("SELECT count(*) FROM articles_article").fetchone()[0]
        import psycopg

        with psycopg.connect(self.url_of(name)) as connection:
            return connection.execute("SELECT count(*) FROM articles_article").fetchone()[0]


def _env(work: Path, url: str) -> dict[str, str]:
    from bench._farm import FARM_HOST_PATH_SEGMENTS

    (work / "tidings_refresh_settings.py").write_text(
        "from tidings.settings import *  # noqa: F403\n"
        f"FETCH_FULL_TEXT = False\nFETCH_HOST_KEY_PATH_SEGMENTS = {FARM_HOST_PATH_SEGMENTS}\n"
    )
    return {
        **os.environ,
        "TIDINGS_DATABASE_URL": url,
        "TIDINGS_VAR_DIR": str(work / "var"),
        "TIDINGS_FETCH_ALLOW_NETWORKS": "127.0.0.1/32",
        "TIDINGS_TASK_BACKEND": "db",
        "DJANGO_SETTINGS_MODULE": "tidings_refresh_settings",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(work), str(ROOT / "src"), str(ROOT)])),
    }


def _import(farm: Any, work: Path, url: str, timeout: float) -> None:
    from bench._farm import TIDINGS, run_timed

    opml = work / "farm.opml"
    opml.write_bytes(farm.get("/opml"))
    done = run_timed(
        [TIDINGS, "import_opml", str(opml), "--no-progress"],
        env=_env(work, url),
        timeout=timeout,
        log=work / "import.log",
    )
    if done.returncode != 0:
        raise RuntimeError(f"import_opml failed: {(work / 'import.log').read_text()[-2000:]}")


def run_worker(
    work: Path, size: int, feeds: int, runs: int, profile: bool, keep: str = "", farm_port: int = 0
) -> dict[str, Any]:
    from bench._django import worker_database
    from bench._farm import TIDINGS, Scenario, farm_running, run_timed

    timeout = 1500.0
    with worker_database(work) as vendor:
        from bench._bulk_insert import analyze
        from bench._corpus import CorpusSpec, build_corpus
        from django.db import connection

        test_name = connection.settings_dict["NAME"]
        copies = _Copies(vendor, work, os.environ.get("TIDINGS_DATABASE_URL", ""))
        main_url = f"sqlite:///{test_name}" if vendor == "sqlite" else copies.url_of(test_name)
        with farm_running(feeds, Scenario("0 ms", 0, 0.0, False), work / "farm.log", farm_port) as farm:
            from django.core.management import call_command

            # As a first install is (README): migrated, with the IPTC categories that publisher labels map to
            # (without them a refresh links no categories at all; the corpus loads them too).
            call_command("load_taxonomy", verbosity=0)
            _import(farm, work, main_url, timeout)
            connection.close()
            if vendor == "sqlite":
                _sqlite_copy(Path(test_name), work / "empty_tpl.sqlite3")
            else:
                copies.copy(test_name, "empty_tpl")
            from tidings.sources.models import Source

            Source.objects.all().delete()  # the OPML again after the corpus, so its sources come after
            stats = build_corpus(CorpusSpec(articles=size))
            print(f"built {stats.articles:,} articles in {stats.seconds:.1f} s", flush=True)
            Source.objects.update(is_active=False)  # the corpus's own sources are not asked
            _import(farm, work, main_url, timeout)
            if vendor == "postgresql":
                analyze()
            connection.close()
            if vendor == "sqlite":
                _sqlite_copy(Path(test_name), work / "big_tpl.sqlite3")
            else:
                copies.copy(test_name, "big_tpl")
            base = {"empty": copies.articles("empty_tpl"), "big": copies.articles("big_tpl")}
            measured: list[dict[str, Any]] = []
            for pair in range(runs):
                for kind in ("empty", "big") if pair % 2 == 0 else ("big", "empty"):
                    copies.copy(f"{kind}_tpl", "run")
                    farm.reset()
                    done = run_timed(
                        [TIDINGS, "refresh", "--all"],
                        env=_env(work, copies.url_of("run")),
                        timeout=timeout,
                        log=work / "refresh.log",
                    )
                    if done.returncode != 0:
                        raise RuntimeError(f"refresh failed: {(work / 'refresh.log').read_text()[-3000:]}")
                    stored = copies.articles("run") - base[kind]
                    measured.append(
                        {
                            "kind": kind,
                            "seconds": round(done.seconds, 2),
                            "stored": stored,
                            "requests": farm.stats().get("requests"),
                            "written_mb": round(done.written_mb, 1),
                        }
                    )
                    print(
                        f"  {kind:5} {done.seconds:7.2f} s  {stored} articles stored"
                        f"  {done.written_mb:,.0f} MB written",
                        flush=True,
                    )
                    copies.drop("run")
            report = ""
            if profile:
                copies.copy("big_tpl", "run")
                out = subprocess.run(
                    [sys.executable, str(ROOT / "bench" / "_refresh_profile.py")],
                    env=_env(work, copies.url_of("run")),
                    cwd=ROOT,
                    capture_output=True,
                    text=True,
                    check=False,
                )
                report = out.stdout[-12000:] + (out.stderr[-3000:] if out.returncode else "")
                copies.drop("run")
            for name in ("empty_tpl", "big_tpl"):
                if keep and vendor == "sqlite":  # for profiling by hand (the farm on --farm-port again)
                    Path(keep).mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(work / f"{name}.sqlite3", Path(keep) / f"{name}-{size}.sqlite3")
                copies.drop(name)
    empty = statistics.median(r["seconds"] for r in measured if r["kind"] == "empty")
    big = statistics.median(r["seconds"] for r in measured if r["kind"] == "big")
    return {
        "vendor": vendor,
        "articles": size,
        "feeds": feeds,
        "runs": measured,
        "empty_s": empty,
        "big_s": big,
        "growth": round(big / empty, 3),
        "stored": "/".join(sorted({str(r["stored"]) for r in measured})),
        "profile": report,
        "load_average": round(os.getloadavg()[0], 1),
        "measured": f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="200 feeds, 2 pairs of runs")
    parser.add_argument("--sizes", default="100000")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--feeds", type=int)
    parser.add_argument("--runs", type=int, help="pairs of runs (empty and big)")
    parser.add_argument("--profile", action="store_true", help="also profile one refresh into the big copy")
    parser.add_argument("--no-report", action="store_true")
    parser.add_argument("--report-only", action="store_true", help="rewrite the docs section from the kept results")
    parser.add_argument("--keep", default="", help="SQLite: keep the two templates (with the farm's OPML) here")
    parser.add_argument("--farm-port", type=int, default=0, help="the farm's port (to reuse kept templates)")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    feeds = args.feeds or (200 if args.quick else 1000)
    runs = args.runs or (2 if args.quick else 3)
    if args.report_only:
        _report()
        return
    if args.worker:
        run_in_worker(
            "refresh",
            args.out,
            lambda work: run_worker(work, args.size, feeds, runs, args.profile, args.keep, args.farm_port),
        )
        return
    started = time.perf_counter()
    worker_args = ["--feeds", str(feeds), "--runs", str(runs), "--farm-port", str(args.farm_port)]
    worker_args += (["--profile"] if args.profile else []) + (["--keep", args.keep] if args.keep else [])
    sizes = [int(s) for s in args.sizes.split(",")]
    results = run_workers(Path(__file__), sizes, args.databases.split(","), worker_args, None)
    print(f"({time.perf_counter() - started:.0f} s in all)")
    _summarise(results, args)


if __name__ == "__main__":
    main()
