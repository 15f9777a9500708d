"""Fast row writers for benchmark corpora: COPY on PostgreSQL, executemany on SQLite, explicit ids (benchmarks only).

The rows skip the ORM (no save(), no signals, no field validation): the caller gives column values already in
the database's form except datetimes (aware, UTC), which are converted here. Never used by the application.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models


def _column(model: type[models.Model], name: str) -> str:
    return str(model._meta.get_field(name).column)


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat(" ")  # Django stores naive UTC text on SQLite
    if isinstance(value, bool):
        return int(value)
    return value


def insert_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write the rows (values in `fields` order) into the model's table; returns how many."""
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(_column(model, f)) for f in fields)
    count = 0
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        return count
    marks = ", ".join("?" for _ in fields)
    converted = [tuple(row) for row in rows]
    if converted:  # only the columns that hold datetimes or booleans need converting
        odd = [i for i, v in enumerate(converted[0]) if isinstance(v, datetime | bool)]
        if odd:
            for n, row in enumerate(converted):
                values = list(row)
                for i in odd:
                    values[i] = _sqlite_value(values[i])
                converted[n] = tuple(values)
    connection.connection.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", converted)
    return len(converted)


def next_id(model: type[models.Model]) -> int:
    """One more than the highest id in the table (the caller writes ids itself)."""
    found = model.objects.aggregate(top=models.Max("pk"))["top"]
    return int(found or 0) + 1


def reset_sequences(model_list: Sequence[type[models.Model]]) -> None:
    """After explicit ids on PostgreSQL, the id sequences continue from the highest id (no-op on SQLite)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(model_list))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def fast_load_pragmas() -> None:
    """SQLite: no fsync and a larger page cache for this connection while loading (a throwaway database)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-1048576")  # 1 GiB: the link tables' indexes take random inserts


def analyze() -> None:
    """Fresh planner statistics: VACUUM ANALYZE on PostgreSQL (autovacuum would do it); ANALYZE on SQLite."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
