"""Trending's counts: visible articles per topic published in a window, read from precomputed hour and day rows
(TopicTrendCount) plus exact counts of the window's ragged ends, so the cost no longer follows the window's volume.

What is counted is `exact_counts`: articles that are not duplicates, published in [start, end), per topic they
name (mentions > 0) or an editor or publisher linked (not a place's roll-up, which carries no mentions). The
rows hold exactly that per UTC hour and per UTC day, and `window_counts` equals `exact_counts` for any window
(tests/taxonomy/test_trend_counts.py checks it on random data).

Keeping the rows in step: `recount_articles` recounts the hours the given articles are published in, from the
links (taxonomy.listing.relist calls it for every topic relist: the signals of single link saves and deletes,
and every bulk link writer); stories.neardup_service calls it when it changes which articles are duplicates;
an article deleted, or saved with another publication time, recounts its old hour through the signals
connected in TaxonomyConfig.ready(). `recount_all` rebuilds the table (bench corpora loaded by SQL, repair).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import connections, router, transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDay, TruncHour

from tidings.taxonomy.models import ArticleTopic, Origin, TopicTrendCount, TrendSpan


def _articles() -> Any:
    """The Article model, through the link's foreign key: taxonomy does not import articles (articles.models
    imports taxonomy.membership)."""
    return ArticleTopic._meta.get_field("article").related_model


HOUR = timedelta(hours=1)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
DAY = timedelta(days=1)

Range = tuple[datetime, datetime | None]  # [start, end), end None: no end


@dataclass(frozen=True, slots=True)
class Pieces:
    """A window cut into exact ends, whole hours and whole days (each a list of [start, end) ranges)."""

    exact: tuple[tuple[datetime, datetime], ...]
    hours: tuple[Range, ...]
    days: tuple[Range, ...]


def floor_hour(t: datetime) -> datetime:
    return t.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def floor_day(t: datetime) -> datetime:
    return floor_hour(t).replace(hour=0)


def _ceil(t: datetime, floor: datetime, step: timedelta) -> datetime:
    return floor if floor == t else floor + step


def split_window(start: datetime, end: datetime | None) -> Pieces:
    """Cut [start, end) into ragged ends counted exactly and whole UTC hours and days read from the rows (pure)."""
    h0 = _ceil(start, floor_hour(start), HOUR)
    if end is not None and h0 >= end:
        return Pieces(((start, end),) if start < end else (), (), ())
    exact = [(start, h0)] if start < h0 else []
    d0 = _ceil(h0, floor_day(h0), DAY)
    if end is None:
        return Pieces(tuple(exact), ((h0, d0),) if h0 < d0 else (), ((d0, None),))
    h1 = floor_hour(end)
    if h1 < end:
        exact.append((h1, end))
    d1 = floor_day(h1)
    if d0 <= d1:
        hours = [r for r in ((h0, d0), (d1, h1)) if r[0] < r[1]]
        return Pieces(tuple(exact), tuple(hours), ((d0, d1),) if d0 < d1 else ())
    return Pieces(tuple(exact), ((h0, h1),) if h0 < h1 else (), ())


def _counted_links() -> Q:
    return Q(mentions__gt=0) | ~Q(origin=Origin.MODEL)


def exact_counts(start: datetime, end: datetime | None, topics: Iterable[int] | None = None) -> dict[int, int]:
    """Visible articles per topic published in [start, end), from the links (the definition; slow on a wide window).

    Read from the window's articles (the article_visible_newest range) to their links: the article ids are an
    IN subquery the databases walk first.
    """
    rows = dict(exact_query(start, end).values_list("topic_id", "n"))
    if topics is None:
        return rows
    # Filtered here, not in SQL: a topic IN list turned SQLite from the window's articles to the topics' links.
    wanted = set(topics)
    return {pk: n for pk, n in rows.items() if pk in wanted}


def exact_query(start: datetime, end: datetime | None) -> Any:
    """exact_counts' query: (topic_id, n) rows, visible articles per topic published in [start, end)."""
    window = _articles().objects.filter(duplicate_of__isnull=True, published_at__gte=start)
    if end is not None:
        window = window.filter(published_at__lt=end)
    links = ArticleTopic.objects.filter(_counted_links(), article_id__in=window.values("pk"))
    return links.values("topic_id").annotate(n=Count("article_id", distinct=True)).order_by()


def window_sql(start: datetime, end: datetime | None) -> tuple[str, list[Any]]:
    """window_counts(start, end) as one SQL query and its parameters, (topic_id, n) rows to be summed per topic,
    for a reader that goes on in SQL (taxonomy.trend_read): the rows' ranges and the exact ends (exact_query),
    each a branch of a UNION ALL."""
    pieces = split_window(start, end)
    ranges = [(TrendSpan.HOUR, r) for r in pieces.hours] + [(TrendSpan.DAY, r) for r in pieces.days]
    branches, params = _row_branches(ranges, None)
    for i, (s, e) in enumerate(pieces.exact):
        sql, exact_params = exact_query(s, e).query.sql_with_params()
        # n as an integer like the rows' n: PostgreSQL's SUM of a bigint (COUNT) is a numeric, slow to add.
        branches.append(f"SELECT e{i}.topic_id, CAST(e{i}.n AS INTEGER) FROM ({sql}) e{i}")  # noqa: S608
        params += exact_params
    if not branches:  # an empty window
        return "SELECT 0 AS topic_id, 0 AS n WHERE 1 = 0", []
    return " UNION ALL ".join(branches), params


def _row_branches(ranges: list[tuple[TrendSpan, Range]], topics: list[int] | None) -> tuple[list[str], list[Any]]:
    """One SELECT (topic_id, n) of the rows per (span, [start, end)) range, each read from the
    topic_trend_count_sum index alone: with the ranges OR-ed in one WHERE, PostgreSQL combined bitmaps of the
    index and then read the rows from the table, one page per row (~26,000 rows of a 48-hour window at 10,000
    articles a day)."""
    ops = connections[router.db_for_read(TopicTrendCount)].ops
    table = TopicTrendCount._meta.db_table
    only = "" if topics is None else f" AND topic_id IN ({', '.join(['%s'] * len(topics))})"
    branches: list[str] = []
    params: list[Any] = []
    for span, (start, end) in ranges:
        bounds = "start >= %s" + ("" if end is None else " AND start < %s")
        branches.append(f"SELECT topic_id, n FROM {table} WHERE span = %s AND {bounds}{only}")  # noqa: S608
        params += [int(span), ops.adapt_datetimefield_value(start)]
        params += [] if end is None else [ops.adapt_datetimefield_value(end)]
        params += topics or []
    return branches, params


def _row_sums(ranges: list[tuple[TrendSpan, Range]], topics: list[int] | None) -> dict[int, int]:
    """SUM(n) per topic over the rows of these (span, [start, end)) ranges (a UNION ALL of _row_branches), in
    SQL written here: the ORM's preparation of each of a few thousand topic ids and its converter on each summed
    row were most of the read's time."""
    if topics is not None and not topics:
        return {}
    branches, params = _row_branches(ranges, topics)
    sql = f"SELECT topic_id, SUM(n) FROM ({' UNION ALL '.join(branches)}) AS counted GROUP BY topic_id"  # noqa: S608
    with connections[router.db_for_read(TopicTrendCount)].cursor() as cursor:
        cursor.execute(sql, params)
        # Both databases give ints here (SUM of an integer column: bigint on PostgreSQL): no conversion per row.
        return dict(cursor.fetchall())


def window_counts(start: datetime, end: datetime | None, topics: Iterable[int] | None = None) -> dict[int, int]:
    """What exact_counts(start, end, topics) returns, read from the rows: one sum over at most ~14 days' and 47
    hours' rows for a two-week window, and an exact count of at most two hours' articles at the ends. `topics`:
    only these topics (None: all)."""
    wanted = None if topics is None else sorted(set(topics))
    pieces = split_window(start, end)
    ranges = [(TrendSpan.HOUR, r) for r in pieces.hours] + [(TrendSpan.DAY, r) for r in pieces.days]
    # The rows' sums (thousands of topics) are the total the exact ends (an hour or two of articles) add to.
    total = _row_sums(ranges, wanted) if ranges else {}
    for s, e in pieces.exact:
        for pk, n in exact_counts(s, e, wanted).items():
            total[pk] = total.get(pk, 0) + n
    return total


def _write(span: TrendSpan, start: datetime, counts: Mapping[int, int], topics: Iterable[int]) -> None:
    """Set the rows of these topics in one bucket to `counts` (a zero count: no row)."""
    topics = sorted(set(topics))
    for i in range(0, len(topics), 500):
        TopicTrendCount.objects.filter(span=span, start=start, topic_id__in=topics[i : i + 500]).delete()
    TopicTrendCount.objects.bulk_create(
        [TopicTrendCount(span=span, start=start, topic_id=t, n=counts[t]) for t in topics if counts.get(t, 0) > 0]
    )


# pg_advisory_xact_lock(TREND_LOCK_SPACE, day number): one recount of a UTC day's rows at a time (PostgreSQL).
TREND_LOCK_SPACE = 0x7472  # "tr"
_deferred = threading.local()


def _lock_days(alias: str, days: Iterable[datetime]) -> None:
    """Wait for other transactions recounting these days (all of them taken in one order: no deadlock); held
    until this transaction ends, so a count made after it sees every link committed before."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return  # SQLite: one writer at a time anyway
    with connection.cursor() as cursor:
        for day in sorted(set(days)):
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [TREND_LOCK_SPACE, (day - EPOCH).days])


def recount_hours(hours: Iterable[datetime]) -> None:
    """Recount these UTC hours from the links, and the days they are in for the topics whose count changed.

    Concurrent recounts of one day take turns (an advisory lock per day on PostgreSQL): each counts after the
    other's links are committed, and neither rewrites rows the other is rewriting."""
    alias = router.db_for_write(TopicTrendCount)
    wanted = sorted({floor_hour(h) for h in hours})
    if not wanted:
        return
    with transaction.atomic(using=alias):
        _lock_days(alias, (floor_day(h) for h in wanted))
        for hour in wanted:
            new = exact_counts(hour, hour + HOUR)
            old = dict(TopicTrendCount.objects.filter(span=TrendSpan.HOUR, start=hour).values_list("topic_id", "n"))
            changed = sorted(t for t in {*new, *old} if new.get(t, 0) != old.get(t, 0))
            if not changed:
                continue
            _write(TrendSpan.HOUR, hour, new, changed)
            day = floor_day(hour)
            sums: dict[int, int] = {}
            for i in range(0, len(changed), 500):
                part = (
                    TopicTrendCount.objects.filter(
                        span=TrendSpan.HOUR, start__gte=day, start__lt=day + DAY, topic_id__in=changed[i : i + 500]
                    )
                    .values("topic_id")
                    .annotate(s=Sum("n"))
                    .values_list("topic_id", "s")
                )
                sums.update(part)
            _write(TrendSpan.DAY, day, sums, changed)


def recount_articles(article_ids: Iterable[int]) -> None:
    """Recount the hours these articles are published in (articles that no longer exist are skipped: a deleted
    article's hour is recounted by the delete signal, which still knows it). Inside recount_deferred(): noted,
    and recounted when it ends."""
    pending: set[int] | None = getattr(_deferred, "ids", None)
    if pending is not None:
        pending.update(int(pk) for pk in article_ids)
        return
    ids = sorted({int(pk) for pk in article_ids})
    hours: set[datetime] = set()
    for i in range(0, len(ids), 500):
        found = _articles().objects.filter(pk__in=ids[i : i + 500]).values_list("published_at", flat=True)
        hours.update(floor_hour(t) for t in found)
    if hours:
        recount_hours(hours)


@contextlib.contextmanager
def recount_deferred() -> Iterator[None]:
    """Within it, recount_articles() only notes the articles; their hours are recounted once, together, as it
    ends (still inside the caller's transaction), so a transaction that writes the links of several articles
    takes the days' locks once and in order instead of article by article. Nested uses join the outer one."""
    if getattr(_deferred, "ids", None) is not None:
        yield
        return
    _deferred.ids = set()
    try:
        yield
        ids = _deferred.ids
    finally:
        _deferred.ids = None
    if ids:
        recount_articles(ids)


def recount_all() -> None:
    """Rebuild the table from the links: two INSERT ... SELECT (hours from the links, days from the hours)."""
    alias = router.db_for_write(TopicTrendCount)
    table = TopicTrendCount._meta.db_table
    visible = _articles().objects.filter(duplicate_of__isnull=True)
    hours = (
        ArticleTopic.objects.filter(_counted_links(), article_id__in=visible.values("pk"))
        .annotate(bucket=TruncHour("article__published_at", tzinfo=UTC))
        .values("bucket", "topic_id")
        .annotate(n=Count("article_id", distinct=True))
        .order_by()
    )
    days = (
        TopicTrendCount.objects.filter(span=TrendSpan.HOUR)
        .annotate(bucket=TruncDay("start", tzinfo=UTC))
        .values("bucket", "topic_id")
        .annotate(s=Sum("n"))
        .order_by()
    )
    with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
        TopicTrendCount.objects.using(alias).all()._raw_delete(alias)
        for span, query, n in ((TrendSpan.HOUR, hours, "n"), (TrendSpan.DAY, days, "s")):
            sql, params = query.query.sql_with_params()
            cursor.execute(
                f"INSERT INTO {table} (span, start, topic_id, n) "  # noqa: S608 (no input in the SQL)
                f"SELECT %s, q.bucket, q.topic_id, q.{n} FROM ({sql}) q",
                (int(span), *params),
            )
