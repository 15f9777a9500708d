"""After a server process's first request, what it built to serve (apps, URL resolvers, compiled templates, model
metadata: some 160,000 objects) lives as long as the process, so it is frozen out of the cycle collector's sight
(gc.freeze()). A full collection then walks only what later requests left behind: on My News it took about 90 ms
every fifteen or so pages before, 2 to 7 ms frozen (docs/design.md, "My News latency"). Off with TIDINGS_GC_FREEZE=0.
"""

from __future__ import annotations

import gc
import logging
from typing import Any

from django.conf import settings

logger = logging.getLogger(__name__)
_state = {"frozen": False}


def freeze_after_first_request(**_kwargs: Any) -> None:
    """request_finished receiver: the first time, collect what that request left and freeze the rest."""
    if _state["frozen"] or not settings.GC_FREEZE:
        return
    _state["frozen"] = True
    gc.collect()
    gc.freeze()
    logger.info("gc_frozen objects=%s", gc.get_freeze_count())


def reset() -> None:
    """Unfreeze (tests)."""
    _state["frozen"] = False
    gc.unfreeze()
