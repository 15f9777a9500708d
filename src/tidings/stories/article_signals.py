"""Edge: what story clustering reads for each article (its unit embedding, the people and places it is
linked to, the figures and days of its lead, its publication time), for assign.py and editing.py."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

import numpy as np
from django.db.models import F
from django.db.models.functions import Left

from tidings.articles.models import Article
from tidings.enrichment.vectors import load_embeddings
from tidings.stories.clustering import ArticleSignals
from tidings.stories.facts import fact_keys, lead_text
from tidings.stories.places import gazetteer_countries, gazetteer_resolver, place_scope
from tidings.taxonomy.models import ArticleTopic, TopicKind

# The kinds Params.kind_weights weighs (people 1.0, places 0.25): the organisations and places of two
# similar events are often the same (one city, its fire service); organisations at any weight scored lower
# on the tuning parts of bench/clustering.py.
NAMED_KINDS = (TopicKind.PERSON, TopicKind.PLACE)
LEAD_CHARS = 4000  # of the body, read for its first paragraphs' figures (stories.facts)


def article_signals(article_ids: Sequence[int]) -> dict[int, ArticleSignals]:
    """What clustering reads for each article that has an embedding."""
    vectors = load_embeddings(article_ids)
    if not vectors:
        return {}
    published: dict[int, datetime] = {}
    names: dict[int, set[str]] = defaultdict(set)
    articles = Article.objects.filter(pk__in=list(vectors)).annotate(lead=Left("body_text", LEAD_CHARS))
    for pk, when, headline, standfirst, lead in articles.values_list(
        "pk", "published_at", "headline", "standfirst", "lead"
    ):
        published[pk] = when
        names[pk] |= fact_keys(lead_text(headline, standfirst, (lead or "").split("\n\n")))
    links = ArticleTopic.objects.filter(article_id__in=list(vectors), topic__kind__in=NAMED_KINDS)
    for article_id, kind, name in links.values_list("article_id", F("topic__kind"), F("topic__name")):
        names[article_id].add(f"{kind}:{name.casefold()}")
    resolve, countries = gazetteer_resolver(), gazetteer_countries()
    return {
        pk: ArticleSignals(
            pk,
            _unit(vector),
            frozenset(names[pk]),
            published[pk].timestamp(),
            place_scope(names[pk], resolve, countries),
        )
        for pk, vector in vectors.items()
        if pk in published
    }


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return (vector / norm).astype(np.float32) if norm else vector.astype(np.float32)
