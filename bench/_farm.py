"""The feed farm, the three sides as timed processes, and scoring what a side stored, for bench/ingest.py.

`Farm` runs `python -m tools.feedfarm` in its own process; `run_timed` runs one side's command and reads
its wall time and peak RSS; `ours`, `reader` and `naive` run one side on one farm (ours from a copy of
the SQLite file `migrated_template` migrates); `score_dedup` scores stored duplicate clusters against
`near_duplicate_group`.
"""

from __future__ import annotations

import hashlib
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

from bench import reader_baseline
from tidings.lib.canonical import canonicalize_url

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
TIDINGS = str(Path(PYTHON).parent / "tidings")
TIME = shutil.which("time", path="/usr/bin:/bin")  # GNU time, for the peak RSS of each side's process


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
    written_mb: float = 0.0  # bytes the process and its children wrote to files (GNU time's %O), in MB


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
    """Run to completion (or kill at `timeout`); wall time, the process's own peak RSS and the bytes it wrote
    to files (GNU time's %O: 512-byte blocks from the kernel's I/O accounting, its waited-for children's too).

    The peak comes from GNU time (`%M`), which forks the command from its own small process: a child forked
    straight from this one would inherit this process's high-water mark (the truth document is large).
    """
    rss_file = log.with_suffix(".rss")
    wrapped = [TIME, "-f", "%M %O", "-o", str(rss_file), *cmd] if TIME else cmd
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
    peak_kb = blocks = 0
    if TIME and rss_file.exists():
        numbers = [word for word in rss_file.read_text().split() if word.isdigit()]
        peak_kb, blocks = (int(numbers[-2]), int(numbers[-1])) if len(numbers) >= 2 else (0, 0)
    return Run(seconds, peak_kb / 1024, None if killed else proc.returncode, stdout, blocks * 512 / 1e6)


class Farm:
    """`python -m tools.feedfarm` in its own process."""

    def __init__(self, feeds: int, log: Path, latency_ms: int = 0, faulty: float = 0.0, port: int = 0) -> None:
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        args = [
            PYTHON,
            "-m",
            "tools.feedfarm",
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
def farm_running(feeds: int, scenario: Scenario, log: Path, port: int = 0) -> Iterator[Farm]:
    """A farm on `port` (so farms run one after another serve the same OPML), or a free one if that fails."""
    try:
        farm = Farm(feeds, log, latency_ms=scenario.latency_ms, faulty=scenario.faulty, port=port)
    except RuntimeError:
        if not port:
            raise
        farm = Farm(feeds, log, latency_ms=scenario.latency_ms, faulty=scenario.faulty)
    try:
        yield farm
    finally:
        farm.stop()


def base_env(db: Path, var: Path) -> dict[str, str]:
    return {
        **os.environ,
        "TIDINGS_DATABASE_URL": f"sqlite:///{db}",
        "TIDINGS_VAR_DIR": str(var),
        "TIDINGS_FETCH_ALLOW_NETWORKS": "127.0.0.1/32",
        "TIDINGS_TASK_BACKEND": "db",
    }


def migrated_template(work_root: Path, timeout: float) -> Path | None:
    """Migrate one SQLite file that each of our rows copies (one `migrate` per bench run, not per row)."""
    template = work_root / "template.sqlite3"
    log = work_root / "template.log"
    done = run_timed(
        [TIDINGS, "migrate", "--no-input", "-v", "0"],
        env=base_env(template, work_root / "var"),
        timeout=timeout,
        log=log,
    )
    if done.returncode != 0:
        print(f"`tidings migrate` failed; see {log}", file=sys.stderr)
        return None
    with sqlite3.connect(template) as connection:  # fold the WAL into the file, so a plain copy is complete
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return template


PER_HOST_LIMIT = 2
FARM_HOST_PATH_SEGMENTS = 2  # /h/<host>/...


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


# --- the three sides ----------------------------------------------------------------------------


# What the worker does with the link_near_duplicates tasks a refresh queues, in one process, in pk order.
LINK_QUEUED = """
from tidings.articles.models import Article
from tidings.stories.neardup_service import link_near_duplicates
ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
print(sum(link_near_duplicates(ids[start:start + 500]) for start in range(0, len(ids), 500)))
"""
OURS_FEEDS_ONLY = "tidings (feeds only)"
OURS_FULL_TEXT = "tidings (+ full text)"
NOT_RUN = "not run (--quick)"


def ours(
    farm: Farm,
    work: Path,
    timeout: float,
    *,
    full_text: bool,
    template: Path | None,
    revalidate: bool = True,
    link: bool = True,
    env_extra: dict[str, str] | None = None,
) -> tuple[Side, list[tuple]]:
    """Our side with its defaults (full text of summary-only feeds fetched) or feeds only, as reader does."""
    tool = OURS_FULL_TEXT if full_text else OURS_FEEDS_ONLY
    work = work / ("full_text" if full_text else "feeds_only")
    work.mkdir()
    db = work / "tidings.sqlite3"
    if template is None:
        return Side(tool, note="`tidings migrate` failed; see template.log"), []
    shutil.copyfile(template, db)
    env = {**base_env(db, work / "var"), **(env_extra or {})}
    # The real settings plus two the environment cannot give: full text on or off, and the per-host limit
    # keyed by the farm's virtual hosts (`/h/<host>/` path prefixes on one 127.0.0.1 port), not by the port.
    (work / "tidings_bench_settings.py").write_text(
        f"from tidings.settings import *  # noqa: F403\n"
        f"FETCH_FULL_TEXT = {full_text!r}\nFETCH_HOST_KEY_PATH_SEGMENTS = {FARM_HOST_PATH_SEGMENTS}\n"
    )
    env["DJANGO_SETTINGS_MODULE"] = "tidings_bench_settings"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(work), os.environ.get("PYTHONPATH")]))
    log = work / "ours.log"
    opml = farm.get("/opml")
    imported = template.with_name(f"imported-{hashlib.sha256(opml).hexdigest()[:16]}.sqlite3")
    if imported.exists():  # a farm before this one served the same OPML: copy its import
        shutil.copyfile(imported, db)
    else:
        (work / "farm.opml").write_bytes(opml)
        cmd = [TIDINGS, "import_opml", str(work / "farm.opml"), "--no-progress"]
        if run_timed(cmd, env=env, timeout=timeout, log=log).returncode != 0:
            return Side(tool, note=f"`tidings import_opml` failed; see {log}"), []
        with sqlite3.connect(db) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copyfile(db, imported)
    side = Side(tool)
    farm.reset()
    side.first = run_timed([TIDINGS, "refresh", "--all"], env=env, timeout=timeout, log=log)
    side.first_stats = farm.stats()
    if revalidate:
        farm.reset()
        side.revalidate = run_timed([TIDINGS, "refresh", "--all"], env=env, timeout=timeout, log=log)
        side.revalidate_stats = farm.stats()
    if link:
        side.link = run_timed([TIDINGS, "shell", "-c", LINK_QUEUED], env=env, timeout=timeout, log=log)
        if side.link.returncode != 0:
            side.note = f"near-duplicate linking failed; see {log}"
    with sqlite3.connect(db) as connection:
        rows = connection.execute("SELECT id, url, duplicate_of_id, headline FROM articles_article").fetchall()
    side.articles = len(rows)
    return side, rows


READER_WORKERS = (1, 16)  # update_feeds(workers=N): its default (one feed after another) and its best here


def reader_tool(workers: int) -> str:
    return f"reader 3.26 (workers={workers}{', default' if workers == 1 else ''})"


def reader(farm: Farm, work: Path, timeout: float, problem: str, revalidate: bool = True, workers: int = 1) -> Side:
    """reader 3.26 in its bench venv with `update_feeds(workers=workers)`; `problem` (why it cannot run) skips it.

    The feeds are added once per farm (not timed) and each setting updates its own copy of that database.
    """
    tool = reader_tool(workers)
    if problem:
        return Side(tool, note=f"n/a: {problem}")
    added_db, log = work / "reader-added.sqlite3", work / "reader.log"
    python = str(reader_baseline.VENV_PYTHON)
    script = str(ROOT / "bench" / "reader_baseline.py")
    if not added_db.exists():
        added = run_timed(
            [python, script, "--db", str(added_db), "--add", farm.base + "/opml"], timeout=timeout, log=log
        )
        if added.returncode != 0:
            added_db.unlink(missing_ok=True)
            return Side(tool, note=f"n/a: adding feeds failed; see {log}")
        with sqlite3.connect(added_db) as connection:  # fold the WAL into the file, so a plain copy is complete
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db = work / f"reader-workers{workers}.sqlite3"
    shutil.copyfile(added_db, db)
    side = Side(tool)
    update = [python, script, "--db", str(db), "--workers", str(workers)]
    farm.reset()
    side.first = run_timed([*update, "--update"], timeout=timeout, log=log)
    side.first_stats = farm.stats()
    if revalidate:
        farm.reset()
        side.revalidate = run_timed([*update, "--revalidate"], timeout=timeout, log=log)
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
