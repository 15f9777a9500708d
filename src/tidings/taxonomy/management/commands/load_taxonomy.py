"""`tidings load_taxonomy`: insert or update the IPTC categories from the committed taxonomy file."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.text import slugify

from tidings.lib.errors import TidingsError
from tidings.taxonomy import iptc
from tidings.taxonomy.models import Category

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Load the IPTC Media Topics (top and second level) with Tidings' own descriptions. "
        "Safe to run again: existing categories are updated by qcode, none are deleted."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, help="A taxonomy JSON file to load instead of the built-in one")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            categories = self._read(options.get("file"))
        except (TidingsError, OSError) as exc:
            raise CommandError(f"cannot load the taxonomy: {exc}") from exc
        created, updated = upsert_categories(categories)
        top = sum(1 for c in categories if c.level == 1)
        logger.info("taxonomy_loaded categories=%d created=%d updated=%d", len(categories), created, updated)
        self.stdout.write(
            f"{len(categories)} categories ({top} top level): {created} added, {updated} updated, "
            f"{len(categories) - created - updated} unchanged."
        )

    def _read(self, path: Path | None) -> tuple[iptc.IptcCategory, ...]:
        if path is None:
            return iptc.load_categories()
        return iptc.parse_categories(path.read_text(encoding="utf-8"), origin=str(path))


def upsert_categories(categories: tuple[iptc.IptcCategory, ...]) -> tuple[int, int]:
    """Insert new categories and update changed ones by qcode, parents first; returns (created, updated)."""
    created = updated = 0
    with transaction.atomic():
        existing = {c.qcode: c for c in Category.objects.all()}
        taken = {c.slug: c.qcode for c in existing.values()}
        for entry in sorted(categories, key=lambda c: c.level):
            parent = existing[entry.parent] if entry.parent else None
            row = existing.get(entry.qcode)
            slug = _slug_for(entry, taken)
            fields = {
                "name": entry.name,
                "slug": slug,
                "parent": parent,
                "level": entry.level,
                "description": entry.description,
            }
            if row is None:
                row = Category.objects.create(qcode=entry.qcode, **fields)
                created += 1
            elif any(getattr(row, key) != value for key, value in fields.items()):
                for key, value in fields.items():
                    setattr(row, key, value)
                row.save()
                updated += 1
            existing[entry.qcode] = row
            taken[slug] = entry.qcode
    return created, updated


def _slug_for(entry: iptc.IptcCategory, taken: dict[str, str]) -> str:
    """The slug of the name; the qcode number is appended when another category holds that slug."""
    slug = slugify(entry.name)[:200] or "category"
    if taken.get(slug, entry.qcode) != entry.qcode:
        slug = f"{slug}-{entry.qcode.rpartition(':')[2]}"
    return slug
