"""The `reader` library (PyPI `reader` 3.26, defaults) as a baseline for bench/ingest.py.

`reader` must never enter the project's venv, so this script keeps its own: on first use it creates
var/bench-venvs/reader/ (`python3.11 -m venv` + `pip install reader==3.26 sgmllib3k`: reader's vendored
feedparser still imports `sgmllib`) and re-runs itself there.

    bench/reader_baseline.py --db DB --add OPML_URL      # add every feed of the OPML (not timed by the bench)
    bench/reader_baseline.py --db DB --update            # first refresh: update_feeds()
    bench/reader_baseline.py --db DB --revalidate        # revalidation: update_feeds(scheduled=False)
    bench/reader_baseline.py --db DB --update --workers 16   # the same with 16 fetching threads
    bench/reader_baseline.py --ensure-venv               # create the venv only; exit 3 if pip cannot get reader

`--workers N` is passed to `update_feeds(workers=N)`: reader fetches with N threads (its default, 1,
fetches one feed after another); it parses and stores in the calling thread either way.

Prints one JSON line: {"phase", "workers", "feeds", "entries", "seconds"}. Exit status 3 means `reader` is unavailable.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / "var" / "bench-venvs" / "reader"
VENV_PYTHON = VENV / "bin" / "python"
READER_VERSION = "3.26"
UNAVAILABLE = 3


def ensure_venv() -> str:
    """'' when the bench venv has reader installed, else a message saying why it could not be made."""
    if VENV_PYTHON.exists() and _has_reader():
        return ""
    try:
        if not VENV_PYTHON.exists():
            subprocess.run(["python3.11", "-m", "venv", str(VENV)], check=True, capture_output=True, timeout=300)
        pip = subprocess.run(
            [str(VENV_PYTHON), "-m", "pip", "install", "-q", f"reader=={READER_VERSION}", "sgmllib3k"],
            capture_output=True,
            text=True,
            timeout=900,
        )
    except (OSError, subprocess.SubprocessError) as err:
        return f"cannot create the reader bench venv at {VENV}: {err}"
    if pip.returncode != 0 or not _has_reader():
        tail = (pip.stderr or pip.stdout).strip().splitlines()[-1:] or ["no output"]
        return f"pip could not install reader=={READER_VERSION} into {VENV}: {tail[0]}"
    return ""


def _has_reader() -> bool:
    probe = subprocess.run(
        # reader's vendored feedparser imports `sgmllib`; feedparser 6.0.12+ no longer brings sgmllib3k along.
        [str(VENV_PYTHON), "-c", f"import sgmllib, reader, sys; sys.exit(reader.__version__ != {READER_VERSION!r})"],
        capture_output=True,
    )
    return probe.returncode == 0


def feed_urls(opml: str) -> list[str]:
    with urlopen(opml) if "://" in opml else open(opml, "rb") as handle:
        root = ET.fromstring(handle.read())
    return [node.attrib["xmlUrl"] for node in root.iter("outline") if node.attrib.get("xmlUrl")]


def run(args: argparse.Namespace) -> dict[str, object]:
    from reader import make_reader  # only inside the bench venv

    reader = make_reader(args.db)
    started = time.perf_counter()
    if args.add:
        for url in feed_urls(args.add):
            reader.add_feed(url, exist_ok=True)
        phase = "add"
    elif args.update:
        reader.update_feeds(workers=args.workers)
        phase = "update"
    else:
        reader.update_feeds(scheduled=False, workers=args.workers)
        phase = "revalidate"
    seconds = time.perf_counter() - started
    counts = reader.get_entry_counts()
    feeds = reader.get_feed_counts()
    reader.close()
    return {
        "phase": phase,
        "workers": args.workers,
        "feeds": feeds.total,
        "broken_feeds": feeds.broken,
        "entries": counts.total,
        "seconds": round(seconds, 3),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--db", help="reader's SQLite database file")
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--add", metavar="OPML", help="OPML URL or file whose feeds to add")
    group.add_argument("--update", action="store_true")
    group.add_argument("--revalidate", action="store_true")
    group.add_argument("--ensure-venv", action="store_true")
    parser.add_argument("--workers", type=int, default=1, help="update_feeds(workers=N): fetching threads (default 1)")
    args = parser.parse_args()
    if Path(sys.prefix).resolve() != VENV.resolve():
        problem = ensure_venv()
        if problem:
            print(f"reader baseline unavailable: {problem}", file=sys.stderr)
            return UNAVAILABLE
        if args.ensure_venv:
            return 0
        os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), str(Path(__file__).resolve()), *sys.argv[1:]])
    if args.ensure_venv:
        return 0
    if not args.db:
        parser.error("--db is required")
    print(json.dumps(run(args)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
