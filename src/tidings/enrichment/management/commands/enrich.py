"""`tidings enrich [--all | --source ID | --since DATE] [--stage NAME] [--force]`: enrich stored articles here.

Resumable: without --force only articles whose results are missing or older than the stage version run.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from tqdm import tqdm

from tidings.articles.models import Article
from tidings.enrichment.models import StageResult
from tidings.enrichment.registry import get_pipeline
from tidings.enrichment.runner import enrich_articles, select_stages
from tidings.enrichment.stage import Stage
from tidings.lib.errors import InvalidInput

CHUNK = 64


class Command(BaseCommand):
    help = "Run enrichment stages over stored articles, in this process, with a progress bar."

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--all", action="store_true", help="every stored article")
        which.add_argument("--source", type=int, metavar="ID", help="articles of one source")
        which.add_argument("--since", metavar="DATE", help="articles published on or after DATE (YYYY-MM-DD)")
        parser.add_argument(
            "--stage", action="append", metavar="NAME", help="run only this stage (repeatable); default: all"
        )
        parser.add_argument("--force", action="store_true", help="re-run even where results are current")
        parser.add_argument("--chunk", type=int, default=CHUNK, help="articles per run (default %(default)s)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            stages = select_stages(get_pipeline(), options["stage"])
        except InvalidInput as err:
            raise CommandError(err.message) from None
        if options["chunk"] < 1:
            raise CommandError("--chunk must be at least 1")
        articles = self._articles(options)
        if not options["force"]:
            articles = needing(articles, stages)
        ids = list(articles.order_by("pk").values_list("pk", flat=True))
        if not ids:
            self.stdout.write("Nothing to enrich: every selected article is current.")
            return
        names = [stage.name for stage in stages]
        errors = 0
        chunk = options["chunk"]
        with tqdm(total=len(ids), unit="article", desc="enriching", file=self.stderr, disable=None) as bar:
            for start in range(0, len(ids), chunk):
                batch = ids[start : start + chunk]
                report = enrich_articles(batch, stages=names, force=options["force"])
                errors += sum(report.errors.values())
                bar.update(len(batch))
        self.stdout.write(
            f"Enriched {len(ids)} article{'s' if len(ids) != 1 else ''} with {', '.join(names)}; "
            f"{errors} item error{'s' if errors != 1 else ''} (see the stage results in the admin)."
        )

    def _articles(self, options: dict[str, Any]) -> QuerySet[Article]:
        if options["all"]:
            return Article.objects.all()
        if options["source"] is not None:
            return Article.objects.from_source(options["source"])
        return Article.objects.since(parse_since(options["since"]))


def parse_since(text: str) -> dt.datetime:
    """A date or date-time from the command line, as an aware datetime; CommandError if unreadable."""
    try:
        moment = parse_datetime(text)
        if moment is None:
            day = parse_date(text)
            moment = dt.datetime.combine(day, dt.time.min) if day else None
    except ValueError:
        moment = None
    if moment is None:
        raise CommandError(f"--since {text!r} is not a date; use YYYY-MM-DD or YYYY-MM-DDTHH:MM")
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def needing(articles: QuerySet[Article], stages: list[Stage]) -> QuerySet[Article]:
    """Articles missing a current result for at least one of the stages."""
    condition = Q()
    for stage in stages:
        done = StageResult.objects.filter(stage=stage.name, version=stage.version).values("article_id")
        condition |= ~Q(pk__in=done)
    return articles.filter(condition)
