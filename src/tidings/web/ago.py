"""Short relative times for pages: "3 hours ago" (the ago filter, and a card's time: web.card_cache)."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.timesince import timesince


def ago(value: datetime | None) -> str:
    """'3 hours ago'; 'just now' under a minute; '' for no date."""
    if value is None:
        return ""
    now = timezone.now()
    if value > now or (now - value).total_seconds() < 60:
        return "just now"
    return f"{timesince(value, now, depth=1)} ago"
