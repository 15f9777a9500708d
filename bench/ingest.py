"""Ingest speed, revalidation, memory and dedup on the feed farm: ours vs `reader` vs a naive thread pool.

Claim (issue 5 §6): a first full refresh of 1,000 feeds (fetched, parsed, deduplicated and stored into a
fresh SQLite database; enrichment queued, not run) is at least 10 times faster than `reader` 3.26 at
100 ms latency and 3 times with none; a revalidation pass is answered by 304 for ≥ 95% of unchanged feeds and is
≥ 10 times faster than reader's; peak RSS < 300 MB; per-host concurrency never above the limit; dedup
precision 1.0 and recall ≥ 0.98 on the farm's near-duplicate groups.

Every side runs as its own process against a farm in its own process (`python -m tests.feedfarm`):
ours is `tidings migrate` + `tidings import_opml` (not timed) then `tidings refresh --all` (timed, twice:
first refresh and revalidation); reader is bench/reader_baseline.py in its bench venv (add_feed not
timed; update_feeds(), then update_feeds(scheduled=False)); naive is bench/naive_ingest.py. Wall time
is the process's, start-up included; peak RSS is the process's maximum resident set size (GNU time's %M).

Usage: bench/ingest.py [--quick] [--feeds N] [--no-reader] [--no-naive]
Last line: RESULT speedup_vs_reader=… speedup_vs_reader_no_latency=… revalidation_304_ratio=…
           revalidation_speedup=… peak_rss_mb=… dedup_precision=… dedup_recall=…
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]  # a script run as `bench/x.py` sees only bench/ itself

from bench import reader_baseline  # noqa: E402
from bench._report import markdown_table, update_section  # noqa: E402

from tidings.ingest.dedup import canonicalize_url  # noqa: E402

PYTHON = sys.executable
TIDINGS = str(Path(PYTHON).parent / "tidings")
TIME = shutil.which("time", path="/usr/bin:/bin")  # GNU time, for the peak RSS of each side's process
PER_HOST_LIMIT = 2
FARM_HOST_PATH_SEGMENTS = 2  # /h/<host>/...


@dataclass(frozen=True)
class Scenario:
    name: str
    latency_ms: int
    faulty: float
    baselines: bool  # reader and naive would hang on slow_body / inflate the gzip bomb, so only on clean farms


@dataclass(frozen=True)
class Run:
    seconds: float
    rss_mb: float
    returncode: int | None  # None: killed at the timeout
    stdout: str


@dataclass
class Side:
    """One tool on one scenario."""

    tool: str
    first: Run | None = None
    revalidate: Run | None = None
    link: Run | None = None  # ours: the queued near-duplicate linking, run after the refreshes
    articles: int | None = None
    first_stats: dict = field(default_factory=dict)
    revalidate_stats: dict = field(default_factory=dict)
    note: str = ""


@dataclass(frozen=True)
class DedupScore:
    delivered: int
    lost: int
    extra_rows: int
    precision: float
    recall: float


# --- processes ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_timed(cmd: list[str], *, env: dict[str, str] | None = None, timeout: float, log: Path) -> Run:
    """Run to completion (or kill at `timeout`); wall time and the process's own peak RSS.

    The peak comes from GNU time (`%M`), which forks the command from its own small process: a child forked
    straight from this one would inherit this process's high-water mark (the truth document is large).
    """
    rss_file = log.with_suffix(".rss")
    wrapped = [TIME, "-f", "%M", "-o", str(rss_file), *cmd] if TIME else cmd
    with log.open("ab") as err, tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        proc = subprocess.Popen(wrapped, env=env, stdout=out, stderr=err, cwd=ROOT, start_new_session=True)
        try:
            proc.wait(timeout=timeout)
            killed = False
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            killed = True
        seconds = time.perf_counter() - started
        out.seek(0)
        stdout = out.read().decode("utf-8", "replace")
    peak_kb = 0
    if TIME and rss_file.exists():
        numbers = [line for line in rss_file.read_text().split() if line.isdigit()]
        peak_kb = int(numbers[-1]) if numbers else 0
    return Run(seconds, peak_kb / 1024, None if killed else proc.returncode, stdout)


class Farm:
    """`python -m tests.feedfarm` in its own process."""

    def __init__(self, feeds: int, log: Path, latency_ms: int = 0, faulty: float = 0.0) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        args = [
            PYTHON,
            "-m",
            "tests.feedfarm",
            "--feeds",
            str(feeds),
            "--port",
            str(self.port),
            "--latency-ms",
            str(latency_ms),
            "--faulty",
            str(faulty),
        ]
        self._log = log.open("ab")
        self.proc = subprocess.Popen(args, cwd=ROOT, stdout=self._log, stderr=self._log)
        deadline = time.monotonic() + 180
        while True:
            try:
                self.stats()
                return
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the feed farm did not start; see {log}") from None
                time.sleep(0.2)

    def get(self, path: str) -> bytes:
        with urlopen(self.base + path, timeout=300) as response:
            return response.read()

    def stats(self) -> dict:
        return json.loads(self.get("/stats"))

    def feed_urls(self) -> list[str]:
        return re.findall(r'xmlUrl="([^"]+)"', self.get("/opml").decode())

    def reset(self) -> None:
        self.get("/stats/reset")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._log.close()


@contextmanager
def farm_running(feeds: int, scenario: Scenario, log: Path) -> Iterator[Farm]:
    farm = Farm(feeds, log, latency_ms=scenario.latency_ms, faulty=scenario.faulty)
    try:
        yield farm
    finally:
        farm.stop()


# --- the three sides ----------------------------------------------------------------------------


# What the worker does with the link_near_duplicates tasks a refresh queues, in one process, in pk order.
LINK_QUEUED = """
from tidings.articles.models import Article
from tidings.ingest.neardup_service import link_near_duplicates
ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
print(sum(link_near_duplicates(ids[start:start + 500]) for start in range(0, len(ids), 500)))
"""
OURS_FEEDS_ONLY = "tidings (feeds only)"
OURS_FULL_TEXT = "tidings (+ full text)"


def ours(
    farm: Farm, work: Path, timeout: float, *, full_text: bool, revalidate: bool = True
) -> tuple[Side, list[tuple]]:
    """Our side with its defaults (full text of summary-only feeds fetched) or feeds only, as reader does."""
    tool = OURS_FULL_TEXT if full_text else OURS_FEEDS_ONLY
    work = work / ("full_text" if full_text else "feeds_only")
    work.mkdir()
    db = work / "tidings.sqlite3"
    env = {
        **os.environ,
        "TIDINGS_DATABASE_URL": f"sqlite:///{db}",
        "TIDINGS_VAR_DIR": str(work / "var"),
        "TIDINGS_FETCH_ALLOW_NETWORKS": "127.0.0.1/32",
        "TIDINGS_TASK_BACKEND": "db",
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
    }
    # The real settings plus two the environment cannot give: full text on or off, and the per-host limit
    # keyed by the farm's virtual hosts (`/h/<host>/` path prefixes on one 127.0.0.1 port), not by the port.
    (work / "tidings_bench_settings.py").write_text(
        f"from tidings.settings import *  # noqa: F403\n"
        f"FETCH_FULL_TEXT = {full_text!r}\nFETCH_HOST_KEY_PATH_SEGMENTS = {FARM_HOST_PATH_SEGMENTS}\n"
    )
    env["DJANGO_SETTINGS_MODULE"] = "tidings_bench_settings"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(work), os.environ.get("PYTHONPATH")]))
    log = work / "ours.log"
    opml = work / "farm.opml"
    opml.write_bytes(farm.get("/opml"))
    for setup in (["migrate", "--no-input", "-v", "0"], ["import_opml", str(opml), "--no-progress"]):
        done = run_timed([TIDINGS, *setup], env=env, timeout=timeout, log=log)
        if done.returncode != 0:
            return Side(tool, note=f"`tidings {setup[0]}` failed; see {log}"), []
    side = Side(tool)
    farm.reset()
    side.first = run_timed([TIDINGS, "refresh", "--all"], env=env, timeout=timeout, log=log)
    side.first_stats = farm.stats()
    if revalidate:
        farm.reset()
        side.revalidate = run_timed([TIDINGS, "refresh", "--all"], env=env, timeout=timeout, log=log)
        side.revalidate_stats = farm.stats()
    side.link = run_timed([TIDINGS, "shell", "-c", LINK_QUEUED], env=env, timeout=timeout, log=log)
    if side.link.returncode != 0:
        side.note = f"near-duplicate linking failed; see {log}"
    with sqlite3.connect(db) as connection:
        rows = connection.execute("SELECT id, url, duplicate_of_id, headline FROM articles_article").fetchall()
    side.articles = len(rows)
    return side, rows


def reader(farm: Farm, work: Path, timeout: float, available: bool) -> Side:
    if not available:
        return Side("reader 3.26", note="n/a: reader could not be installed in its bench venv")
    db, log = str(work / "reader.sqlite3"), work / "reader.log"
    python = str(reader_baseline.VENV_PYTHON)
    script = str(ROOT / "bench" / "reader_baseline.py")
    added = run_timed([python, script, "--db", db, "--add", farm.base + "/opml"], timeout=timeout, log=log)
    if added.returncode != 0:
        return Side("reader 3.26", note=f"n/a: adding feeds failed; see {log}")
    side = Side("reader 3.26")
    farm.reset()
    side.first = run_timed([python, script, "--db", db, "--update"], timeout=timeout, log=log)
    side.first_stats = farm.stats()
    farm.reset()
    side.revalidate = run_timed([python, script, "--db", db, "--revalidate"], timeout=timeout, log=log)
    side.revalidate_stats = farm.stats()
    with sqlite3.connect(db) as connection:
        side.articles = connection.execute("SELECT count(*) FROM entries").fetchone()[0]
    return side


def naive(farm: Farm, work: Path, timeout: float) -> Side:
    db, log = str(work / "naive.sqlite3"), work / "naive.log"
    cmd = [PYTHON, str(ROOT / "bench" / "naive_ingest.py"), "--db", db, "--opml", farm.base + "/opml"]
    side = Side("naive httpx+feedparser")
    farm.reset()
    side.first = run_timed(cmd, timeout=timeout, log=log)
    side.first_stats = farm.stats()
    farm.reset()
    side.revalidate = run_timed(cmd, timeout=timeout, log=log)
    side.revalidate_stats = farm.stats()
    with sqlite3.connect(db) as connection:
        side.articles = connection.execute("SELECT count(*) FROM entries").fetchone()[0]
    return side


# --- dedup against the truth --------------------------------------------------------------------


def _norm(text: str) -> str:
    return " ".join((text or "").split()).casefold()


def _pairs(counts: Counter) -> int:
    return sum(n * (n - 1) // 2 for n in counts.values())


def score_dedup(truth: dict, rows: list[tuple]) -> DedupScore:
    """Pairwise precision/recall of stored clusters against `near_duplicate_group`, over delivered articles.

    A truth article is found by its own (canonicalised) link. One not stored under its link was either
    folded into a stored article by the store's content-hash dedup (which needs an equal headline), or
    lost: it is taken as merged into a stored article with the same headline, one of its own duplicate
    group if there is one (a right merge), else any (a wrong merge, which costs precision: the store hid a
    different article); with no such headline it is lost (a singleton: it costs recall when it has
    near-duplicates). A stored article's cluster is the end of its duplicate_of chain.
    """
    articles = {a["id"]: a for a in truth["articles"]}
    delivered = sorted({i for f in truth["feeds"] if f["delivers_items"] for i in f["items"]})
    parent = {row[0]: row[2] for row in rows}
    by_url = {row[1]: row[0] for row in rows if row[1]}
    by_headline: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        by_headline[_norm(row[3])].append(row[0])

    def root(row_id: int) -> int:
        seen = set()
        while parent.get(row_id) and row_id not in seen:
            seen.add(row_id)
            row_id = parent[row_id]
        return row_id

    link_owner: dict[str, int] = {}
    for article_id in delivered:
        for link in [*articles[article_id]["links"], articles[article_id]["url"]]:
            link_owner.setdefault(canonicalize_url(link), article_id)
    rows_per_article = Counter(link_owner[url] for url in by_url if url in link_owner)
    row_owner = {row_id: link_owner.get(url) for url, row_id in by_url.items()}

    predicted: dict[int, object] = {}
    lost = 0
    for article_id in delivered:
        article = articles[article_id]
        row = next((by_url[u] for u in map(canonicalize_url, [*article["links"], article["url"]]) if u in by_url), None)
        if row is None:
            candidates = by_headline.get(_norm(article["headline"]), [])
            group = article["duplicate_group"]
            same_group = [
                r
                for r in candidates
                if row_owner.get(r) is not None and articles[row_owner[r]]["duplicate_group"] == group
            ]
            row = (same_group or candidates or [None])[0]
        if row is None:
            lost += 1
            predicted[article_id] = ("lost", article_id)
        else:
            predicted[article_id] = root(row)
    truth_group = {i: articles[i]["near_duplicate_group"] for i in delivered}
    together = _pairs(Counter((predicted[i], truth_group[i]) for i in delivered))
    predicted_pairs = _pairs(Counter(predicted.values()))
    truth_pairs = _pairs(Counter(truth_group.values()))
    return DedupScore(
        delivered=len(delivered),
        lost=lost,
        extra_rows=sum(n - 1 for n in rows_per_article.values()),
        precision=together / predicted_pairs if predicted_pairs else 1.0,
        recall=together / truth_pairs if truth_pairs else 1.0,
    )


# --- report -------------------------------------------------------------------------------------


def _secs(run: Run | None) -> str:
    if run is None:
        return "n/a"
    if run.returncode is None:
        return f"timeout ({run.seconds:.0f} s)"
    return f"{run.seconds:.2f}" + ("" if run.returncode == 0 else f" (exit {run.returncode})")


def per_host(side: Side) -> str:
    """The most requests one farm host had in flight, over both passes; ours is checked against our limit."""
    seen = max(stats.get("max_concurrent_per_host", 0) for stats in (side.first_stats, side.revalidate_stats))
    over = side.tool.startswith("tidings") and seen > PER_HOST_LIMIT
    return f"{seen} (over the limit of {PER_HOST_LIMIT}!)" if over else str(seen)


def table_rows(scenario: Scenario, sides: list[Side], feeds: int) -> list[list[object]]:
    rows = []
    for side in sides:
        if side.first is None:
            rows.append([scenario.name, side.tool, side.note, "", "", "", "", "", ""])
            continue
        first, again = side.first_stats, side.revalidate_stats
        rss = max(side.first.rss_mb, side.revalidate.rss_mb if side.revalidate else 0)
        again_304 = f"{again.get('304', 0)} of {again.get('requests', 0)} requests" if side.revalidate else ""
        rows.append(
            [
                scenario.name,
                side.tool,
                _secs(side.first),
                side.articles,
                first.get("requests", "?"),
                per_host(side),
                _secs(side.revalidate) if side.revalidate else "not run (--quick)",
                again_304,
                f"{rss:.0f}",
            ]
        )
    return rows


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def fmt(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def ok_seconds(run: Run | None) -> float | None:
    return run.seconds if run is not None and run.returncode == 0 else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="200 feeds")
    parser.add_argument("--feeds", type=int, help="feeds on the farm (default 1000, or 200 with --quick)")
    parser.add_argument("--no-reader", action="store_true", help="skip the reader baseline")
    parser.add_argument("--no-naive", action="store_true", help="skip the naive baseline")
    parser.add_argument("--keep", action="store_true", help="keep the temporary databases and logs")
    parser.add_argument(
        "--full-text",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also run our defaults (full text of summary-only feeds fetched) on the 0 ms farm",
    )
    args = parser.parse_args()
    feeds = args.feeds or (200 if args.quick else 1000)
    with_full_text = args.full_text
    timeout = 300.0 if args.quick else 1500.0
    engine = importlib.util.find_spec("tidings.ingest.engine") is not None
    print(
        f"ingest bench: {feeds} feeds; our side: `tidings refresh --all` "
        f"({'async engine' if engine else 'sync refresh_source'}); load average {os.getloadavg()[0]:.1f}",
        file=sys.stderr,
    )
    reader_problem = "skipped (--no-reader)" if args.no_reader else reader_baseline.ensure_venv()
    if reader_problem:
        print(f"reader baseline: n/a: {reader_problem}", file=sys.stderr)
    scenarios = [
        Scenario("0 ms", 0, 0.0, True),
        Scenario("100 ms", 100, 0.0, True),
        Scenario("5% faulty, 0 ms", 0, 0.05, False),
    ]
    work_root = Path(tempfile.mkdtemp(prefix="tidings-bench-ingest-"))
    results: dict[str, dict[str, Side]] = {}
    scores: dict[tuple[str, str], DedupScore] = {}
    table: list[list[object]] = []
    for scenario in scenarios:
        work = work_root / scenario.name.replace(" ", "_").replace("%", "pct").replace(",", "")
        work.mkdir(parents=True)
        print(f"-- {scenario.name}", file=sys.stderr)
        with farm_running(feeds, scenario, work / "farm.log") as farm:
            truth = json.loads(farm.get("/truth"))
            sides = []
            for full_text in (False, True) if with_full_text and scenario.name == "0 ms" else (False,):
                # --quick skips revalidating the faulty farm: it only waits out the same timeouts again
                revalidate = not (args.quick and scenario.faulty)
                side, rows = ours(farm, work, timeout, full_text=full_text, revalidate=revalidate)
                sides.append(side)
                if side.first is not None:
                    scores[(scenario.name, side.tool)] = score_dedup(truth, rows)
            if scenario.baselines:
                sides.append(reader(farm, work, timeout, not reader_problem))
                if not args.no_naive:
                    sides.append(naive(farm, work, timeout))
            del truth
        results[scenario.name] = {s.tool: s for s in sides}
        part = table_rows(scenario, sides, feeds)
        table.extend(part)
        for row in part:
            print("   " + " | ".join(map(str, row)), file=sys.stderr)

    header = [
        "farm",
        "tool",
        "first refresh s",
        "articles stored",
        "requests",
        "max per-host concurrency",
        "revalidation s",
        "304s",
        "peak RSS MB",
    ]
    dedup_rows = [
        [name, tool, _secs(results[name][tool].link), s.delivered, s.lost, s.extra_rows, s.precision, s.recall]
        for (name, tool), s in scores.items()
    ]
    dedup_header = [
        "farm",
        "tool",
        "queued linking s",
        "articles delivered",
        "lost",
        "stored twice",
        "dedup precision",
        "dedup recall",
    ]
    print(markdown_table(header, table))
    print()
    print(markdown_table(dedup_header, dedup_rows))

    def get(name: str, tool: str) -> Side | None:
        return results.get(name, {}).get(tool)

    ours_fast, ours_slow = get("0 ms", OURS_FEEDS_ONLY), get("100 ms", OURS_FEEDS_ONLY)
    reader_fast, reader_slow = get("0 ms", "reader 3.26"), get("100 ms", "reader 3.26")
    speedup = ratio(ok_seconds(reader_slow and reader_slow.first), ok_seconds(ours_slow and ours_slow.first))
    speedup_fast = ratio(ok_seconds(reader_fast and reader_fast.first), ok_seconds(ours_fast and ours_fast.first))
    reval_speedup = ratio(
        ok_seconds(reader_slow and reader_slow.revalidate), ok_seconds(ours_slow and ours_slow.revalidate)
    )
    ratios = [s.revalidate_stats.get("304", 0) / feeds for s in (ours_fast, ours_slow) if s and s.revalidate]
    reval_304 = min(ratios) if ratios else None
    rss = [
        r.rss_mb
        for sc in results.values()
        for s in sc.values()
        if s.tool.startswith("tidings")
        for r in (s.first, s.revalidate)
        if r is not None
    ]
    # Dedup of our defaults (full text: summaries alone are too short to fingerprint) when that row was run.
    dedup_scores = [s for (_, tool), s in scores.items() if tool == OURS_FULL_TEXT] or list(scores.values())
    precision = min((s.precision for s in dedup_scores), default=None)
    recall = min((s.recall for s in dedup_scores), default=None)
    notes = (
        f"{feeds} feeds ({feeds // 5} hosts, 30 items each), one farm process per row group; load average "
        f"{os.getloadavg()[0]:.1f} on 2 shared cores at the end. Our side: `tidings refresh --all` on a fresh SQLite "
        f"database with TIDINGS_TASK_BACKEND=db (enrichment queued, not run), "
        f"{'the async engine' if engine else 'the sync per-source refresh (the async engine was not there yet)'}; "
        f"'{OURS_FEEDS_ONLY}' runs with FETCH_FULL_TEXT=False, the same job as reader's and the naive one's, and "
        "is the side of every ratio in the RESULT line"
        + (
            f"; '{OURS_FULL_TEXT}' (0 ms farm only) is our default, which also fetches and extracts the article "
            "pages of summary-only feeds (up to 30 new pages per feed and refresh): its dedup scores are the ones "
            "in the RESULT line. "
            if with_full_text
            else " (our default also fetches the article pages of summary-only feeds: drop --no-full-text to add that "
            "row). "
        )
        + "Our per-host limit (2) is keyed by the farm's virtual host (FETCH_HOST_KEY_PATH_SEGMENTS=2), "
        "since all of them share one 127.0.0.1 port. "
        "Seconds are the refresh process's wall time, start-up included; migrate and OPML import are not "
        "timed (nor reader's add_feed). reader: defaults, `update_feeds()` then `update_feeds(scheduled=False)`. "
        "Naive: 16 threads, no conditional GET. Baselines are not run on the faulty farm (a read timeout never "
        "fires on the trickled body, and the gzip bomb inflates to 1 GiB in memory). The 304 ratio is 304s over "
        "all feeds (none changed); dedup is scored pairwise on `near_duplicate_group` over feeds whose "
        "`delivers_items` is true (see the docstring of `score_dedup`), after the near-duplicate linking that "
        "the refresh queues has been run (`link_near_duplicates` over every stored article, 500 at a time, as "
        "the worker would; its time is not in the refresh's). Worst scenario in the RESULT line; "
        "speeds at 100 ms latency unless named otherwise."
    )
    markdown = markdown_table(header, table) + "\n\n" + markdown_table(dedup_header, dedup_rows) + "\n\n" + notes
    result = (
        f"RESULT speedup_vs_reader={fmt(speedup, 2)} speedup_vs_reader_no_latency={fmt(speedup_fast, 2)} "
        f"revalidation_304_ratio={fmt(reval_304)} revalidation_speedup={fmt(reval_speedup, 2)} "
        f"peak_rss_mb={fmt(max(rss) if rss else None, 0)} dedup_precision={fmt(precision)} "
        f"dedup_recall={fmt(recall)}"
    )
    update_section(f"Ingest ({'--quick, ' if args.quick else ''}{feeds} feeds)", markdown + f"\n\n`{result}`")
    if args.keep:
        print(f"work files kept in {work_root}", file=sys.stderr)
    else:
        subprocess.run(["rm", "-rf", str(work_root)], check=False)
    print(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
