"""`tidings categorize FILE` (or - for stdin): JSON lines {id, title, text} in, {id, categories} lines out."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tidings.enrichment.registry import get_pipeline
from tidings.enrichment.stages.categories.categorize import LineError, categorize_lines, category_stages
from tidings.lib.errors import TidingsError


class Command(BaseCommand):
    help = "Categorise JSON lines {id, title, text} with the configured pipeline; print {id, categories} lines."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="a JSON-lines file, or - for standard input")
        parser.add_argument("--batch-size", type=int, default=64)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")
        try:
            stages = category_stages(get_pipeline())
        except LookupError as err:
            raise CommandError(str(err)) from None
        path = options["file"]
        try:
            stream = sys.stdin if path == "-" else open(path, encoding="utf-8", errors="replace")  # noqa: SIM115
        except OSError as err:
            raise CommandError(f"cannot read {path}: {err.strerror}") from None
        failed = total = 0
        try:
            for result in categorize_lines(stream, stages, options["batch_size"]):
                total += 1
                if isinstance(result, LineError):
                    failed += 1
                    self.stderr.write(f"line {result.line}: {result.message}")
                else:
                    self.stdout.write(json.dumps(result, ensure_ascii=False))
        except TidingsError as err:
            raise CommandError(err.message) from None
        finally:
            if stream is not sys.stdin:
                stream.close()
        if failed:
            raise CommandError(f"{failed} of {total} lines could not be categorised", returncode=1)
