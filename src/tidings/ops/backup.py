"""Online backup of a SQLite database (sqlite3's backup API): a consistent copy while Tidings keeps running."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path


def backup_sqlite(source: sqlite3.Connection, target: Path) -> int:
    """Copy the database open on `source` into the file `target` (written beside it, then renamed into place,
    so a half-written backup never carries the final name); returns the size in bytes."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, partial_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    os.close(fd)
    partial = Path(partial_name)
    try:
        copy = sqlite3.connect(partial)
        try:
            # All pages in one step, so inside one read transaction: under WAL, writers go on meanwhile, and a
            # write cannot restart the copy (as it would between smaller steps, over and over on a busy site).
            source.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
            problems = copy.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            copy.close()
        if problems != "ok":
            raise sqlite3.DatabaseError(f"the copy failed its check: {problems}")
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target.stat().st_size
