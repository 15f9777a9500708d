"""`tidings refresh [--all | SOURCE_ID ...]`: refresh sources now, concurrently (the engine), with a progress bar."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from tidings.ingest.refresh import refresh_sources
from tidings.ingest.types import RefreshOutcome
from tidings.sources.models import Source


class Command(BaseCommand):
    help = "Refresh sources inline: the given ids, every active source (--all), or by default those that are due."
    # System checks import every URLconf and API router (~1.5 s); a refresh needs none of them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source_ids", nargs="*", type=int, metavar="SOURCE_ID")
        parser.add_argument("--all", action="store_true", help="every active, unpaused source with an address")

    def handle(self, *args: Any, **options: Any) -> None:
        ids: list[int] = options["source_ids"]
        if ids and options["all"]:
            raise CommandError("give source ids or --all, not both")
        if ids:
            missing = sorted(set(ids) - set(Source.objects.filter(pk__in=ids).values_list("pk", flat=True)))
            if missing:
                raise CommandError(f"no source with id {', '.join(map(str, missing))}")
        elif options["all"]:
            active = Source.objects.filter(is_active=True, paused_reason="").exclude(url="")
            ids = list(active.values_list("pk", flat=True))
        else:
            ids = list(Source.objects.due().values_list("pk", flat=True))
        if not ids:
            self.stdout.write("Nothing to refresh.")
            return
        names = dict(Source.objects.filter(pk__in=ids).values_list("pk", "name"))
        with tqdm(total=len(ids), desc="refreshing", unit="source", file=self.stderr, disable=None) as bar:

            def progress(outcome: RefreshOutcome) -> None:
                bar.update(1)
                if outcome.failed:
                    paused = " (paused)" if outcome.status == "paused" else ""
                    with tqdm.external_write_mode(file=self.stderr):  # print above the bar, not through it
                        self.stdout.write(
                            f"#{outcome.source_id} {names.get(outcome.source_id, '?')}: {outcome.error}{paused}"
                        )

            outcomes = refresh_sources(ids, progress=progress)
        self.stdout.write(_summary(outcomes))


def _summary(outcomes: list[RefreshOutcome]) -> str:
    ok = sum(o.status == "ok" for o in outcomes)
    unchanged = sum(o.status == "not_modified" for o in outcomes)
    failed = sum(o.failed for o in outcomes)
    created = sum(o.created for o in outcomes)
    return (
        f"Refreshed {len(outcomes)} source{'s' if len(outcomes) != 1 else ''}: {ok} ok, {unchanged} not modified, "
        f"{failed} failed; {created} new article{'s' if created != 1 else ''}."
    )
