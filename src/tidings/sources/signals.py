"""Signals sources sends for work other apps own: sources never imports the apps that read it (ingest does)."""

from __future__ import annotations

from django.dispatch import Signal

from tidings.sources.models import Source

# Sent with `source_ids` (a list of Source ids) when those sources should be refreshed soon: a source just
# added (add_source, once its transaction commits) or sources an operator asked for in the admin.
# ingest connects the receiver that queues their refreshes (ingest/apps.py, ingest/receivers.py).
refresh_wanted = Signal()


def want_refresh(source_ids: list[int]) -> int:
    """Ask for these sources to be refreshed soon; returns how many receivers took the request (0: nothing
    would refresh them, as when the ingest app is not installed)."""
    return len(refresh_wanted.send(sender=Source, source_ids=list(source_ids)))
