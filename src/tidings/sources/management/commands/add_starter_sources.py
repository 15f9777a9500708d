"""`tidings add_starter_sources`: add the public starter feeds that are not sources yet."""

from __future__ import annotations

import logging
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from tidings.sources.models import Source, SourceKind
from tidings.sources.services import find_source_by_url
from tidings.sources.starter import STARTER_FEEDS

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Add about a dozen public news feeds as sources (kind detected on first fetch). "
        "Feeds that are already sources are left alone; the refresher fetches the new ones when they are due."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        added = 0
        with transaction.atomic():
            for feed in STARTER_FEEDS:
                if find_source_by_url(feed.url) is not None:
                    continue
                Source.objects.create(
                    kind=SourceKind.UNKNOWN,
                    url=feed.url,
                    name=feed.name,
                    site_url=feed.site_url,
                    language=feed.language,
                )
                added += 1
        logger.info("starter_sources_added added=%d present=%d", added, len(STARTER_FEEDS) - added)
        present = len(STARTER_FEEDS) - added
        self.stdout.write(f"Added {added} starter sources ({present} already present).")
