"""`tidings backup`: a copy of the live SQLite database that restores; PostgreSQL is pointed to pg_dump."""

from __future__ import annotations

import sqlite3
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tidings.sources.models import Source

pytestmark = pytest.mark.django_db(transaction=True)  # as the command runs: no transaction open


@pytest.fixture
def on_sqlite():
    if connection.vendor != "sqlite":
        pytest.skip("`tidings backup` copies SQLite databases (PostgreSQL: pg_dump)")


def test_backup_restores_what_was_there(on_sqlite, tmp_path):
    Source.objects.create(url="https://example.org/feed", name="Kept")
    target = tmp_path / "backups" / "tidings.sqlite3"
    out = StringIO()
    call_command("backup", str(target), stdout=out)
    assert "Backed up the database to" in out.getvalue()
    assert not list(target.parent.glob("*.partial"))

    Source.objects.all().delete()
    Source.objects.create(url="https://example.org/later", name="Added after the backup")
    # Restore: the backup's pages copied over the live database (what copying the file back does to a stopped one).
    backup = sqlite3.connect(target)
    try:
        assert backup.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        backup.backup(connection.connection)
    finally:
        backup.close()
    assert list(Source.objects.values_list("name", flat=True)) == ["Kept"]


def test_backup_refuses_to_overwrite_without_force(on_sqlite, tmp_path):
    target = tmp_path / "tidings.sqlite3"
    target.write_bytes(b"an older backup")
    with pytest.raises(CommandError, match="exists; pass --force"):
        call_command("backup", str(target))
    assert target.read_bytes() == b"an older backup"
    call_command("backup", str(target), "--force", stdout=StringIO())
    assert sqlite3.connect(target).execute("SELECT count(*) FROM django_migrations").fetchone()[0] > 0


def test_backup_on_postgresql_points_to_pg_dump(tmp_path):
    if connection.vendor == "sqlite":
        pytest.skip("runs on PostgreSQL (scripts/with-postgres)")
    with pytest.raises(CommandError, match="pg_dump"):
        call_command("backup", str(tmp_path / "x"))
