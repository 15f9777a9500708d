"""Article counts of the Sources list and the Browse tree, stored (taxonomy.ArticleCount) and capped at COUNT_CAP:
per source its visible articles, per category the visible articles listed under it (sub-categories included,
through taxonomy.ArticleListing, as its page lists them). A count over the cap is stored as the cap (the pages
show "1,000+"), so every recount is one index range of at most COUNT_CAP visible entries, at any corpus size,
and a page reads every count in one query whatever the corpus holds.

Who keeps them right, and how they stay exact with several writers (the argument of stories.coverage):
- ingest recounts the source of the articles it stored (ingest.store), listing writes the categories whose rows
  they changed (taxonomy.listing.relist), a change of which articles are near-duplicates the sources and
  categories of the articles concerned (stories.neardup_service; an Article saved with another duplicate_of,
  and an article deleted with its duplicates, through taxonomy.signals);
- each of those recounts after the change commits (recount_after_commit), in short transactions that first
  hold the targets' rows (an INSERT that leaves existing rows alone, then PostgreSQL's row locks in target
  order; SQLite's write lock covers both) and only then count (READ COMMITTED: a new snapshot per statement).
  The last writer of a count has seen every committed change of its target.
- a periodic job (ops.periodic "article_counts") recounts every target the same way and drops the rows of
  targets that are gone: the safety net for bulk deletes and writes that reach no signal.
A target without a row yet (a source added since the last recount) is counted live by `counts`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

from django.db import connections, router, transaction

from tidings.taxonomy.models import ArticleCount, ArticleListing, Category, CountKind, ListingKind

COUNT_CAP = 1000
CHUNK = 25  # targets recounted per transaction (each count: at most COUNT_CAP index entries)


def _article() -> Any:
    """The Article model, through the listing's foreign key: taxonomy does not import articles (articles.models
    imports taxonomy.membership), nor sources."""
    return ArticleListing._meta.get_field("article").related_model


def _source() -> Any:
    return _article()._meta.get_field("source").related_model


def _tables() -> dict[str, str]:
    return {
        "article": _article()._meta.db_table,
        "listing": ArticleListing._meta.db_table,
        "counts": ArticleCount._meta.db_table,
    }


# Only table names (constants) and the target ("%s" or a column) are formatted in. CROSS JOIN keeps SQLite (no
# statistics) reading the category's listing range first; PostgreSQL plans it as the inner join it is.
COUNT_SQL = {
    CountKind.SOURCE.value: (
        "SELECT COUNT(*) FROM (SELECT 1 FROM {article} a WHERE a.source_id = {target} AND a.duplicate_of_id IS NULL "
        "LIMIT %s) capped"
    ),
    CountKind.CATEGORY.value: (
        "SELECT COUNT(*) FROM (SELECT 1 FROM {listing} l CROSS JOIN {article} a WHERE a.id = l.article_id "
        "AND l.kind = 'category' AND l.target_id = {target} AND a.duplicate_of_id IS NULL "
        "LIMIT %s) capped"
    ),
}


def count_of(kind: str, target_id: int, cap: int | None = None) -> int:
    """The target's visible articles counted now, up to the cap (one bounded index range)."""
    cap = COUNT_CAP if cap is None else cap
    with connections[router.db_for_read(ArticleCount)].cursor() as cursor:
        cursor.execute(COUNT_SQL[kind].format(**_tables(), target="%s"), [int(target_id), cap])
        return int(cursor.fetchone()[0])


def _target_model(kind: str) -> Any:
    return _source() if kind == CountKind.SOURCE.value else Category


def count_live(kind: str, target_ids: Iterable[int]) -> dict[int, int]:
    """These targets' counts counted now, up to the cap: one query (500 targets a query), a bounded index range
    per target."""
    ids = sorted({int(pk) for pk in target_ids})
    found: dict[int, int] = {}
    with connections[router.db_for_read(ArticleCount)].cursor() as cursor:
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            count = COUNT_SQL[kind].format(**_tables(), target="t.id")
            table = _target_model(kind)._meta.db_table
            cursor.execute(
                f"SELECT t.id, ({count}) FROM {table} t WHERE t.id IN ({', '.join(['%s'] * len(chunk))})",  # noqa: S608
                [COUNT_CAP, *chunk],
            )
            found.update({int(pk): int(n) for pk, n in cursor.fetchall()})
    return found


def stored(kind: str) -> dict[int, int]:
    """Every stored count of this kind (one query)."""
    return dict(ArticleCount.objects.filter(kind=kind).values_list("target_id", "count"))


def counts(kind: str, target_ids: Iterable[int]) -> dict[int, int]:
    """These targets' counts: the stored ones in one query, a target without a row counted live."""
    ids = [int(pk) for pk in target_ids]
    found = stored(kind)
    missing = [pk for pk in ids if pk not in found]
    if missing:
        found |= count_live(kind, missing)
    return {pk: found.get(pk, 0) for pk in ids}


def recount(kind: str, target_ids: Iterable[int], *, grows: bool = False) -> None:
    """Recount these targets now and store the counts, CHUNK targets per short transaction holding their rows.
    `grows`: the change only added articles to them, so a target stored at the cap stays there, uncounted (read
    under the row's lock: a recount of a removal that has not written yet counts after this one commits)."""
    ids = sorted({int(pk) for pk in target_ids})
    alias = router.db_for_write(ArticleCount)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        with transaction.atomic(using=alias):
            rows = ArticleCount.objects.using(alias)
            rows.bulk_create([ArticleCount(kind=kind, target_id=pk, count=0) for pk in chunk], ignore_conflicts=True)
            mine = rows.filter(kind=kind, target_id__in=chunk).order_by("target_id")
            if connections[alias].vendor == "postgresql":
                mine = mine.select_for_update()
            held = dict(mine.values_list("target_id", "count"))
            for pk in chunk:
                if not (grows and held.get(pk, 0) >= COUNT_CAP):
                    rows.filter(kind=kind, target_id=pk).update(count=count_of(kind, pk))


_pending = threading.local()


def _pending_targets() -> dict[tuple[str, int], bool]:
    """This thread's targets noted and not recounted yet, each with whether every change noted only added."""
    if not hasattr(_pending, "targets"):
        _pending.targets = {}
    return _pending.targets  # type: ignore[no-any-return]


def _recount_pending(targets: frozenset[tuple[str, int]]) -> None:
    pending = _pending_targets()
    due = {target: pending.pop(target) for target in targets if target in pending}  # not recounted yet
    for kind, grows in sorted({(kind, grows) for (kind, _), grows in due.items()}):
        recount(kind, [pk for (k, pk), g in due.items() if (k, g) == (kind, grows)], grows=grows)


def recount_after_commit(kind: str, target_ids: Iterable[int], *, grows: bool = False) -> None:
    """Recount these targets once the current transaction commits (at once outside one; never after a
    rollback). A target noted many times in one transaction (a bulk delete: once per article) is recounted once,
    by the first callback that names it (`grows`, see recount, only when every change noted for it grows)."""
    targets = frozenset((kind, int(pk)) for pk in target_ids)
    if targets:
        pending = _pending_targets()
        for target in targets:
            pending[target] = pending.get(target, True) and grows
        transaction.on_commit(lambda: _recount_pending(targets), using=router.db_for_write(ArticleCount))


def categories_of(article_ids: Iterable[int]) -> set[int]:
    """The categories these articles are listed under (the listing's unique index, 500 articles a query).

    Made distinct here, not by SQL: with DISTINCT, SQLite (no statistics) read every category row of the
    listing through article_listing_newest, which yields target ids in order (184 ms a call at 1M articles,
    most of a refresh's time; issue 17)."""
    ids = sorted({int(pk) for pk in article_ids})
    found: set[int] = set()
    for i in range(0, len(ids), 500):
        rows = ArticleListing.objects.filter(kind=ListingKind.CATEGORY.value, article_id__in=ids[i : i + 500])
        found.update(rows.order_by().values_list("target_id", flat=True))
    return found


def sources_of(article_ids: Iterable[int]) -> set[int]:
    ids = sorted({int(pk) for pk in article_ids})
    found: set[int] = set()
    for i in range(0, len(ids), 500):
        found.update(_article().objects.filter(pk__in=ids[i : i + 500]).order_by().values_list("source_id", flat=True))
    return found


def articles_changed(article_ids: Iterable[int]) -> None:
    """These articles changed visibility (near-duplicates marked or unmarked, or about to be deleted): their
    sources and categories are recounted after the commit. Read now, while the articles and their listing rows
    still exist."""
    ids = {int(pk) for pk in article_ids}
    recount_after_commit(CountKind.SOURCE.value, sources_of(ids))
    recount_after_commit(CountKind.CATEGORY.value, categories_of(ids))


def recount_all() -> int:
    """Recount every source and category (the periodic job: repairs what no signal saw, such as bulk deletes)
    and drop the rows of targets that are gone; returns the targets recounted."""
    targets = {kind: set(_target_model(kind).objects.values_list("pk", flat=True)) for kind in CountKind.values}
    for kind, ids in targets.items():
        ArticleCount.objects.filter(kind=kind).exclude(target_id__in=sorted(ids)).delete()
        recount(kind, ids)
    return sum(len(ids) for ids in targets.values())


def fill_all() -> None:
    """Replace every stored count in two INSERT ... SELECT (a corpus loaded by SQL with nothing else writing; the
    fill migration's SQL)."""
    tables = _tables() | {"source": _source()._meta.db_table, "category": Category._meta.db_table}
    alias = router.db_for_write(ArticleCount)
    with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
        ArticleCount.objects.using(alias).all()._raw_delete(alias)
        for sql in FILL_SQL:
            cursor.execute(sql.format(**tables), [COUNT_CAP])


FILL_SQL = (
    "INSERT INTO {counts} (kind, target_id, count) SELECT 'source', s.id, (SELECT COUNT(*) FROM (SELECT 1 FROM "
    "{article} a WHERE a.source_id = s.id AND a.duplicate_of_id IS NULL LIMIT %s) capped) FROM {source} s",
    "INSERT INTO {counts} (kind, target_id, count) SELECT 'category', c.id, (SELECT COUNT(*) FROM (SELECT 1 FROM "
    "{listing} l CROSS JOIN {article} a WHERE a.id = l.article_id AND l.kind = 'category' AND l.target_id = c.id "
    "AND a.duplicate_of_id IS NULL LIMIT %s) capped) FROM {category} c",
)
