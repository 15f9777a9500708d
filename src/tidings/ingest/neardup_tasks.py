"""The near-duplicate linking task, apart from the refresh tasks: the store queues it, and a module the store
imports must not import the refresh (ingest.tasks does), or the pipeline would import itself in a circle."""

from __future__ import annotations

from django_tasks import task


@task()
def link_near_duplicates_task(article_ids: list[int]) -> int:
    """Link newly stored articles to earlier near-copies from other outlets; returns how many were linked."""
    from tidings.ingest.neardup_service import link_near_duplicates  # datasketch + scipy: only where it runs

    return link_near_duplicates(article_ids)
