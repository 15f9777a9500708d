"""One `refresh --all` under cProfile with every SQL statement timed, for bench/refresh_growth.py --profile.

Run with the environment of a timed refresh (TIDINGS_DATABASE_URL of a big copy and the bench settings);
prints the functions with the most cumulative and own time and the statements (numbers and strings folded,
IN lists collapsed) with the most total time.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import re
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

_NUMBER = re.compile(r"\b\d+(\.\d+)?\b")
_STRING = re.compile(r"'(?:[^']|'')*'")
_LIST = re.compile(r"\((?:\s*(?:%s|\?|N|S)\s*,)+\s*(?:%s|\?|N|S)\s*\)")
SQL: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
LOCK = threading.Lock()


def shape(sql: str) -> str:
    sql = _NUMBER.sub("N", _STRING.sub("S", sql))
    return _LIST.sub("(…)", sql)[:400]


def _timed(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
    began = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        spent = time.perf_counter() - began
        with LOCK:
            entry = SQL[shape(sql)]
            entry[0] += 1
            entry[1] += spent


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db.backends.signals import connection_created

    def wrap(sender: Any, connection: Any, **kwargs: Any) -> None:
        if _timed not in connection.execute_wrappers:
            connection.execute_wrappers.append(_timed)

    connection_created.connect(wrap)
    profiler = cProfile.Profile()
    began = time.perf_counter()
    profiler.enable()
    call_command("refresh", all=True, stdout=io.StringIO(), stderr=io.StringIO())
    profiler.disable()
    print(f"refresh took {time.perf_counter() - began:.2f} s under the profiler (main thread profiled)")
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(25)
        print(f"-- by {order}\n" + "\n".join(out.getvalue().splitlines()[6:40]))
    total = sum(v[1] for v in SQL.values())
    print(f"-- SQL: {sum(v[0] for v in SQL.values())} statements, {total:.2f} s in all; the 20 costliest shapes")
    for sql, (count, spent) in sorted(SQL.items(), key=lambda kv: -kv[1][1])[:20]:
        print(f"{spent:8.3f} s {count:6}x  {spent / count * 1000:7.2f} ms  {sql[:300]}")


if __name__ == "__main__":
    main()
