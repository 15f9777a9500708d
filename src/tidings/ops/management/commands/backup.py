"""`tidings backup FILE`: a consistent copy of the SQLite database while Tidings runs (PostgreSQL: pg_dump)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from tidings.ops.backup import backup_sqlite


class Command(BaseCommand):
    help = "Back up the SQLite database to FILE without stopping Tidings (for PostgreSQL use pg_dump)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="where to write the backup (a new file, or one to replace with --force)")
        parser.add_argument("--force", action="store_true", help="replace FILE if it exists")

    def handle(self, *args: Any, **options: Any) -> None:
        target = Path(options["file"]).expanduser()
        if connection.vendor != "sqlite":
            raise CommandError(
                f"`tidings backup` copies SQLite databases; this one is {connection.vendor}. Use "
                "pg_dump --format=custom (see README, Running in production: Backups)."
            )
        if target.is_dir():
            raise CommandError(f"{target} is a folder: give a file name, e.g. {target / 'tidings.sqlite3'}")
        if target.exists() and not options["force"]:
            raise CommandError(f"{target} exists; pass --force to replace it")
        connection.ensure_connection()
        try:
            size = backup_sqlite(connection.connection, target)
        except (OSError, sqlite3.Error) as err:
            raise CommandError(f"backup to {target} failed: {err}") from None
        self.stdout.write(f"Backed up the database to {target} ({size / 1_048_576:.1f} MiB).")
