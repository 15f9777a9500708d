"""Edge: learn a source's repeated lines from each new article and strip them (state in Source.boilerplate)."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.db import transaction

from tidings.ingest.boilerplate import BoilerplateState, from_json, learn, strip, to_json
from tidings.sources.models import Source

logger = logging.getLogger(__name__)


def learn_and_strip(source_id: int, paragraphs: Sequence[str]) -> tuple[str, ...]:
    """Learn one article of the source, store the state, and return its paragraphs without boilerplate."""
    return learn_and_strip_many(source_id, [paragraphs])[0]


def learn_and_strip_many(source_id: int, articles: Sequence[Sequence[str]]) -> list[tuple[str, ...]]:
    """The same for a batch (one feed refresh): one read and one write of the source's state.

    Every article of the batch is learned first, so boilerplate that first appears in this batch is
    already stripped from it. An article left with no paragraph keeps its original ones: stripping
    must never empty an article.
    """
    with transaction.atomic():
        stored = Source.objects.select_for_update().filter(pk=source_id).values_list("boilerplate", flat=True).first()
        state: BoilerplateState = from_json(stored)
        for paragraphs in articles:
            state = learn(state, paragraphs)
        Source.objects.filter(pk=source_id).update(boilerplate=to_json(state))
    results = []
    for paragraphs in articles:
        stripped = strip(state, paragraphs)
        results.append(stripped or tuple(paragraphs))
    dropped = sum(len(a) - len(r) for a, r in zip(articles, results, strict=True))
    if dropped:
        logger.info("boilerplate stripped source_id=%s paragraphs=%s articles=%s", source_id, dropped, len(articles))
    return results
