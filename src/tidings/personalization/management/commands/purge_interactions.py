"""`tidings purge_interactions`: delete logged interactions older than the retention period now."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from tidings.personalization.learning import purge_old_interactions


class Command(BaseCommand):
    help = (
        "Delete reading interactions (impressions, opens, reading time, saves, shares) older than "
        "TIDINGS_INTERACTION_RETENTION_DAYS. `tidings serve` also does this every hour."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = purge_old_interactions()
        days = settings.INTERACTION_RETENTION_DAYS
        rows = "interaction" if deleted == 1 else "interactions"
        self.stdout.write(f"Deleted {deleted} {rows} older than {days} day{'' if days == 1 else 's'}.")
