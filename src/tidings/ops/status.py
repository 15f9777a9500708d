"""What the staff status page shows: the task queue, the periodic jobs and a summary of source health."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import Q

from tidings.ops.models import PeriodicLease
from tidings.ops.queue import backend_kind, queue_depth
from tidings.sources.fetch_state import health_word
from tidings.sources.models import Source

STATES = ("ok", "new", "failing", "paused", "disabled")
WORST_SHOWN = 20


def source_health_counts() -> dict[str, int]:
    """Sources per health word (fetch_state.health_word), every word present, in a fixed order."""
    counts: Counter[str] = Counter()
    rows = Source.objects.order_by().values_list("is_active", "paused_reason", "last_error", "last_success_at")
    for is_active, paused_reason, last_error, last_success_at in rows.iterator(chunk_size=2000):
        facts = _Facts(is_active, paused_reason, last_error, last_success_at)
        counts[health_word(facts)] += 1  # type: ignore[arg-type]
    return {state: counts.get(state, 0) for state in STATES}


class _Facts:
    __slots__ = ("is_active", "last_error", "last_success_at", "paused_reason")

    def __init__(self, is_active: bool, paused_reason: str, last_error: str, last_success_at: Any) -> None:
        self.is_active = is_active
        self.paused_reason = paused_reason
        self.last_error = last_error
        self.last_success_at = last_success_at


def summary() -> dict[str, Any]:
    try:
        depth: int | None = queue_depth()
        queue_error = ""
    except Exception as err:  # shown on the page, not raised
        depth, queue_error = None, f"{type(err).__name__}: {err}"
    failing = (
        Source.objects.filter(Q(is_active=True) & (~Q(last_error="") | ~Q(paused_reason="")))
        .order_by("-error_count", "name")
        .only("pk", "name", "url", "error_count", "last_error", "paused_reason", "last_fetched_at")[:WORST_SHOWN]
    )
    return {
        "task_backend": backend_kind(),
        "queue_depth": depth,
        "queue_error": queue_error,
        "leases": list(PeriodicLease.objects.order_by("name")),
        "health_counts": source_health_counts(),
        "failing_sources": list(failing),
    }
