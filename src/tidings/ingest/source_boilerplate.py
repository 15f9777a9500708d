"""Edge: learn a source's repeated lines from each new article and strip them (state in Source.boilerplate)."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.db import connections, router, transaction

from tidings.ingest.boilerplate import (
    BoilerplateState,
    from_json,
    keys_of,
    learn_keys,
    paragraph_line_keys,
    strip_repeated,
    to_json,
)
from tidings.sources.models import Source

logger = logging.getLogger(__name__)


def learn_and_strip(source_id: int, paragraphs: Sequence[str]) -> tuple[str, ...]:
    """Learn one article of the source, store the state, and return its paragraphs without boilerplate."""
    return learn_and_strip_many(source_id, [paragraphs])[0]


def learn_and_strip_many(
    source_id: int,
    articles: Sequence[Sequence[str]],
    line_keys: Sequence[Sequence[Sequence[str]]] | None = None,
) -> list[tuple[str, ...]]:
    """The same for a batch (one feed refresh): one read and one write of the source's state.

    Every article of the batch is learned first, so boilerplate that first appears in this batch is
    already stripped from it. An article left with no paragraph keeps its original ones: stripping
    must never empty an article. `line_keys` (boilerplate.paragraph_line_keys of each article, worked
    out off the storing thread) saves hashing every line here.
    """
    if line_keys is None:
        line_keys = [paragraph_line_keys(paragraphs) for paragraphs in articles]
    with transaction.atomic():
        state: BoilerplateState = from_json(_read_locked(source_id))
        for keys in line_keys:
            state = learn_keys(state, keys_of(keys))
        _write(source_id, to_json(state))
    repeated = state.repeated()
    results = []
    for paragraphs, keys in zip(articles, line_keys, strict=True):
        stripped = strip_repeated(repeated, paragraphs, keys)
        results.append(stripped or tuple(paragraphs))
    dropped = sum(len(a) - len(r) for a, r in zip(articles, results, strict=True))
    if dropped:
        logger.info("boilerplate stripped source_id=%s paragraphs=%s articles=%s", source_id, dropped, len(articles))
    return results


# Source.objects.select_for_update().filter(pk=…).values_list("boilerplate", flat=True).first() and
# .filter(pk=…).update(boilerplate=…) as two plain statements: they run once per stored feed, and the ORM's
# query building cost more than the queries. The field converts the value both ways, as the ORM does.


def _read_locked(source_id: int) -> object:
    """The source's stored state, its row locked until the transaction ends (where the database can)."""
    connection = connections[router.db_for_write(Source)]
    field = Source._meta.get_field("boilerplate")
    table, column = Source._meta.db_table, field.column
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE {Source._meta.pk.column} = %s{lock}", [source_id])  # noqa: S608
        row = cursor.fetchone()
    return None if row is None else field.from_db_value(row[0], None, connection)  # type: ignore[arg-type]


def _write(source_id: int, state: dict[str, object]) -> None:
    connection = connections[router.db_for_write(Source)]
    field = Source._meta.get_field("boilerplate")
    table, column = Source._meta.db_table, field.column
    with connection.cursor() as cursor:
        sql = f"UPDATE {table} SET {column} = %s WHERE {Source._meta.pk.column} = %s"  # noqa: S608
        cursor.execute(sql, [field.get_db_prep_save(state, connection), source_id])
