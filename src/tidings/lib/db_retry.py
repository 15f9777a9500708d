"""Run a transaction again when PostgreSQL ends it to break a deadlock or a serialization conflict.

Concurrent workers write shared rows (topics, trending counts) in a fixed order, so a deadlock should not occur;
this is the safety net for an order not foreseen: the whole transaction is rolled back by the database and run
again from the start, a few times, after a short random pause. Only an outermost transaction can be run again
(inside another one the rollback reaches further back than the function), so inside one the error is raised.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from typing import TypeVar

from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, transaction

logger = logging.getLogger(__name__)

T = TypeVar("T")

# SQLSTATE of the errors after which a transaction can simply be run again.
RETRYABLE_SQLSTATES = frozenset({"40P01", "40001"})  # deadlock_detected, serialization_failure
ATTEMPTS = 4
PAUSE_SECONDS = 0.05  # the first pause at most; doubled each time, times a random factor


def is_retryable(exc: BaseException) -> bool:
    """A deadlock or serialization failure (PostgreSQL ends the transaction; running it again may succeed)."""
    cause = exc.__cause__ if isinstance(exc, OperationalError) else None
    return getattr(cause, "sqlstate", None) in RETRYABLE_SQLSTATES


def atomic_with_retry(work: Callable[[], T], *, what: str, using: str = DEFAULT_DB_ALIAS) -> T:
    """work() in one transaction; run again (up to ATTEMPTS in all) if the database ends it to break a deadlock."""
    nested = connections[using].in_atomic_block
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with transaction.atomic(using=using):
                return work()
        except OperationalError as exc:
            if nested or attempt == ATTEMPTS or not is_retryable(exc):
                raise
            pause = PAUSE_SECONDS * 2 ** (attempt - 1) * random.uniform(0.5, 1.5)  # jitter, not security
            logger.warning(
                "transaction_retry what=%s attempt=%d sqlstate=%s pause=%.3f",
                what,
                attempt,
                getattr(exc.__cause__, "sqlstate", ""),
                pause,
            )
            time.sleep(pause)
    raise AssertionError("unreachable")  # the loop returns or raises
