"""A process's own copies of the few kept pages it serves most, in front of the shared cache (Redis when the site
runs in several processes): a hit costs no round trip and no unpickling of a 200 KB page.

The keys are the shared cache's own (web.shared_pages, web.reader_pages), and those keys change whenever the
page would (a new article, a reader's change), so a copy is never served for a page that has changed; it is
dropped after the same number of seconds as the shared entry, counted from when this process took it.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Any

_ALL: list[NearCache] = []


def clear_all() -> None:
    """Empty every near cache of the process (tests: rolled-back ids are reused, and keys are made of ids)."""
    for near in _ALL:
        near.clear()


class NearCache:
    """Up to `size` entries, least recently used dropped first; safe across a process's threads."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[str, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()
        _ALL.append(self)

    def get(self, key: str) -> Any:
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None
            if found[0] <= time.monotonic():
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return found[1]

    def set(self, key: str, value: Any, seconds: float) -> None:
        with self._lock:
            self._entries[key] = (time.monotonic() + seconds, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
