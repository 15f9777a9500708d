"""The checks behind /healthz: the database answers, the cache stores and returns a value, the queue answers."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable

from django.core.cache import cache
from django.db import connection

from tidings.ops.queue import ping_queue

logger = logging.getLogger(__name__)


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache() -> None:
    key = f"tidings:healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    try:
        if cache.get(key) != "1":
            raise RuntimeError("the cache did not return the value just stored")
    finally:
        cache.delete(key)


CHECKS: dict[str, Callable[[], None]] = {"database": check_database, "cache": check_cache, "queue": ping_queue}


def run_checks(checks: dict[str, Callable[[], None]] | None = None) -> dict[str, dict[str, object]]:
    """Each check's result: {"ok": bool, "ms": float, "error": str (when it failed)}; never raises."""
    results: dict[str, dict[str, object]] = {}
    for name, check in (checks or CHECKS).items():
        began = time.perf_counter()
        try:
            check()
            result: dict[str, object] = {"ok": True}
        except Exception as err:  # a health check reports every failure, whatever its kind
            logger.warning("health_check_failed check=%s error=%r", name, str(err))
            result = {"ok": False, "error": f"{type(err).__name__}: {err}"[:300]}
        result["ms"] = round((time.perf_counter() - began) * 1000, 1)
        results[name] = result
    return results
