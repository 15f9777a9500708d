"""`tidings add_source URL [--name NAME] [--full-text MODE]`: add a feed or page; its first refresh is queued."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tidings.lib.errors import InvalidInput
from tidings.sources.models import FullTextMode
from tidings.sources.services import add_source


class Command(BaseCommand):
    help = "Add a source by its web address (RSS, Atom, JSON Feed or an article page); the kind is detected on fetch."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("url", help="the feed or page address, e.g. https://example.org/feed.xml")
        parser.add_argument("--name", default="", help="a name to show (default: the feed's title)")
        parser.add_argument(
            "--full-text",
            choices=FullTextMode.values,
            default=FullTextMode.AUTO.value,
            help="fetch each new item's article page: auto (when the feed has only summaries; the default), "
            "always or never",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            source = add_source(options["url"], name=options["name"], full_text=options["full_text"])
        except InvalidInput as err:
            raise CommandError(err.message) from None
        self.stdout.write(f"Added source #{source.pk} {source.name} ({source.url}); its first refresh is queued.")
