"""`tidings import_opml FILE`: add every feed of an OPML file as a source, with a progress bar."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm
from tqdm.contrib.logging import logging_redirect_tqdm

from tidings.lib.errors import ParseError
from tidings.sources.opml import MAX_OPML_BYTES
from tidings.sources.opml_import import ImportProgress, ImportReport, import_opml


class Command(BaseCommand):
    help = (
        "Import an OPML subscription list: good feeds become sources (first refresh queued), "
        "bad entries are listed with the reason. Exits with status 1 only if the file cannot be read."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the OPML file, or - to read standard input")
        parser.add_argument("--no-progress", action="store_true", help="do not draw the progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        data = read_file(options["file"])
        # The bar goes to standard error and only on a terminal (disable=None), so output stays clean in pipes;
        # log lines are printed above it instead of through it.
        with (
            tqdm(
                desc="Importing", unit="feed", file=sys.stderr, disable=True if options["no_progress"] else None
            ) as bar,
            logging_redirect_tqdm(),
        ):

            def advance(progress: ImportProgress) -> None:
                bar.total = progress.total
                bar.update(progress.done - bar.n)

            try:
                report = import_opml(data, on_progress=advance)
            except ParseError as err:
                raise CommandError(f"cannot import {options['file']}: {err.message}", returncode=1) from None
        self.print_report(report)

    def print_report(self, report: ImportReport) -> None:
        title = f" “{report.title}”" if report.title else ""
        self.stdout.write(f"Imported{title}: {report.summary()}.")
        if report.warning:
            self.stdout.write(self.style.WARNING(f"Warning: {report.warning}."))
        if report.folders:
            self.stdout.write(f"Folders: {', '.join(report.folders)}")
        if report.errors:
            self.stdout.write("Not imported:")
            for error in report.errors:
                url = f" [{error.url}]" if error.url and error.url not in error.reason else ""
                self.stdout.write(f"  {error.describe()}{url}")


def read_file(name: str) -> bytes:
    """The file's bytes (at most one byte over the OPML limit, so a huge file is refused without reading it all)."""
    try:
        if name == "-":
            return sys.stdin.buffer.read(MAX_OPML_BYTES + 1)
        with Path(name).open("rb") as handle:
            return handle.read(MAX_OPML_BYTES + 1)
    except OSError as err:
        raise CommandError(f"cannot read {name}: {err.strerror or err}", returncode=1) from None
