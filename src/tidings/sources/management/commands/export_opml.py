"""`tidings export_opml [-o FILE]`: every source as OPML 2.0 with its folder, to standard output by default."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tidings.sources.opml_import import export_opml


class Command(BaseCommand):
    help = "Write every source as an OPML 2.0 subscription list (folders kept) to standard output or a file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", default="-", help="the file to write (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        data = export_opml()
        target = options["output"]
        if target == "-":
            self.stdout.write(data.decode("utf-8"), ending="")
            return
        try:
            Path(target).write_bytes(data)
        except OSError as err:
            raise CommandError(f"cannot write {target}: {err.strerror or err}", returncode=1) from None
        self.stderr.write(f"Wrote {target}.")
