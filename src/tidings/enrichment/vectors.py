"""Per-article sentence embeddings in ArticleEmbedding rows, and brute-force nearest-neighbour search on numpy.

One interface for storing, loading and searching; a faster backend (sqlite-vec, pgvector) can replace the
search behind `nearest()` without its callers changing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
from django.db import transaction
from django.utils import timezone

from tidings.enrichment.embeddings import DIMENSIONS, MODEL_NAME, as_vector
from tidings.enrichment.models import ArticleEmbedding

log = logging.getLogger(__name__)


def store_embeddings(vectors: Mapping[int, object], model_name: str = MODEL_NAME) -> int:
    """Write (or replace) one ArticleEmbedding per article id; malformed vectors are skipped and logged."""
    now = timezone.now()
    rows = []
    for article_id, value in vectors.items():
        vector = as_vector(value)
        if vector is None:
            log.warning("embedding_skipped article_id=%s reason=not-a-%d-float-vector", article_id, DIMENSIONS)
            continue
        rows.append(
            ArticleEmbedding(
                article_id=article_id,
                model_name=model_name,
                dimensions=DIMENSIONS,
                vector=vector.astype("<f4").tobytes(),
                updated_at=now,
            )
        )
    with transaction.atomic():
        ArticleEmbedding.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["article"],
            update_fields=["model_name", "dimensions", "vector", "updated_at"],
        )
    return len(rows)


def apply_embedding_values(values: Mapping[int, object], articles: object = None) -> None:
    """The runner's applier for the "embedding" fact: same signature as the runner's other appliers."""
    store_embeddings(values)


def load_embeddings(article_ids: Iterable[int] | None = None, model_name: str = MODEL_NAME) -> dict[int, np.ndarray]:
    """article id → vector for the stored embeddings of this model (all of them when ids is None)."""
    rows = ArticleEmbedding.objects.filter(model_name=model_name, dimensions=DIMENSIONS)
    if article_ids is not None:
        rows = rows.filter(article_id__in=list(article_ids))
    return {
        article_id: np.frombuffer(bytes(blob), dtype="<f4").astype(np.float32)
        for article_id, blob in rows.values_list("article_id", "vector")
    }


def nearest(
    vector: Sequence[float] | np.ndarray, k: int = 10, exclude_ids: Iterable[int] = (), model_name: str = MODEL_NAME
) -> list[tuple[int, float]]:
    """The k stored articles most similar to `vector` as (article id, cosine), most similar first."""
    query = as_vector(vector)
    if query is None or k < 1:
        return []
    excluded = set(exclude_ids)
    stored = {pk: v for pk, v in load_embeddings(model_name=model_name).items() if pk not in excluded}
    if not stored:
        return []
    ids = np.fromiter(stored, dtype=np.int64, count=len(stored))
    similarity = np.vstack(list(stored.values())) @ query
    best = np.argsort(-similarity, kind="stable")[:k]
    return [(int(ids[i]), float(similarity[i])) for i in best]
