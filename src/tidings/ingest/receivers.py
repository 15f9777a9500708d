"""What ingest does when sources asks for work (sources.signals); connected in IngestConfig.ready."""

from __future__ import annotations

from typing import Any


def queue_refreshes(sender: object, source_ids: list[int], **kwargs: Any) -> None:
    """sources.signals.refresh_wanted: queue one refresh task per source."""
    from tidings.ingest.tasks import refresh_source_task  # the refresh code loads where a refresh is asked for

    for source_id in source_ids:
        refresh_source_task.enqueue(source_id)
