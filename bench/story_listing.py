"""One card per story on list pages: what collapsing in SQL (stories.collapse.one_per_story) costs.

Claim: the home and source pages' queries (the paginator's count plus one page of 20) stay fast when each
story is collapsed to its newest article, and the collapsed count is exactly the number of stories plus the
articles in no story (checked against how the rows were built).

Data (synthetic, seeded): N articles from 8 sources over 30 days; 60% of them in stories of 2-5 articles
(from different sources, within a day), the rest alone; 5% of all marked near-duplicates (hidden everywhere).
Methods, best of --repeat runs after one warm-up, each reading count + the page's ids:
- flat: the list before this change (visible, newest first);
- collapsed: one_per_story() over the same list; page 1 and a deep page (page 50, or the last).
Usage: bench/story_listing.py [--quick] [--articles N] [--repeat R] [--no-report]
       scripts/with-postgres .venv/bin/python bench/story_listing.py   (the same on PostgreSQL; its own section)
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from bench._django import bench_database  # noqa: E402

PAGE = 20


def build_rows(count: int, seed: int) -> int:
    """The articles, stories and links; returns how many cards the collapsed home page should count."""
    from tidings.articles.models import Article
    from tidings.sources.models import Source
    from tidings.stories.models import ArticleStory, Story

    rng = random.Random(seed)
    sources = [
        Source.objects.create(url=f"https://s{n}.example.org/feed", name=f"Source {n}", site_url="https://x.org/")
        for n in range(8)
    ]
    start = datetime(2026, 11, 1, tzinfo=UTC)
    groups: list[list[int]] = []  # indexes into the article rows, per story
    rows: list[Article] = []
    n = 0
    while n < count:
        # A group is a story 30% of the time; with 3.5 articles a story on average, 60% of articles are in one.
        size = rng.randint(2, 5) if rng.random() < 0.3 else 1
        size = min(size, count - n)
        base = start + timedelta(seconds=rng.uniform(0, 30 * 86400))
        members = []
        for source in rng.sample(sources, size):
            rows.append(
                Article(
                    source=source,
                    url=f"https://bench.example.org/{n}",
                    guid=str(n),
                    headline=f"Bench article {n}",
                    content_hash=f"{n:064x}",
                    published_at=base + timedelta(seconds=rng.uniform(0, 86400)),
                )
            )
            members.append(n)
            n += 1
        if size > 1:
            groups.append(members)
    created = Article.objects.bulk_create(rows, batch_size=2000)
    ids = [a.pk for a in created]
    hidden = {i for i in range(len(ids)) if rng.random() < 0.05 and i > 0}
    Article.objects.filter(pk__in=[ids[i] for i in hidden]).update(duplicate_of_id=ids[0])
    links = []
    for members in groups:
        story = Story.objects.create(headline=f"Story {members[0]}", article_count=len(members))
        links += [ArticleStory(article_id=ids[i], story=story, score=0.5) for i in members]
    ArticleStory.objects.bulk_create(links, batch_size=2000)
    in_story = {i for members in groups for i in members}
    shown_stories = sum(1 for members in groups if any(i not in hidden for i in members))
    loose = sum(1 for i in range(len(ids)) if i not in in_story and i not in hidden)
    return shown_stories + loose


def read(queryset: Any, page: int) -> Callable[[], tuple[int, list[int]]]:
    def run() -> tuple[int, list[int]]:
        total = queryset.count()
        offset = min((page - 1) * PAGE, max(total - PAGE, 0))
        return total, list(queryset.values_list("pk", flat=True)[offset : offset + PAGE])

    return run


def best_of(fn: Callable[[], tuple[int, list[int]]], repeat: int) -> tuple[float, tuple[int, list[int]]]:
    fn()
    best, result = float("inf"), (0, [])
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - started)
    return best, result


def run(vendor: str, count: int, repeat: int, seed: int, report: bool) -> None:
    from django.db import connection

    from tidings.articles.models import Article
    from tidings.stories.collapse import one_per_story

    expected_cards = build_rows(count, seed)
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    source_id = Article.objects.values_list("source_id", flat=True).first()
    lists = {
        "home": Article.objects.visible(),
        "source page": Article.objects.visible().from_source(source_id),
    }
    header = ["articles", "list", "method", "page", "best s", "count"]
    rows: list[list[Any]] = []
    result: dict[str, Any] = {"vendor": vendor, "articles": count}
    for name, base in lists.items():
        for method, queryset in (("flat", base.newest_first()), ("collapsed", one_per_story(base).newest_first())):
            for page in (1, 50):
                seconds, (total, _ids) = best_of(read(queryset, page), repeat)
                rows.append([count, name, method, page, seconds, total])
                print(f"{count:>6}  {name:<12} {method:<10} page {page:>2}  {seconds:8.4f} s  count {total}")
                if name == "home" and page == 1:
                    result[f"{method}_s"] = round(seconds, 4)
                if name == "home" and method == "collapsed":
                    result["cards_as_built"] = total == expected_cards
    result["collapsed_over_flat"] = f"{result['collapsed_s'] / max(result['flat_s'], 1e-9):.1f}x"
    if not result["cards_as_built"]:
        print(f"collapsed count differs from the {expected_cards} cards built", file=sys.stderr)
    if report:
        from bench._report import markdown_table, update_section

        title = "Story listing collapse (SQLite)" if vendor == "sqlite" else "Story listing collapse (PostgreSQL)"
        text = markdown_table(header, rows)
        text += (
            f"\n\n`bench/story_listing.py`: the paginator's count plus one page of {PAGE} ids, best of {repeat} "
            f"after one warm-up, synthetic seeded rows (seed {seed}: 60% of articles in stories of 2-5, 5% "
            f"near-duplicates). The collapsed home count equals the cards built: {result['cards_as_built']}. "
            f"{os.cpu_count()} CPU(s) shared with other jobs, measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC."
        )
        update_section(title, text)
    print("RESULT " + " ".join(f"{key}={value}" for key, value in result.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="2,000 articles, 3 repeats")
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--no-report", action="store_true")
    args = parser.parse_args()
    count, repeat = (2_000, 3) if args.quick else (args.articles, args.repeat)
    with bench_database("stories") as (vendor, _work):
        run(vendor, count, repeat, args.seed, report=not args.no_report)


if __name__ == "__main__":
    main()
