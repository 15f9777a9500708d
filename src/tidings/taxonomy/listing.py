"""The precomputed listing (ArticleListing): what each article is listed under, for "newest under these targets".

relist(article_ids) rewrites the rows of some articles from their links, relist_all() rebuilds the whole table;
both are one DELETE and two INSERT … SELECT, the category part built from taxonomy.membership's own pairs, so
the table and the rule cannot disagree. Single link saves and deletes reach relist() through the signals
connected in TaxonomyConfig.ready(); code that writes links in bulk (bulk_create, bulk_update, update) calls
relist() itself. A topic relist also recounts trending's hour rows of those articles (taxonomy.trend_counts), a
category relist the stored article counts of the categories whose rows changed (taxonomy.article_counts, after
the commit).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connections, router, transaction

from tidings.taxonomy import article_counts
from tidings.taxonomy.membership import listed_pairs
from tidings.taxonomy.models import ArticleListing, ArticleTopic, Category, CountKind, ListingKind
from tidings.taxonomy.trend_counts import recount_articles

_COLUMNS = "article_id, kind, target_id, published_at"


def _insert_sql(article_ids: list[int] | None, kinds: frozenset[str]) -> list[tuple[str, tuple[Any, ...]]]:
    pairs = listed_pairs(visible_only=False, article_ids=article_ids)
    pairs_sql, pairs_params = pairs.query.sql_with_params()
    table = ArticleListing._meta.db_table
    article = ArticleListing._meta.get_field("article").related_model._meta.db_table  # type: ignore[union-attr]
    links = ArticleTopic._meta.db_table
    where = ""
    topics_params: tuple[int, ...] = ()
    if article_ids is not None:
        where = f" WHERE t.article_id IN ({', '.join(['%s'] * len(article_ids))})"
        topics_params = tuple(article_ids)
    category = (
        f"INSERT INTO {table} ({_COLUMNS}) SELECT DISTINCT p.article_id, %s, p.listed_in, a.published_at "  # noqa: S608
        f"FROM ({pairs_sql}) p INNER JOIN {article} a ON a.id = p.article_id"
    )
    topic = (
        f"INSERT INTO {table} ({_COLUMNS}) SELECT DISTINCT t.article_id, %s, t.topic_id, a.published_at "  # noqa: S608
        f"FROM {links} t INNER JOIN {article} a ON a.id = t.article_id{where}"
    )
    statements = {
        ListingKind.CATEGORY.value: (category, (ListingKind.CATEGORY.value, *pairs_params)),
        ListingKind.TOPIC.value: (topic, (ListingKind.TOPIC.value, *topics_params)),
    }
    return [statement for kind, statement in statements.items() if kind in kinds]


ALL_KINDS = frozenset(ListingKind.values)


def _run(article_ids: list[int] | None, kinds: frozenset[str] = ALL_KINDS) -> None:
    alias = router.db_for_write(ArticleListing)
    counted = article_ids is not None and ListingKind.CATEGORY.value in kinds
    with transaction.atomic(using=alias, savepoint=False), connections[alias].cursor() as cursor:
        touched = article_counts.categories_of(article_ids) if counted and article_ids else set()
        rows = ArticleListing.objects.using(alias).filter(kind__in=sorted(kinds))
        (rows if article_ids is None else rows.filter(article_id__in=article_ids))._raw_delete(alias)
        for sql, params in _insert_sql(article_ids, kinds):
            cursor.execute(sql, params)
        if counted and article_ids:
            # The categories the articles left and those they joined; articles listed nowhere before (just
            # stored) only add to categories, which leaves those at the cap uncounted (article_counts.recount).
            joined = article_counts.categories_of(article_ids)
            article_counts.recount_after_commit(CountKind.CATEGORY.value, touched | joined, grows=not touched)
        elif article_ids is None and ListingKind.CATEGORY.value in kinds:
            categories = Category.objects.using(alias).values_list("pk", flat=True)
            article_counts.recount_after_commit(CountKind.CATEGORY.value, list(categories))


def relist(article_ids: Iterable[int], kinds: Iterable[str] = ALL_KINDS) -> None:
    """Rewrite the listing rows of these articles from their current links (of these kinds only: "category",
    "topic")."""
    ids, wanted = sorted({int(pk) for pk in article_ids}), frozenset(kinds)
    for start in range(0, len(ids), 500):
        _run(ids[start : start + 500], wanted)
    if ListingKind.TOPIC.value in wanted:
        recount_articles(ids)


def relist_all() -> None:
    """Rebuild the whole table (after loading a taxonomy that moved categories, or to repair it)."""
    _run(None)
