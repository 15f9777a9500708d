"""`tidings enrich [--all | [--source ID] [--since DATE] [--until DATE]] [--stage NAME] [--force]`: enrich here.

--source, --since and --until combine (one source's articles of a date range); --all takes everything.

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
        parser.add_argument("--all", action="store_true", help="every stored article")
        parser.add_argument("--source", type=int, metavar="ID", help="articles of one source")
        parser.add_argument("--since", metavar="DATE", help="articles published on or after DATE (YYYY-MM-DD)")
        parser.add_argument(
            "--until", metavar="DATE", help="articles published on or before DATE (a whole day for YYYY-MM-DD)"
        )
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
        articles = select_articles(options)
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


def select_articles(options: dict[str, Any]) -> QuerySet[Article]:
    """The articles the options name: --all, or any combination of --source, --since and --until."""
    since = parse_moment(options["since"], "--since") if options["since"] else None
    until = parse_moment(options["until"], "--until", end_of_day=True) if options["until"] else None
    if options["all"] == (options["source"] is not None or since is not None or until is not None):
        raise CommandError("say which articles: --all, or --source ID and/or --since/--until DATE")
    if since and until and until <= since:
        raise CommandError(f"--until {options['until']} is before --since {options['since']}")
    articles = Article.objects.all()
    if options["source"] is not None:
        articles = articles.from_source(options["source"])
    if since:
        articles = articles.since(since)
    if until:
        articles = articles.filter(published_at__lt=until)
    return articles


def parse_moment(text: str, flag: str = "--since", end_of_day: bool = False) -> dt.datetime:
    """A date or date-time from the command line, as an aware datetime; CommandError if unreadable.

    With end_of_day a bare date means the moment its day ends (the start of the next day), so that
    `--until 2026-01-31` includes the whole of the 31st.
    """
    try:
        day = parse_date(text)  # a bare date first: parse_datetime would also read it, as midnight
        if day is not None:
            moment: dt.datetime | None = dt.datetime.combine(day + dt.timedelta(days=int(end_of_day)), dt.time.min)
        else:
            moment = parse_datetime(text)
    except ValueError:
        moment = None
    if moment is None:
        raise CommandError(f"{flag} {text!r} is not a date; use YYYY-MM-DD or YYYY-MM-DDTHH:MM")
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def needing(articles: QuerySet[Article], stages: list[Stage]) -> QuerySet[Article]:
    """Articles missing a current result for at least one of the stages."""
    condition = Q()
    for stage in stages:
        done = StageResult.objects.filter(stage=stage.name, version=stage.version).values("article_id")
        condition |= ~Q(pk__in=done)
    return articles.filter(condition)
