"""One database, one corpus size, for bench/scale.py: build the corpus, then time every page and API route.

Runs in its own process (a fresh database each time; PostgreSQL through scripts/with-postgres) and returns a
JSON-ready dict: build figures, per-route server-time percentiles, and each route's slowest query with its plan.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench._bulk_insert import analyze
from bench._corpus import CorpusSpec, build_corpus
from bench._django import busiest_top_category_id, explain, percentiles, worker_database

SEED = 11
WARM_UP = 2
SLOW_WARM_UP_MS = 2000


def _targets(size: int, rng: random.Random) -> dict[str, Any]:
    """What the routes are asked about: the busiest category, topic and source (the worst case for their
    lists), recent stories and articles and a few old ones (ids sampled across the corpus)."""
    from django.db.models import Count, Max, Min

    from tidings.articles.models import Article
    from tidings.sources.models import Source
    from tidings.stories.models import Story
    from tidings.taxonomy.models import ArticleTopic, Category, Topic

    top_category = busiest_top_category_id()
    top_topic = ArticleTopic.objects.values("topic_id").annotate(n=Count("id")).order_by("-n").first()
    top_source = Article.objects.values("source_id").annotate(n=Count("id")).order_by("-n").first()
    bounds = Article.objects.aggregate(lo=Min("id"), hi=Max("id"))
    article_ids = [rng.randint(bounds["lo"], bounds["hi"]) for _ in range(60)]
    story_ids = list(
        Story.objects.filter(article_count__gte=2).order_by("-last_published_at").values_list("pk", flat=True)[:30]
    )
    story_bounds = Story.objects.aggregate(lo=Min("id"), hi=Max("id"))
    story_ids += [rng.randint(story_bounds["lo"], story_bounds["hi"]) for _ in range(30)]
    return {
        "category": Category.objects.get(pk=top_category).slug,
        "topic": Topic.objects.get(pk=top_topic["topic_id"]).slug,
        "source": Source.objects.get(pk=top_source["source_id"]).slug,
        "articles": article_ids,
        "stories": story_ids,
        "deep_offset": size // 2,
    }


def _routes(targets: dict[str, Any], client: Any, search: bool) -> list[tuple[str, Callable[[int], str]]]:
    """(route name, i -> the i-th URL to ask); a list route asks the same URL, a detail route walks its ids."""
    articles, stories = targets["articles"], targets["stories"]
    deep = f"/api/articles?limit=50&offset={targets['deep_offset']}"
    # The deep page as a client reaches it: the `next` link of the page before it (keyset when the API gives
    # one, the offset link otherwise), taken once, untimed.
    deep_next = client.get(f"/api/articles?limit=50&offset={targets['deep_offset'] - 50}").json()["next"]
    deep_next = _local(deep_next)
    stories_next = client.get(f"/api/stories?limit=50&offset={targets['deep_offset'] // 2}").json()["next"]
    routes: list[tuple[str, Callable[[int], str]]] = [
        ("home", lambda i: "/"),
        ("category page", lambda i: f"/category/{targets['category']}/"),
        ("topic page", lambda i: f"/topic/{targets['topic']}/"),
        ("source page", lambda i: f"/source/{targets['source']}/"),
        ("story page", lambda i: f"/stories/{stories[i % len(stories)]}/"),
        ("article page", lambda i: f"/article/{articles[i % len(articles)]}/"),
        ("browse", lambda i: "/browse/"),
        ("sources list", lambda i: "/sources/"),
        ("api articles first page", lambda i: "/api/articles?limit=50"),
        ("api articles deep (next link)", lambda i: deep_next),
        ("api stories first page", lambda i: "/api/stories?limit=50"),
        ("api stories deep (next link)", lambda i: _local(stories_next)),
        ("api article", lambda i: f"/api/articles/{articles[i % len(articles)]}"),
        ("api story", lambda i: f"/api/stories/{stories[i % len(stories)]}"),
        ("api articles deep offset (legacy)", lambda i: deep),
    ]
    if search:
        routes.append(("search", lambda i: "/search/?q=minister"))
    return routes


def _local(url: str | None) -> str:
    if not url:
        raise RuntimeError("a list route gave no next link")
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


class _Limit:
    """A time limit on each request's queries: SQLite's progress handler interrupts the running statement,
    PostgreSQL's statement_timeout cancels it."""

    def __init__(self, vendor: str, seconds: float) -> None:
        self.vendor, self.seconds, self.until = vendor, seconds, float("inf")

    def arm(self) -> None:
        self.until = time.perf_counter() + self.seconds

    def disarm(self) -> None:
        self.until = float("inf")

    def expired(self) -> bool:
        return time.perf_counter() > self.until

    def check(self) -> int:
        return 1 if self.expired() else 0


def _request_limit(vendor: str, seconds: float) -> _Limit:
    from django.db import connection

    limit = _Limit(vendor, seconds)
    connection.ensure_connection()
    if vendor == "sqlite":
        connection.connection.set_progress_handler(limit.check, 20_000)
    else:
        with connection.cursor() as cursor:
            cursor.execute(f"SET statement_timeout = {int(seconds * 1000)}")
    return limit


WARM_ROUTES = {"home", "category page", "topic page", "source page", "browse", "sources list"}


def _clear_caches() -> None:
    """Every cache the pages read: each configured cache (the page cache, the shared pools, trending topics, the
    card cache's own alias) and what processes keep beside them (web.near_cache's copies of whole pages, the
    shared pools kept per generation in personalization.candidates, the newest ids of stories.newest)."""
    from django.core.cache import caches

    from tidings.personalization.candidates import reset_described
    from tidings.stories import newest
    from tidings.web.near_cache import clear_all

    for kept in caches.all():
        kept.clear()
    clear_all()
    reset_described()
    newest.forget()


def _warm(client: Any, url_of: Callable[[int], str], repeat: int, budget_s: float) -> dict[str, float]:
    """The route with the caches kept between requests (the page cache of web.page_cache, the shared pools
    and trending topics): what visitors get while nothing new arrives; one untimed request fills them."""
    _clear_caches()
    client.get(url_of(0))
    times: list[float] = []
    began_route = time.perf_counter()
    for i in range(repeat):
        began = time.perf_counter()
        client.get(url_of(i))
        times.append((time.perf_counter() - began) * 1000)
        if time.perf_counter() - began_route > budget_s:
            break
    return percentiles(times)


FROM_LINKS = " [trending from links]"  # the same page with trending counted from the links (before its rows)


def _count_trending_from_links(on: bool) -> None:
    """Home and Browse's trending topics counted from the links at request time (the definition, as before
    taxonomy.TopicTrendCount), or from the rows (on=False)."""
    from tidings.taxonomy.trend_counts import exact_counts, window_counts
    from tidings.web import catalog

    catalog._trending_topics.__defaults__ = (exact_counts if on else window_counts,)


def run_worker(
    work: Path,
    size: int,
    repeat: int,
    search: bool,
    budget_s: float,
    limit_s: float,
    only: frozenset[str] = frozenset(),
    compare_trending: bool = False,
) -> dict[str, Any]:
    with worker_database(work) as vendor:
        return _measure(vendor, size, repeat, search, budget_s, limit_s, only, compare_trending)


def _measure(
    vendor: str,
    size: int,
    repeat: int,
    search: bool,
    budget_s: float,
    limit_s: float,
    only: frozenset[str],
    compare_trending: bool,
) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    stats = build_corpus(CorpusSpec(articles=size))
    print(f"built {stats.articles:,} articles, {stats.rows:,} rows in {stats.seconds:.1f} s", flush=True)
    if vendor == "postgresql":
        analyze()  # as autovacuum would; SQLite is left as the application leaves it
    client = Client(headers={"host": "localhost"})
    targets = _targets(size, random.Random(SEED))
    routes = [r for r in _routes(targets, client, search) if not only or r[0] in only]
    if compare_trending:
        routes += [(name + FROM_LINKS, url_of) for name, url_of in routes if name in ("home", "browse")]
    results: dict[str, Any] = {}
    limit = _request_limit(vendor, limit_s)
    for name, url_of in routes:
        _count_trending_from_links(name.endswith(FROM_LINKS))
        times: list[float] = []
        slowest: tuple[float, str] = (0.0, "")
        began_route = time.perf_counter()
        timed_out = False
        warm = 0
        for i in range(WARM_UP + repeat):
            url = url_of(i)
            _clear_caches()  # server time without any kept page: what the first visitor after a change waits
            limit.arm()
            try:
                with CaptureQueriesContext(connection) as captured:
                    began = time.perf_counter()
                    response = client.get(url)
                    ms = (time.perf_counter() - began) * 1000
            except Exception as exc:  # the database gave up at the time limit
                if not limit.expired():
                    raise
                print(f"  {name}: over the {limit_s:.0f} s limit ({type(exc).__name__})", flush=True)
                timed_out = True
                break
            if response.status_code not in (200, 404):
                raise RuntimeError(f"GET {url}: {response.status_code} {response.content[:300]!r}")
            if warm < WARM_UP and ms < SLOW_WARM_UP_MS:
                warm += 1  # warm-up requests are not timed (a slow route is not warmed: it is slow anyway)
                continue
            times.append(ms)
            for q in captured.captured_queries:
                slowest = max(slowest, (float(q["time"]) * 1000, q["sql"]))
            if len(times) >= repeat or time.perf_counter() - began_route > budget_s:
                break  # a slow route: fewer requests (n in the results says how many)
        limit.disarm()
        warmed = name.removesuffix(FROM_LINKS) in WARM_ROUTES
        warm = _warm(client, url_of, repeat, budget_s) if not timed_out and warmed else None
        results[name] = {
            "warm": warm,
            **(percentiles(times) if times else {"p50": None, "p95": None, "max": None, "n": 0}),
            "timed_out": limit_s if timed_out else None,
            "url": url_of(0),
            "slowest_query_ms": round(slowest[0], 1),
            "slowest_query": slowest[1][:2000],
            "plan": explain(vendor, slowest[1]) if slowest[1] else "",
        }
        if timed_out and not times:
            print(f"  {name:36} over {limit_s:.0f} s", flush=True)
        else:
            hot = f" (caches kept: p95 {warm['p95']:.1f})" if warm else ""
            print(f"  {name:36} p50 {results[name]['p50']:8.1f} p95 {results[name]['p95']:8.1f} ms{hot}", flush=True)
    return {
        "vendor": vendor,
        "articles": size,
        "rows": stats.rows,
        "build_s": stats.seconds,
        "routes": results,
        "load_average": round(os.getloadavg()[0], 1),  # the machine's 1-minute load when the timing ended
        "pid": os.getpid(),
    }
