"""The naive baseline for bench/ingest.py: httpx + feedparser in a thread pool, stored into SQLite.

What most first versions of a feed fetcher look like: one shared httpx.Client, a ThreadPoolExecutor,
feedparser on every body, INSERT OR IGNORE by entry link. No conditional GET (every pass downloads
every feed again), no per-host limit, no content dedup.

    bench/naive_ingest.py --db DB --opml OPML_URL_OR_FILE [--workers 16]

Prints one JSON line: {"feeds", "ok", "failed", "entries_new", "entries", "seconds"}.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import time
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import feedparser
import httpx

SCHEMA = """CREATE TABLE IF NOT EXISTS entries (
    link TEXT PRIMARY KEY, feed TEXT NOT NULL, title TEXT, summary TEXT, content TEXT, published TEXT
)"""


def feed_urls(opml: str, client: httpx.Client) -> list[str]:
    data = client.get(opml).content if "://" in opml else Path(opml).read_bytes()
    return [node.attrib["xmlUrl"] for node in ET.fromstring(data).iter("outline") if node.attrib.get("xmlUrl")]


def fetch_and_parse(client: httpx.Client, url: str) -> tuple[str, list[tuple[str, ...]] | None]:
    try:
        response = client.get(url)
        response.raise_for_status()
    except httpx.HTTPError:
        return url, None
    parsed = feedparser.parse(response.content, response_headers={"content-location": str(response.url)})
    rows = []
    for entry in parsed.entries:
        link = entry.get("link") or entry.get("id") or ""
        if not link:
            continue
        content = entry["content"][0].get("value", "") if entry.get("content") else ""
        rows.append((link, url, entry.get("title", ""), entry.get("summary", ""), content, entry.get("published", "")))
    return url, rows


def run(db: str, opml: str, workers: int) -> dict[str, object]:
    connection = sqlite3.connect(db)
    connection.execute(SCHEMA)
    with httpx.Client(
        timeout=20.0,
        follow_redirects=True,
        limits=httpx.Limits(max_connections=workers, max_keepalive_connections=workers),
    ) as client:
        urls = feed_urls(opml, client)
        started = time.perf_counter()
        ok = failed = new = 0
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for _url, rows in pool.map(lambda u: fetch_and_parse(client, u), urls):
                if rows is None:
                    failed += 1
                    continue
                ok += 1
                with connection:  # one transaction per feed
                    before = connection.total_changes
                    connection.executemany("INSERT OR IGNORE INTO entries VALUES (?, ?, ?, ?, ?, ?)", rows)
                    new += connection.total_changes - before
        seconds = time.perf_counter() - started
    total = connection.execute("SELECT count(*) FROM entries").fetchone()[0]
    connection.close()
    return {
        "feeds": len(urls),
        "ok": ok,
        "failed": failed,
        "entries_new": new,
        "entries": total,
        "seconds": round(seconds, 3),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--db", required=True, help="SQLite file to store entries in")
    parser.add_argument("--opml", required=True, help="OPML URL or file listing the feeds")
    parser.add_argument("--workers", type=int, default=16)
    args = parser.parse_args()
    print(json.dumps(run(args.db, args.opml, args.workers)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
