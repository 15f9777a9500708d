"""Pause and resume sources by hand (the admin's actions): refresh skips a paused source until it is resumed.

A source refresh paused itself (an error retrying cannot fix) resumes the same way: fetched at the next round,
its backoff started afresh (fetch_state.RESUMED).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from tidings.sources.fetch_state import RESUMED
from tidings.sources.models import Source

logger = logging.getLogger(__name__)

PAUSED_BY_EDITOR = "paused by an editor"


def pause_sources(source_ids: Iterable[int], reason: str = PAUSED_BY_EDITOR) -> int:
    """Pause these sources (those already paused keep their reason); returns how many were paused now."""
    text = " ".join(reason.split())[: Source._meta.get_field("paused_reason").max_length] or PAUSED_BY_EDITOR
    ids = sorted(set(source_ids))
    count = Source.objects.filter(pk__in=ids, paused_reason="").update(paused_reason=text)
    logger.info("sources_paused count=%d ids=%s", count, ids)
    return count


def resume_sources(source_ids: Iterable[int]) -> int:
    """Resume these paused sources: fetched at the next round; returns how many were paused."""
    ids = sorted(set(source_ids))
    count = Source.objects.filter(pk__in=ids).exclude(paused_reason="").update(**RESUMED)
    logger.info("sources_resumed count=%d ids=%s", count, ids)
    return count
