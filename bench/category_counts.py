"""Category tree counts (Browse page and /api/categories): one grouped query against one subquery per category.

Claim: `taxonomy.membership.listed_article_counts()` (the listed (article, category) pairs as one UNION, grouped
once) gives the same count for every category as the correlated COUNT(DISTINCT) subquery it replaces, which ran
once per category (137 IPTC categories), and takes less time at 20,000 articles.

Data (synthetic, seeded): the IPTC tree from `load_taxonomy`; N articles, each with 1-3 model links (scores
spread over 0.05-0.95, so some fall below the listing floor) to top-level or second-level categories, 10% with
a publisher link, 2% taken out of one of their categories by an editor, 5% marked duplicates. Methods, over
the same rows, best of --repeat runs each, the whole tree (categories + counts) as `web.catalog` reads it:
- before: the per-category correlated subquery (the old `membership.listed_article_count()`, kept here);
- after: `Category` rows, then `listed_article_counts()`.
Usage: bench/category_counts.py [--quick] [--articles N] [--repeat R] [--no-report]
       scripts/with-postgres .venv/bin/python bench/category_counts.py   (the same on PostgreSQL; its own section)
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from bench._django import bench_database  # noqa: E402


def build_rows(count: int, seed: int) -> None:
    from django.core.management import call_command

    from tidings.articles.models import Article
    from tidings.sources.models import Source
    from tidings.taxonomy.models import ArticleCategory, Category, Origin

    call_command("load_taxonomy", verbosity=0)
    categories = list(Category.objects.values_list("pk", "parent_id"))
    rng = random.Random(seed)
    source = Source.objects.create(
        url="https://bench.example.org/feed.xml", name="Bench", site_url="https://bench.example.org/"
    )
    published = datetime(2026, 11, 1, tzinfo=UTC)
    for start in range(0, count, 2000):
        rows = [
            Article(
                source=source,
                url=f"https://bench.example.org/{n}",
                guid=str(n),
                headline=f"Bench article {n}",
                content_hash=f"{n:064x}",
                published_at=published,
            )
            for n in range(start, min(start + 2000, count))
        ]
        ids = [article.pk for article in Article.objects.bulk_create(rows)]
        links: list[ArticleCategory] = []
        for article_id in ids:
            chosen = rng.sample(categories, rng.randint(1, 3))
            for category_id, _parent in chosen:
                links.append(
                    ArticleCategory(
                        article_id=article_id,
                        category_id=category_id,
                        score=rng.uniform(0.05, 0.95),
                        origin=Origin.MODEL,
                    )
                )
            if rng.random() < 0.10:
                links.append(
                    ArticleCategory(article_id=article_id, category_id=chosen[0][0], score=1.0, origin=Origin.PUBLISHER)
                )
            if rng.random() < 0.02:  # an editor takes it out of its category's parent (or of a top category)
                category_id, parent_id = chosen[-1]
                rejected_from = parent_id or category_id
                links.append(
                    ArticleCategory(article_id=article_id, category_id=rejected_from, score=0.0, origin=Origin.EDITOR)
                )
        ArticleCategory.objects.bulk_create(links, ignore_conflicts=True)
        duplicates = [pk for pk in ids if rng.random() < 0.05]
        Article.objects.filter(pk__in=duplicates).update(duplicate_of_id=ids[0])


def before_counts() -> dict[int, int]:
    """The tree as read before: each category annotated with a correlated COUNT(DISTINCT) subquery."""
    from django.db.models import F, Func, IntegerField, OuterRef, Q, Subquery
    from django.db.models.functions import Coalesce

    from tidings.taxonomy.membership import LISTED_LINK, _rejected
    from tidings.taxonomy.models import ArticleCategory, Category

    class CountDistinct(Func):
        function = "COUNT"
        template = "%(function)s(DISTINCT %(expressions)s)"
        output_field = IntegerField()

    category = OuterRef("pk")
    links = (
        ArticleCategory.objects.filter(LISTED_LINK, article__duplicate_of__isnull=True)
        .filter(
            category_id__in=Category.objects.filter(Q(pk=OuterRef(category)) | Q(parent_id=OuterRef(category))).values(
                "pk"
            )
        )
        .filter(~Q(_rejected(OuterRef("article_id"), OuterRef(category))))
        .order_by()
        .annotate(n=CountDistinct(F("article_id")))
        .values("n")
    )
    annotated = Category.objects.annotate(article_count=Coalesce(Subquery(links, output_field=IntegerField()), 0))
    return {c.pk: c.article_count for c in annotated.order_by("name")}


def after_counts() -> dict[int, int]:
    from tidings.taxonomy.membership import listed_article_counts
    from tidings.taxonomy.models import Category

    counts = listed_article_counts()
    return {c.pk: counts.get(c.pk, 0) for c in Category.objects.order_by("name")}


def best_of(read: Callable[[], dict[int, int]], repeat: int) -> tuple[float, dict[int, int]]:
    read()  # warm: the first run pays for the statement cache and cold pages
    best = float("inf")
    result: dict[int, int] = {}
    for _ in range(repeat):
        started = time.perf_counter()
        result = read()
        best = min(best, time.perf_counter() - started)
    return best, result


def run(vendor: str, count: int, repeat: int, seed: int, report: bool) -> None:
    from django.db import connection

    build_rows(count, seed)
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    before_s, before = best_of(before_counts, repeat)
    after_s, after = best_of(after_counts, repeat)
    differing = sorted(pk for pk in before if before[pk] != after[pk])
    listed = sum(1 for n in after.values() if n)
    header = ["articles", "method", "best s", "categories", "with articles", "same counts"]
    rows: list[list[Any]] = [
        [count, "before: one correlated subquery per category", before_s, len(before), listed, "-"],
        [count, "after: one grouped query (listed_article_counts)", after_s, len(after), listed, not differing],
    ]
    for row in rows:
        print(f"{row[0]:>6}  {row[1]:<50} {row[2]:8.4f} s  categories {row[3]}  same {row[5]}")
    if differing:
        print(f"counts differ for {len(differing)} categories, e.g. {differing[:5]}", file=sys.stderr)
    result = {
        "vendor": vendor,
        "articles": count,
        "before_s": round(before_s, 4),
        "after_s": round(after_s, 4),
        "speedup": f"{before_s / max(after_s, 1e-9):.1f}x",
        "same_counts": not differing,
    }
    if report:
        from bench._report import markdown_table, update_section

        title = "Category tree counts (SQLite)" if vendor == "sqlite" else "Category tree counts (PostgreSQL)"
        text = markdown_table(header, rows)
        text += (
            f"\n\n`bench/category_counts.py`: the whole category tree with counts (categories query included), "
            f"best of {repeat} after one warm-up run, synthetic seeded links (seed {seed}; model scores spread "
            "across the listing floor, publisher links, editor rejections, duplicates). `same counts` compares "
            f"every category's count with the before method. {os.cpu_count()} CPU(s) shared with other jobs "
            "(times vary by about a third between runs), measured "
            f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC."
        )
        update_section(title, text)
    print("RESULT " + " ".join(f"{key}={value}" for key, value in result.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="2,000 articles, 3 repeats")
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--seed", type=int, default=137)
    parser.add_argument("--no-report", action="store_true")
    args = parser.parse_args()
    count, repeat = (2_000, 3) if args.quick else (args.articles, args.repeat)
    with bench_database("counts") as (vendor, _work):
        run(vendor, count, repeat, args.seed, report=not args.no_report)


if __name__ == "__main__":
    main()
