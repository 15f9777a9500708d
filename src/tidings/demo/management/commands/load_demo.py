"""`tidings load_demo [--count N] [--no-enrich | --enrich-now]`: store the invented demo corpus (idempotent)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from tqdm import tqdm
from tqdm.contrib.logging import logging_redirect_tqdm

from tidings.demo.corpus import DEFAULT_COUNT, DEFAULT_SEED, DemoItem, DemoOutlet, generate_demo_corpus
from tidings.ingest.store import store_articles
from tidings.lib.errors import InvalidInput
from tidings.sources.models import Source, SourceKind

logger = logging.getLogger(__name__)

STORE_BATCH = 100
ENRICH_BATCH = 32


class Command(BaseCommand):
    help = (
        "Store a generated demo corpus of invented news from invented outlets (inactive RSS sources, "
        "so the refresher never fetches them). Running it again adds nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=DEFAULT_COUNT, help="how many articles (default %(default)s)")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="generator seed (default %(default)s)")
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--no-enrich", action="store_true", help="store only; do not queue enrichment")
        mode.add_argument(
            "--enrich-now", action="store_true", help="enrich the new articles here, in batches, instead of queueing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        enrich_now: bool = options["enrich_now"]
        enrich_articles = _load_enrich_articles() if enrich_now else None
        try:
            items = generate_demo_corpus(timezone.now(), count=options["count"], seed=options["seed"])
        except InvalidInput as err:
            raise CommandError(err.message) from None

        show_progress = options["verbosity"] > 0
        queue_enrichment = not (options["no_enrich"] or enrich_now)
        if queue_enrichment and find_spec("tidings.enrichment.tasks") is None:
            self.stderr.write("Enrichment tasks are not available yet (tidings.enrichment.tasks); storing only.")
            queue_enrichment = False
        created, duplicates = store_demo_items(items, enrich=queue_enrichment, show_progress=show_progress)
        outlets = len({item.outlet.slug for item in items})
        self.stdout.write(
            f"Demo corpus: {len(created)} new articles from {outlets} outlets stored "
            f"({duplicates} were already present)."
        )
        if enrich_articles is not None and created:
            _enrich_in_batches(enrich_articles, created, show_progress=show_progress)
            self.stdout.write(f"Enriched {len(created)} articles.")
        elif created and queue_enrichment:
            self.stdout.write("Enrichment is queued; the task worker (started by `tidings serve`) will run it.")


def demo_source(outlet: DemoOutlet) -> Source:
    """The inactive RSS source standing for a demo outlet; created on first use."""
    source, _ = Source.objects.get_or_create(
        url=outlet.feed_url,
        defaults={
            "kind": SourceKind.RSS,
            "name": outlet.name,
            "site_url": outlet.site_url,
            "language": "en",
            "is_active": False,
        },
    )
    return source


def store_demo_items(items: Sequence[DemoItem], *, enrich: bool, show_progress: bool) -> tuple[list[int], int]:
    """Store items per outlet in batches; returns (ids of new articles, number already present)."""
    by_outlet: dict[str, list[DemoItem]] = {}
    for item in items:
        by_outlet.setdefault(item.outlet.slug, []).append(item)
    created: list[int] = []
    duplicates = 0
    bar = tqdm(total=len(items), unit="article", desc="Storing demo articles", disable=not show_progress)
    with bar, logging_redirect_tqdm():
        for outlet_items in by_outlet.values():
            source = demo_source(outlet_items[0].outlet)
            for start in range(0, len(outlet_items), STORE_BATCH):
                batch = [item.article for item in outlet_items[start : start + STORE_BATCH]]
                result = store_articles(source, batch, enrich=enrich)
                created.extend(result.created)
                duplicates += result.duplicates
                bar.update(len(batch))
    logger.info("demo_corpus_stored created=%d duplicates=%d", len(created), duplicates)
    return created, duplicates


def _load_enrich_articles() -> Callable[[list[int]], object]:
    try:
        module = import_module("tidings.enrichment.runner")
        return module.enrich_articles  # type: ignore[no-any-return]
    except (ImportError, AttributeError) as err:
        raise CommandError(
            f"--enrich-now needs tidings.enrichment.runner.enrich_articles, which is not available ({err}). "
            "Run without --enrich-now to queue enrichment for the task worker instead."
        ) from None


def _enrich_in_batches(enrich: Callable[[list[int]], object], ids: list[int], *, show_progress: bool) -> None:
    bar = tqdm(total=len(ids), unit="article", desc="Enriching", disable=not show_progress)
    with bar, logging_redirect_tqdm():
        for start in range(0, len(ids), ENRICH_BATCH):
            batch = ids[start : start + ENRICH_BATCH]
            enrich(batch)
            bar.update(len(batch))
