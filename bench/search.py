"""Search latency as the corpus grows: p50/p95 of a search page for common and rare words (issue 17).

Claim: with ranking and the LIMIT done inside the full-text index (FTS5 `ORDER BY rank`; a stored GIN-indexed
tsvector on PostgreSQL), a search for a common word answers in at most 200 ms at the 95th percentile at
1,000,000 articles; the old way (every match ranked by a correlated subquery and sorted, all matches counted)
took 5.1 s for /search/?q=election at 180k on SQLite.

Data (synthetic, seeded): bench._corpus at N articles (10,000 a day, demo vocabulary), one fresh database per
size in its own process. Words: "election", "police", "said" (in nearly every body) and one rare person's name.
Measured per word, after a warm-up, S samples each:
- page: GET /search/?q=word through Django's test Client (whole stack: capped count, 20 cards, template);
- sql relevance / sql newest / sql +category: the capped count plus one page of ids (searches.filtered); +category
  is the first category (a broad one);
- page +rare category / sql +rare category: the same with the rarest category that has articles (about 0.15% of
  them: ~150 at 100k), where the search starts from the category's articles (articles.search.base.SMALL_SET);
- before (SQLite only, up to 100k, the first two words): the previous backend's query (IN + correlated bm25 +
  sort) with a full count, 3 samples (it is quadratic in the matches: "said" took 6 s at 10k).
Usage: bench/search.py [--quick] [--sizes 10000,100000,1000000] [--samples S] [--no-report] [--from-log LOG]
       scripts/with-postgres .venv/bin/python bench/search.py ...   (PostgreSQL; its own section)
  --quick: 10k and 100k articles. Last line: RESULT search_p95_ms_<db>_<size>=... (page p95 of the common
  word "election" at the largest size), said_page_p95_ms, rare_filter_page_p95_ms ("said" + the rare category),
  worst_page_p95_ms and before_ms=... when measured.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

WORDS = ("election", "police", "said")
# The old query ranks each match with its own MATCH (quadratic in the matches): timed up to this size only.
BEFORE_MAX = 100_000
DB_LABEL = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def _short(n: int) -> str:
    return f"{n // 1_000_000}M" if n >= 1_000_000 and n % 1_000_000 == 0 else f"{n // 1000}k"


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def _time(fn: Callable[[], Any], samples: int) -> tuple[list[float], Any]:
    result = fn()  # warm-up
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    return times, result


def _old_sqlite_query(q: str) -> Callable[[], tuple[int, list[int]]]:
    """The backend before issue 17, as it was: matches by IN, rank by a correlated subquery, sorted, counted."""
    from django.db.models import BooleanField, FloatField
    from django.db.models.expressions import RawSQL

    from tidings.articles.models import Article
    from tidings.articles.search.sqlite import FTS_TABLE, match_expression

    expression = match_expression(q)
    matches = RawSQL(
        f"articles_article.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)",
        (expression,),
        output_field=BooleanField(),
    )
    rank = RawSQL(
        f"SELECT -bm25({FTS_TABLE}, 10.0, 4.0, 1.0) FROM {FTS_TABLE} "
        f"WHERE {FTS_TABLE} MATCH %s AND {FTS_TABLE}.rowid = articles_article.id",
        (expression,),
        output_field=FloatField(),
    )
    qs = Article.objects.visible().filter(matches).annotate(r=rank).order_by("-r", "-published_at", "-id")

    def run() -> tuple[int, list[int]]:
        return qs.count(), list(qs.values_list("pk", flat=True)[:20])

    return run


def _all_matches(vendor: str, word: str) -> int:
    """Every visible article the word matches (the search itself ranks at most RANK_WINDOW of them)."""
    from django.db import connection

    from tidings.articles.search.sqlite import FTS_TABLE, match_expression

    with connection.cursor() as cursor:
        if vendor == "sqlite":
            cursor.execute(
                f"SELECT count(*) FROM {FTS_TABLE} JOIN articles_article a ON a.id = {FTS_TABLE}.rowid "
                f"WHERE {FTS_TABLE} MATCH %s AND a.duplicate_of_id IS NULL",
                [match_expression(word)],
            )
        else:
            cursor.execute(
                "SELECT count(*) FROM articles_article WHERE duplicate_of_id IS NULL "
                "AND search_vector @@ websearch_to_tsquery('english'::regconfig, %s)",
                [word],
            )
        return int(cursor.fetchone()[0])


def _measure_one(size: int, samples: int, before: bool) -> dict[str, Any]:
    from bench._corpus import CorpusSpec, build_corpus
    from bench._django import bench_database

    with bench_database("search") as (vendor, _work):
        from django.db import connection
        from django.db.models import Count
        from django.test import Client

        from tidings.lib.counting import capped_count
        from tidings.searches.filters import filtered, resolve
        from tidings.searches.request import SearchRequest
        from tidings.taxonomy.models import ArticleListing, ListingKind, Topic

        stats = build_corpus(CorpusSpec(articles=size))
        if vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        rare = Topic.objects.filter(kind="person").order_by("-id").values_list("name", flat=True).first() or "x"
        top_category = (
            ArticleListing.objects.filter(kind=ListingKind.CATEGORY)
            .values_list("target_id", flat=True)
            .order_by("target_id")
            .first()
        )
        from tidings.taxonomy.models import Category

        category_slug = Category.objects.filter(pk=top_category).values_list("slug", flat=True).first() or ""
        rarest = (
            ArticleListing.objects.filter(kind=ListingKind.CATEGORY)
            .values("target_id")
            .annotate(n=Count("id"))
            .order_by("n", "target_id")
            .values_list("target_id", flat=True)
            .first()
        )
        rare_slug = Category.objects.filter(pk=rarest).values_list("slug", flat=True).first() or ""
        rare_size = ArticleListing.objects.filter(kind=ListingKind.CATEGORY, target_id=rarest).count()
        client = Client(SERVER_NAME="localhost")
        rows: list[dict[str, Any]] = []
        for word in (*WORDS, rare):

            def sql(request: SearchRequest) -> Callable[[], tuple[int, list[int]]]:
                def run() -> tuple[int, list[int]]:
                    articles = filtered(resolve(request))
                    return capped_count(articles.values("pk")).total, list(articles.values_list("pk", flat=True)[:20])

                return run

            def page(w: str = word, **filters: str) -> Callable[[], int]:
                def run() -> int:
                    response = client.get("/search/", {"q": w, **filters})
                    assert response.status_code == 200, response.status_code
                    return len(response.content)

                return run

            measures: dict[str, Callable[[], Any]] = {
                "page": page(),
                "sql relevance": sql(SearchRequest(q=word)),
                "sql newest": sql(SearchRequest(q=word, sort="newest")),
                "sql +category": sql(SearchRequest(q=word, category=category_slug)),
                "page +rare category": page(category=rare_slug),
                "sql +rare category": sql(SearchRequest(q=word, category=rare_slug)),
            }
            matched = _all_matches(vendor, word)
            ranked = filtered(resolve(SearchRequest(q=word))).count()
            for name, fn in measures.items():
                times, _ = _time(fn, samples)
                rows.append(
                    {
                        "word": word,
                        "what": name,
                        "matches": matched,
                        "ranked": ranked,
                        "p50": _p(times, 0.5),
                        "p95": _p(times, 0.95),
                    }
                )
            if before and vendor == "sqlite" and word in WORDS[:2] and size <= BEFORE_MAX:
                times, _ = _time(_old_sqlite_query(word), 3)
                rows.append(
                    {
                        "word": word,
                        "what": "before (old query)",
                        "matches": matched,
                        "p50": _p(times, 0.5),
                        "p95": max(times),
                    }
                )
            print(f"  {size} {word}: done", flush=True)
        return {
            "vendor": vendor,
            "size": size,
            "build_s": stats.seconds,
            "rare_category": [rare_slug, rare_size],
            "rows": rows,
        }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--sizes", default="")
    parser.add_argument("--samples", type=int, default=20)
    parser.add_argument("--no-before", action="store_true", help="skip the old query (slow at 1M)")
    parser.add_argument("--no-report", action="store_true")
    parser.add_argument("--one-size", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--out", default="", help=argparse.SUPPRESS)
    parser.add_argument("--from-log", default="", help="report the per-size JSON lines a run printed to this log")
    args = parser.parse_args()
    if args.from_log:
        lines = Path(args.from_log).read_text().splitlines()
        _report([json.loads(line) for line in lines if line.startswith('{"vendor"')], args)
        return
    if args.one_size:
        result = _measure_one(args.one_size, args.samples, not args.no_before)
        Path(args.out).write_text(json.dumps(result))
        return
    sizes = [int(s) for s in (args.sizes or ("10000,100000" if args.quick else "10000,100000,1000000")).split(",")]
    results = []
    for size in sizes:
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
            path = out.name
        command = [sys.executable, __file__, "--one-size", str(size), "--out", path, "--samples", str(args.samples)]
        if args.no_before:
            command.append("--no-before")
        print(f"size {size}: building and timing", flush=True)
        subprocess.run(command, check=True, env=os.environ.copy())
        results.append(json.loads(Path(path).read_text()))
        os.unlink(path)
        print(json.dumps(results[-1]), flush=True)  # kept in the log if a later size fails
    _report(results, args)


def _report(results: list[dict[str, Any]], args: argparse.Namespace) -> None:
    from bench._report import markdown_table, update_section

    vendor = results[0]["vendor"]
    table = []
    for result in results:
        for row in result["rows"]:
            # Results of an earlier run of this script had only the ranked count, under "matches".
            ranked = row.get("ranked", row["matches"])
            total = f"{row['matches']:,}" if "ranked" in row else "n/a"
            table.append(
                [f"{result['size']:,}", row["word"], row["what"], total, f"{ranked:,}", row["p50"], row["p95"]]
            )
    text = markdown_table(["articles", "word", "what", "matches", "ranked", "p50 ms", "p95 ms"], table)
    print(text)
    largest = results[-1]
    page = next(r for r in largest["rows"] if r["word"] == "election" and r["what"] == "page")
    key = f"search_p95_ms_{vendor}_{_short(largest['size'])}"
    result_line = f"RESULT {key}={page['p95']:.1f}"
    before = next((r for r in largest["rows"] if r["word"] == "election" and r["what"].startswith("before")), None)
    if before:
        result_line += f" before_ms={before['p50']:.1f}"
    said = next((r for r in largest["rows"] if r["word"] == "said" and r["what"] == "page"), None)
    rare = next((r for r in largest["rows"] if r["word"] == "said" and r["what"] == "page +rare category"), None)
    if said:
        result_line += f" said_page_p95_ms={said['p95']:.1f}"
    if rare:
        result_line += f" rare_filter_page_p95_ms={rare['p95']:.1f}"
    worst_common = max(r["p95"] for r in largest["rows"] if r["what"].startswith("page"))
    result_line += f" worst_page_p95_ms={worst_common:.1f}"
    if not args.no_report:
        notes = (
            f"\n\n{args.samples} samples per line after one warm-up (the old query: 3). Server time on the shared "
            "2-core machine; `page` is GET /search/?q=word through Django's test Client; `sql` lines are the capped "
            "count (1,000) plus one page of 20 ids; `matches` is every visible match, `ranked` what the search "
            "ranks (at most 5,000, articles.search.base.RANK_WINDOW). Corpus: bench._corpus (seeded, 10,000 "
            "articles a day); the last word is a rare person's name. The rare category (articles listed in it): "
            + ", ".join(
                f"{r['rare_category'][0]} ({r['rare_category'][1]:,}) at {r['size']:,}"
                for r in results
                if "rare_category" in r
            )
            + ". Command: `bench/search.py "
            + ("--quick" if args.quick else f"--sizes {','.join(str(r['size']) for r in results)}")
            + "`."
        )
        update_section(f"Search ({DB_LABEL[vendor]})", text + notes)
    print(result_line)


if __name__ == "__main__":
    main()
