"""A throwaway database for a benchmark that needs Django: set up in a temporary folder, torn down after.

    with bench_database("counts") as (vendor, work):
        ...

SQLite gets a file in `work`; on PostgreSQL (TIDINGS_DATABASE_URL, e.g. under scripts/with-postgres) Django's
test database is created and destroyed. `work` is deleted at the end either way.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(work: Path) -> str:
    """Django set up with its var dir in `work` and a fresh test database; returns the database vendor."""
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tidings.settings")
    os.environ["TIDINGS_VAR_DIR"] = str(work / "var")
    import django

    django.setup()
    from django.db import connection

    if connection.vendor == "sqlite":
        connection.settings_dict["TEST"]["NAME"] = str(work / "bench.sqlite3")
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    return connection.vendor


@contextmanager
def bench_database(name: str) -> Iterator[tuple[str, Path]]:
    """(vendor, work folder) for the benchmark's run; the database and the folder are gone afterwards."""
    work = Path(tempfile.mkdtemp(prefix=f"tidings-bench-{name}-"))
    try:
        yield setup_django(work), work
    finally:
        if "django" in sys.modules:
            from django.db import connection

            if connection.settings_dict.get("NAME") and connection.vendor != "sqlite":
                connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)
        shutil.rmtree(work, ignore_errors=True)
