"""The followed pool of My News: the newest visible articles under what a reader follows, minus what they mute.

Categories and topics are read from the precomputed listing (taxonomy.ArticleListing: one row per article and
category it is listed in by taxonomy.membership's rule, or topic it is linked to, with its published_at), one
index range per followed target (index article_listing_newest: kind, target_id, published_at); sources from
Article (index article_source_newest). Each read is bounded by a time window back from now (open towards
the future) that widens until FOLLOWED_LIMIT articles are found or nothing older is left to look at, so
the rows read grow with the page, not with the history: an article older than the window is older than every
article found in it, so the newest FOLLOWED_LIMIT in the window are the newest of all. A window that found
few articles is followed by one long enough to find FOLLOWED_LIMIT at the same rate; one that reaches back
past the oldest article reads without a bound. A window is one statement: each kind's part (on PostgreSQL
categories and topics together), merged and cut to the limit by the database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connections, router
from django.db.models import Exists, OuterRef, Q, QuerySet

from tidings.articles.models import Article
from tidings.personalization.ranking import Target
from tidings.taxonomy.models import ArticleListing, ListingKind

FOLLOWED_LIMIT = 500
FIRST_SPAN = timedelta(hours=6)  # the first window, back from now
MIN_GROWTH = 4  # each next window is at least this many times longer (more when the last one found few)

Row = tuple[int, datetime, int]  # article id, published_at, source id


def _by_kind(targets: Iterable[Target]) -> dict[str, list[int]]:
    by_kind: dict[str, list[int]] = defaultdict(list)
    for kind, target_id in targets:
        by_kind[kind].append(target_id)
    return {kind: sorted(set(ids)) for kind, ids in by_kind.items()}


def _muted(article: OuterRef, mutes: dict[str, list[int]]) -> Q:
    """Rows whose article is listed under a muted category or topic (one probe of the listing's unique index
    per kind)."""
    q = Q()
    for kind in (ListingKind.CATEGORY, ListingKind.TOPIC):
        if mutes.get(kind):
            q &= ~Q(Exists(ArticleListing.objects.filter(article_id=article, kind=kind, target_id__in=mutes[kind])))
    return q


def _listed(kind: str, ids: list[int], mutes: dict[str, list[int]], since: datetime | None, limit: int) -> list[Row]:
    """The newest `limit` visible articles listed under these targets of one kind, not muted (the same rows in
    either form: _listed_probing on PostgreSQL, _listed_joined elsewhere)."""
    alias = router.db_for_read(ArticleListing)
    if connections[alias].vendor == "postgresql":
        return _listed_probing(alias, kind, ids, mutes, since, limit)
    return _listed_joined(kind, ids, mutes, since, limit)


def _listed_probing(
    alias: str, kind: str, ids: list[int], mutes: dict[str, list[int]], since: datetime | None, limit: int
) -> list[Row]:
    """PostgreSQL: the window's listing rows (index article_listing_newest), then one primary-key probe of
    Article per distinct article for visibility, source and mutes. Written as a LATERAL subquery with LIMIT 1
    so the planner cannot turn it into a join: as a join it hashed the whole article table (every row, for a
    few hundred listing rows; the cost grew with the history, not the window)."""
    sql, params = _listed_probing_sql({kind: ids}, mutes, since, limit)
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        return [tuple(row) for row in cursor.fetchall()]  # type: ignore[misc]


def _listed_probing_sql(
    targets: dict[str, list[int]], mutes: dict[str, list[int]], since: datetime | None, limit: int
) -> tuple[str, list[Any]]:
    """_listed_probing's statement and its parameters, for the targets of one kind or more ({kind: ids}: one
    listing read for categories and topics together). The window's listing rows are sorted newest first before
    Article is probed (they come from the index alone), so the probes stop once `limit` rows are found: a few
    hundred, not one per listing row of the window."""
    listing, article = ArticleListing._meta.db_table, Article._meta.db_table
    window = "" if since is None else " AND published_at >= %s"
    wanted, params = [], list[Any]()
    for kind, ids in targets.items():  # one index-only range per kind (an OR of them reads the table's rows)
        where = f"kind = %s AND target_id = ANY(%s::integer[]){window}"
        wanted.append(f"SELECT article_id, published_at FROM {listing} WHERE {where}")  # noqa: S608 (model table)
        params += [kind, ids] if since is None else [kind, ids, since]
    checks, check_params = "", list[Any]()
    if mutes.get("source"):
        checks += " AND NOT (a.source_id = ANY(%s::bigint[]))"
        check_params.append(mutes["source"])
    for muted_kind in (ListingKind.CATEGORY, ListingKind.TOPIC):
        if mutes.get(muted_kind):
            checks += (
                f" AND NOT EXISTS (SELECT 1 FROM {listing} m WHERE m.article_id = a.id"  # noqa: S608 (model tables)
                " AND m.kind = %s AND m.target_id = ANY(%s::integer[]))"
            )
            check_params += [muted_kind.value, mutes[muted_kind]]
    sql = (
        f"SELECT l.article_id, l.published_at, a.source_id FROM (SELECT DISTINCT article_id, published_at "  # noqa: S608
        f"FROM ({' UNION ALL '.join(wanted)}) w ORDER BY published_at DESC, article_id DESC) l "
        f"CROSS JOIN LATERAL (SELECT a.source_id FROM {article} a WHERE a.id = l.article_id "
        f"AND a.duplicate_of_id IS NULL{checks} LIMIT 1) a "
        "ORDER BY l.published_at DESC, l.article_id DESC LIMIT %s"
    )
    return sql, [*params, *check_params, limit]


def _listed_joined(
    kind: str, ids: list[int], mutes: dict[str, list[int]], since: datetime | None, limit: int
) -> list[Row]:
    """The ORM's join of the listing and Article (SQLite probes Article by primary key per listing row)."""
    return list(_listed_joined_query(kind, ids, mutes, since, limit))


def _listed_joined_query(
    kind: str, ids: list[int], mutes: dict[str, list[int]], since: datetime | None, limit: int
) -> QuerySet[Any]:
    rows: QuerySet[ArticleListing] = ArticleListing.objects.filter(
        kind=kind, target_id__in=ids, article__duplicate_of__isnull=True
    )
    if since is not None:
        rows = rows.filter(published_at__gte=since)
    if mutes.get("source"):
        rows = rows.exclude(article__source_id__in=mutes["source"])
    rows = rows.filter(_muted(OuterRef("article_id"), mutes))
    found = (
        rows.values_list("article_id", "published_at", "article__source_id")
        .distinct()
        .order_by("-published_at", "-article_id")[:limit]
    )
    return found


def _from_sources(ids: list[int], mutes: dict[str, list[int]], since: datetime | None, limit: int) -> list[Row]:
    return list(_from_sources_query(ids, mutes, since, limit))


def _from_sources_query(
    ids: list[int], mutes: dict[str, list[int]], since: datetime | None, limit: int
) -> QuerySet[Any]:
    articles = Article.objects.visible().filter(source_id__in=ids)
    if since is not None:
        articles = articles.filter(published_at__gte=since)
    if mutes.get("source"):
        articles = articles.exclude(source_id__in=mutes["source"])
    articles = articles.filter(_muted(OuterRef("pk"), mutes))
    return articles.newest_first().values_list("id", "published_at", "source_id")[:limit]


def newest_followed(
    follows: Iterable[Target], mutes: Iterable[Target], now: datetime, limit: int = FOLLOWED_LIMIT
) -> list[Row]:
    """The newest `limit` visible articles under any of `follows` and none of `mutes`, newest first.

    The first window ends at `now` (articles are never stored with a later time, ingest.store); the oldest
    article is read only when a window falls short, to know when the next one would hold everything.
    """
    include, exclude = _by_kind(follows), _by_kind(mutes)
    if not include:
        return []
    oldest: datetime | None = None
    span = FIRST_SPAN
    while True:
        since: datetime | None = now - span
        if span is not FIRST_SPAN:
            if oldest is None:
                visible = Article.objects.visible().order_by("published_at", "id")
                oldest = visible.values_list("published_at", flat=True).first() or now
            since = None if since is not None and since <= oldest else since
        rows = _followed_since(include, exclude, since, limit)
        if since is None or len(rows) >= limit:
            return sorted(rows.values(), key=lambda row: (row[1], row[0]), reverse=True)[:limit]
        # Found n in this span: a window long enough for `limit` at the same rate, with a margin (at least x4).
        span = span * max(MIN_GROWTH, 1.25 * limit / max(len(rows), 1))


def _followed_since(
    include: dict[str, list[int]], exclude: dict[str, list[int]], since: datetime | None, limit: int
) -> dict[int, Row]:
    """The newest `limit` of the window, by id: each kind's own newest `limit` (_listed, _from_sources), merged
    and cut by the database in one statement (a UNION of the parts: one round trip, and only the `limit` rows
    kept are sent back and turned into Python values, not up to three times as many)."""
    alias = router.db_for_read(ArticleListing)
    connection = connections[alias]
    parts: list[tuple[str, Sequence[Any]]] = []
    kinds = (ListingKind.CATEGORY.value, ListingKind.TOPIC.value)
    listed: dict[str, list[int]] = {kind: include[kind] for kind in kinds if include.get(kind)}
    if listed and connection.vendor == "postgresql":
        parts.append(_listed_probing_sql(listed, exclude, since, limit))
    else:
        parts += [_part(kind, ids, exclude, since, limit, alias) for kind, ids in listed.items()]
    if include.get("source"):
        parts.append(_part("source", include["source"], exclude, since, limit, alias))
    if not parts:
        return {}
    sql = " UNION ".join(f"SELECT * FROM ({part}) AS part{n}" for n, (part, _) in enumerate(parts))  # noqa: S608
    params = [param for _, part_params in parts for param in part_params]
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} ORDER BY 2 DESC, 1 DESC LIMIT %s", [*params, limit])
        found = cursor.fetchall()
    rows: dict[int, Row] = {}
    aware = _converter(connection)
    for article_id, published_at, source_id in found:
        if article_id not in rows:  # the same article under two kinds is one row (UNION); kept once in any case
            rows[article_id] = (article_id, aware(published_at), source_id)
    return rows


def _converter(connection: Any) -> Callable[[Any], datetime]:
    """_aware for this connection, with the common cases worked out once per statement rather than per row: the
    same values as the backend's own converter (a naive time is the connection's time zone's, an ISO text is
    read by datetime.fromisoformat, as django.utils.dateparse.parse_datetime reads it first)."""
    zone = connection.timezone if settings.USE_TZ else None

    def aware(value: Any) -> datetime:
        if isinstance(value, str):
            try:
                value = datetime.fromisoformat(value)
            except ValueError:
                return _aware(value, connection)
        if isinstance(value, datetime):
            if value.tzinfo is not None:
                return value
            if zone is not None:
                return value.replace(tzinfo=zone)
        return _aware(value, connection)

    return aware


def _part(
    kind: str, ids: list[int], mutes: dict[str, list[int]], since: datetime | None, limit: int, alias: str
) -> tuple[str, Sequence[Any]]:
    """One part of _followed_since's statement: _listed_joined_query for a listing kind, _from_sources_query for
    "source", as the ORM compiles it. The ORM compiles each shape once per process (the kind, how many ids and
    mutes of each kind, whether the window has a start, the limit: the statement's text); a part of a shape seen
    before takes that text with its parameters put in the compiler's order (_part_params; tests compare the
    two), which spares building and compiling a query per part and window."""
    shape = (alias, kind, len(ids), since is None, *(len(mutes.get(k) or ()) for k in _MUTE_KINDS), limit)
    sql = _PARTS.get(shape)
    if sql is not None:
        return sql, _part_params(kind, ids, mutes, since, connections[alias])
    if kind == "source":
        query = _from_sources_query(ids, mutes, since, limit)
    else:
        query = _listed_joined_query(kind, ids, mutes, since, limit)
    sql, params = _sql(query, alias)
    if len(_PARTS) >= PARTS_MAX:
        _PARTS.clear()
    _PARTS[shape] = sql
    return sql, params


def _part_params(
    kind: str, ids: list[int], mutes: dict[str, list[int]], since: datetime | None, connection: Any
) -> list[Any]:
    """A part's parameters in the order the ORM's compiler gives them (ids and mutes are sorted and distinct:
    _by_kind)."""
    params: list[Any] = [] if kind == "source" else [kind]
    params += ids
    if since is not None:
        params.append(connection.ops.adapt_datetimefield_value(since))
    params += mutes.get("source") or []
    for muted_kind in (ListingKind.CATEGORY, ListingKind.TOPIC):
        if mutes.get(muted_kind):
            params += [1, muted_kind, *mutes[muted_kind]]
    return params


_MUTE_KINDS = ("source", ListingKind.CATEGORY.value, ListingKind.TOPIC.value)
PARTS_MAX = 10_000  # shapes whose statement a process keeps (forgotten all at once past this)
_PARTS: dict[tuple[Any, ...], str] = {}


def _sql(query: QuerySet[Any], alias: str) -> tuple[str, Sequence[Any]]:
    return query.query.get_compiler(using=alias).as_sql()  # type: ignore[no-any-return]


def _aware(value: Any, connection: Any) -> datetime:
    """A raw published_at as the ORM returns it (SQLite gives text or a naive UTC datetime)."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value
    return connection.ops.convert_datetimefield_value(value, None, connection)  # type: ignore[no-any-return]
