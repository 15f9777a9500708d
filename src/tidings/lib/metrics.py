"""Prometheus metrics the app records (served at /metrics by tidings.ops): fetch outcomes and task runs.

Django's request metrics come from django-prometheus' middleware. With several processes (gunicorn workers,
task workers) each writes its figures to TIDINGS_METRICS_DIR (prometheus_client's multiprocess mode), so one
scrape of any web process sees them all.
"""

from __future__ import annotations

from prometheus_client import Counter, Histogram

from tidings.lib.errors import TidingsError

FETCHES = Counter(
    "tidings_source_fetches_total",
    "Source fetches by outcome (ok, not_modified, failed, paused) and reason (http_<status> or error type).",
    ["outcome", "reason"],
)
TASK_SECONDS = Histogram(
    "tidings_task_duration_seconds",
    "Run time of background tasks by task and final status.",
    ["task", "status"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900),
)
TASK_FAILURES = Counter("tidings_task_failures_total", "Background tasks that ended in failure, by task.", ["task"])


def fetch_reason(error: TidingsError | None) -> str:
    """A bounded label for why a fetch ended as it did: "" on success, http_<status>, or the error's type."""
    if error is None:
        return ""
    status = getattr(error, "status_code", None)
    if isinstance(status, int):
        return f"http_{status}"
    return type(error).__name__


def count_fetch(outcome: str, error: TidingsError | None = None) -> None:
    """Count one fetch; a failure without a fetch error is a store conflict (another process stored the items)."""
    reason = fetch_reason(error) or ("" if outcome in {"ok", "not_modified"} else "store_conflict")
    FETCHES.labels(outcome=outcome, reason=reason).inc()
