"""`tidings import-text FILE... --source NAME`: import plain-text article dumps, one article per file."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tidings.ingest.text_import import FileImport, clean_source_name, import_text_files, summarize
from tidings.lib.errors import InvalidInput


class Command(BaseCommand):
    help = "Import plain-text article dumps (one article per file) under a text source."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE", help="text files, one article each")
        parser.add_argument("--source", required=True, metavar="NAME", help="source name; created if new")
        parser.add_argument(
            "--no-enrich", action="store_false", dest="enrich", help="store only; do not queue enrichment"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            source_name = clean_source_name(options["source"])
        except InvalidInput as exc:
            raise CommandError(exc.message) from None
        results = import_text_files(
            options["files"], source_name=source_name, enrich=options["enrich"], on_result=self._report
        )
        created, duplicates, failed = summarize(results)
        summary = f"{created} imported, {duplicates} already stored, {failed} failed (source “{source_name}”)"
        if failed:
            raise CommandError(summary, returncode=1)
        self.stdout.write(summary)

    def _report(self, result: FileImport) -> None:
        if result.error:
            self.stderr.write(f"error: {result.path}: {result.error}")
        elif result.duplicate:
            self.stdout.write(f"{result.path}: already stored: {result.headline}")
        else:
            self.stdout.write(f"{result.path}: imported article {result.article_id}: {result.headline}")
