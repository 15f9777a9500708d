"""Implicit feedback: what logging one signal costs, and what rebuilding a profile's learned interests costs.

Claim: `learning.refresh_interests` over a full window (MAX_EVENTS = 2,000 interactions) costs too much to run
on every beacon but little once per few minutes, so `feedback.schedule_refresh` queues it as a task at most
once per REFRESH_EVERY (5 minutes) per profile; logging itself (an open, a reading-time part, a page of 20
impressions) stays a few milliseconds.

Data (synthetic, seeded): the IPTC tree from `load_taxonomy`; 1,000 articles with 1-3 category links, 3 topics
each and a 384-float embedding (the size of the default sentence model); one profile with 2,000 interactions
(impressions, opens, reading times, saves, shares) spread over the last 90 days. Best and median of --repeat
runs after one warm-up; refresh is split into its database read (`learning._events`) and the pure fold
(`interests.build_profile`).
Usage: bench/feedback.py [--quick] [--repeat R] [--no-report]
       scripts/with-postgres .venv/bin/python bench/feedback.py   (the same on PostgreSQL; its own section)
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from bench._django import bench_database  # noqa: E402

KINDS = [("impression", 0.55), ("open", 0.2), ("read", 0.15), ("save", 0.05), ("share", 0.05)]


def build_rows(articles: int, events: int, seed: int) -> tuple[Any, list[int]]:
    import numpy as np
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from tidings.articles.models import Article
    from tidings.enrichment.models import ArticleEmbedding
    from tidings.personalization.models import Interaction, Profile
    from tidings.sources.models import Source
    from tidings.taxonomy.models import ArticleCategory, ArticleTopic, Category, Origin, Topic

    call_command("load_taxonomy", verbosity=0)
    rng = random.Random(seed)
    vectors = np.random.default_rng(seed)
    categories = list(Category.objects.values_list("pk", flat=True))
    sources = [
        Source.objects.create(
            url=f"https://s{n}.example.org/feed.xml", name=f"Bench {n}", site_url=f"https://s{n}.example.org/"
        )
        for n in range(10)
    ]
    topics = Topic.objects.bulk_create(Topic(kind="keyword", name=f"topic {n}", slug=f"topic-{n}") for n in range(300))
    published = datetime.now(UTC) - timedelta(days=1)
    created = Article.objects.bulk_create(
        Article(
            source=rng.choice(sources),
            url=f"https://bench.example.org/{n}",
            guid=str(n),
            headline=f"Bench article {n}",
            content_hash=f"{n:064x}",
            published_at=published,
        )
        for n in range(articles)
    )
    ids = [a.pk for a in created]
    ArticleCategory.objects.bulk_create(
        (
            ArticleCategory(article_id=pk, category_id=c, score=rng.uniform(0.3, 0.95), origin=Origin.MODEL)
            for pk in ids
            for c in rng.sample(categories, rng.randint(1, 3))
        ),
        ignore_conflicts=True,
    )
    ArticleTopic.objects.bulk_create(
        (
            ArticleTopic(article_id=pk, topic=t, score=0.8, origin=Origin.MODEL)
            for pk in ids
            for t in rng.sample(topics, 3)
        ),
        ignore_conflicts=True,
    )
    ArticleEmbedding.objects.bulk_create(
        ArticleEmbedding(
            article_id=pk,
            model_name="bench",
            dimensions=384,
            vector=vectors.standard_normal(384).astype("<f4").tobytes(),
        )
        for pk in ids
    )
    user = get_user_model().objects.create_user("bench", password="bench-password-1")
    profile = Profile.objects.create(user=user)
    now = datetime.now(UTC)
    kinds, weights = zip(*KINDS, strict=True)
    Interaction.objects.bulk_create(
        Interaction(
            profile=profile,
            article_id=rng.choice(ids),
            kind=(kind := rng.choices(kinds, weights)[0]),
            value=rng.uniform(5, 400) if kind == "read" else 1.0,
            created_at=now - timedelta(seconds=rng.uniform(0, 90 * 86400)),
        )
        for _ in range(events)
    )
    return profile, ids


def timed(work: Callable[[], object], repeat: int) -> tuple[float, float]:
    work()  # warm-up
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        runs.append(time.perf_counter() - started)
    return min(runs), statistics.median(runs)


def run(vendor: str, articles: int, events: int, repeat: int, seed: int, report: bool) -> None:
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    from tidings.articles.models import Article
    from tidings.personalization import learning
    from tidings.personalization.feedback import REFRESH_EVERY, log_impressions, log_open, log_reading_time
    from tidings.personalization.interests import build_profile

    profile, ids = build_rows(articles, events, seed)
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    now = timezone.now()
    loaded = learning._events(profile, now)
    rng = random.Random(seed + 1)
    article = Article.objects.get(pk=ids[0])
    page = [rng.choice(ids) for _ in range(20)]
    clock = iter(range(10**6))

    def impressions() -> int:
        # A later hour each time, so the repeat window never skips the page (the worst case: 20 inserts).
        return log_impressions(profile, page, now=now + timedelta(hours=7 * (next(clock) + 1)))

    measures: list[tuple[str, Callable[[], object]]] = [
        ("refresh_interests (whole rebuild)", lambda: learning.refresh_interests(profile)),
        ("  of which: read events (learning._events)", lambda: learning._events(profile, now)),
        (
            "  of which: fold (interests.build_profile)",
            lambda: build_profile(loaded, now, float(settings.INTEREST_HALF_LIFE_DAYS)),
        ),
        ("log_open (one article page view)", lambda: log_open(profile, article)),
        ("log_reading_time (one beacon)", lambda: log_reading_time(profile, article, 12.0)),
        ("log_impressions (a page of 20 cards)", impressions),
    ]
    header = ["operation", "events read", "best ms", "median ms"]
    rows: list[list[Any]] = []
    for name, work in measures:
        best, median = timed(work, repeat)
        rows.append([name, len(loaded) if "refresh" in name or "of which" in name else "-", best * 1000, median * 1000])
        print(f"{name:<46} best {best * 1000:8.2f} ms  median {median * 1000:8.2f} ms")
    refresh_ms = rows[0][3]
    result = {
        "vendor": vendor,
        "events": len(loaded),
        "refresh_median_ms": round(refresh_ms, 1),
        "open_median_ms": round(rows[3][3], 2),
        "beacon_median_ms": round(rows[4][3], 2),
        "impressions_page_median_ms": round(rows[5][3], 2),
        "refresh_every_s": int(REFRESH_EVERY.total_seconds()),
    }
    if report:
        from bench._report import markdown_table, update_section

        title = "Implicit feedback (SQLite)" if vendor == "sqlite" else "Implicit feedback (PostgreSQL)"
        text = markdown_table(header, rows)
        text += (
            f"\n\n`bench/feedback.py`: one profile with {events} synthetic interactions over 90 days on {articles} "
            "articles (1-3 categories, 3 topics and a 384-float embedding each; seed "
            f"{seed}); best and median of {repeat} runs after a warm-up. The refresh reads at most "
            f"learning.MAX_EVENTS = {learning.MAX_EVENTS} events. Decision: the refresh is queued as a task at most "
            f"once per {int(REFRESH_EVERY.total_seconds() // 60)} minutes per profile (feedback.REFRESH_EVERY), "
            "not run per beacon; logging calls stay inline. log_open and log_reading_time include queueing "
            "nothing here (the refresh window is already taken by the warm-up). "
            f"{os.cpu_count()} CPU(s) shared with other jobs, measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC."
        )
        update_section(title, text)
    print("RESULT " + " ".join(f"{key}={value}" for key, value in result.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="3 repeats instead of 15")
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--seed", type=int, default=151)
    parser.add_argument("--no-report", action="store_true")
    args = parser.parse_args()
    repeat = 3 if args.quick else args.repeat
    with bench_database("feedback") as (vendor, _work):
        run(vendor, args.articles, args.events, repeat, args.seed, report=not args.no_report)


if __name__ == "__main__":
    main()
