"""`tidings train_categories`: train the supervised category model on editor corrections and publisher labels."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tidings.enrichment.stages.categories.training import MIN_PUBLISHER_SCORE, train_categories
from tidings.lib.errors import TidingsError


class Command(BaseCommand):
    help = "Train the category model that CategoryStage blends with its zero-shot scores."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--min-publisher-score",
            type=float,
            default=MIN_PUBLISHER_SCORE,
            help="publisher links at or above this score count as labels (default %(default)s)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = train_categories(options["min_publisher_score"])
        except (TidingsError, ValueError) as err:
            raise CommandError(getattr(err, "message", str(err))) from None
        self.stdout.write(
            f"Trained on {report.examples} articles ({report.embedded_now} embedded now); "
            f"{len(report.categories)} categories learned; saved to {report.path}"
        )
