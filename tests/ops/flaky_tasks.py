"""A task for the RQ retry test (tests/ops/test_faults_tasks.py), importable by the worker it starts."""

from __future__ import annotations

from pathlib import Path

from django_tasks import task


@task()
def fails_on_first_run(marker: str) -> str:
    """Raises the first time (leaving `marker` behind), succeeds when run again: a transient failure."""
    path = Path(marker)
    if not path.exists():
        path.write_text("failed once")
        raise RuntimeError("a transient failure on the first run")
    return "ran again"
