"""Tasks: ids in, one service call."""

from __future__ import annotations

from django_tasks import task

from tidings.sources.opml_jobs import run_opml_import


@task()
def run_opml_import_task(import_id: int) -> str:
    """Run one stored OPML import; returns its final status ('done' or 'failed')."""
    return run_opml_import(import_id)
