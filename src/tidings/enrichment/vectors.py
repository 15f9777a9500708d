"""Per-article sentence embeddings in ArticleEmbedding rows, and exact nearest-neighbour search behind `nearest()`.

Search runs on a process-wide float32 matrix of the stored vectors, kept in step with the table by a cheap
signature query and fetched incrementally by row id: exact, and as fast as sqlite-vec at tens of thousands
of vectors on SQLite and PostgreSQL alike (bench/vectors.py, docs/benchmarks.md). Invariant the cache relies
on: a stored vector is never updated in place; `store_embeddings` replaces the row, so a changed vector has
a new row id.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from django.db import connections, transaction
from django.db.models import QuerySet
from django.utils import timezone

from tidings.enrichment.embeddings import DIMENSIONS, MODEL_NAME, as_vector
from tidings.enrichment.models import ArticleEmbedding

log = logging.getLogger(__name__)

_FETCH_CHUNK = 1000  # ids per `IN (...)` query: well under SQLite's bound-parameter limit
RECONCILE_SECONDS = 300.0


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
        # Delete, then insert: a replaced vector gets a new row id, which is how the search cache sees it.
        # The upsert only matters when another writer inserted the same article in between.
        ArticleEmbedding.objects.filter(article_id__in=[row.article_id for row in rows]).delete()
        ArticleEmbedding.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["article"],
            update_fields=["model_name", "dimensions", "vector", "updated_at"],
        )
    return len(rows)


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
    """The k stored articles most similar to `vector` as (article id, cosine), most similar first.

    Exact search (no approximation) over every stored vector of `model_name`.
    """
    query = as_vector(vector)
    if query is None or k < 1:
        return []
    excluded = set(exclude_ids)
    with _lock:
        index = _index_for(model_name)
        if index is not None:
            return top_k(index.article_ids(), index.matrix(), query, k, excluded)
    # Inside a transaction whose rows differ from the cache: they may be rolled back, so they are read,
    # searched and forgotten rather than cached.
    stored = load_embeddings(model_name=model_name)
    ids = np.fromiter(stored, dtype=np.int64, count=len(stored))
    matrix = np.vstack(list(stored.values())) if stored else np.zeros((0, DIMENSIONS), dtype=np.float32)
    return top_k(ids, matrix, query, k, excluded)


def top_k(
    ids: np.ndarray, matrix: np.ndarray, query: np.ndarray, k: int, excluded: set[int] | frozenset[int] = frozenset()
) -> list[tuple[int, float]]:
    """The k rows of `matrix` (unit vectors) with the highest cosine to `query`, ties by lower id, as (id, cosine)."""
    if len(ids) == 0 or k < 1:
        return []
    # einsum, not `@`: one thread, no BLAS pool. A threaded sgemv on a busy 2-core host took 15 ms at 10k rows
    # where this takes under 1 ms (bench/vectors.py).
    similarity = np.einsum("ij,j->i", matrix, query.astype(np.float32, copy=False))
    if excluded:
        similarity[np.isin(ids, np.fromiter(excluded, dtype=np.int64, count=len(excluded)))] = -np.inf
    if k < len(similarity):
        # Every row tied with the k-th best stays a candidate, so ties break by id, not by partition order.
        kth = np.partition(similarity, len(similarity) - k)[len(similarity) - k]
        candidates = np.flatnonzero(similarity >= kth)
    else:
        candidates = np.arange(len(similarity))
    candidates = candidates[np.isfinite(similarity[candidates])]
    order = candidates[np.lexsort((ids[candidates], -similarity[candidates]))][:k]
    return [(int(ids[i]), float(similarity[i])) for i in order]


@dataclass(frozen=True, slots=True)
class Signature:
    """What the table holds, cheaply: its row count and highest row id (row ids are never reused)."""

    count: int
    id_max: int


def table_signature() -> Signature:
    """Two index look-ups over every ArticleEmbedding row (all models); well under a millisecond on SQLite."""
    connection = connections[ArticleEmbedding.objects.db]
    table = connection.ops.quote_name(ArticleEmbedding._meta.db_table)
    with connection.cursor() as cursor:
        # Scalar subqueries: SQLite answers each from its b-tree alone; one combined aggregate would scan.
        cursor.execute(f"SELECT (SELECT COUNT(*) FROM {table}), (SELECT MAX(id) FROM {table})")  # noqa: S608
        count, id_max = cursor.fetchone()
    return Signature(int(count or 0), int(id_max or 0))


@dataclass
class VectorIndex:
    """Stored vectors of one model as a growable float32 matrix, with the row ids it has seen (state; one lock)."""

    model_name: str
    size: int = 0
    _rows: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    _articles: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    _matrix: np.ndarray = field(default_factory=lambda: np.zeros((0, DIMENSIONS), dtype=np.float32))
    _row_of_article: dict[int, int] = field(default_factory=dict)
    _other: dict[int, int] = field(default_factory=dict)  # row id → article id, rows of other models or sizes
    reconciled_at: float = field(default_factory=time.monotonic)

    def article_ids(self) -> np.ndarray:
        return self._articles[: self.size]

    def matrix(self) -> np.ndarray:
        return self._matrix[: self.size]

    def signature(self) -> Signature:
        rows = self._rows[: self.size]
        return Signature(
            count=self.size + len(self._other),
            id_max=max(int(rows.max()) if self.size else 0, max(self._other, default=0)),
        )

    def sync(self, wanted: Signature, *, full: bool = False) -> None:
        """Catch up with the table: new row ids first; if that does not explain `wanted`, diff every row id."""
        started = time.perf_counter()
        added = self._fetch(ArticleEmbedding.objects.filter(id__gt=self.signature().id_max))
        removed = 0
        if full or self.signature() != wanted:
            self.reconciled_at = time.monotonic()
            present = dict(ArticleEmbedding.objects.values_list("id", "article_id"))
            removed = self._drop_rows_not_in(present)
            missing = sorted(set(present) - set(self._rows[: self.size].tolist()) - set(self._other))
            for start in range(0, len(missing), _FETCH_CHUNK):
                added += self._fetch(ArticleEmbedding.objects.filter(id__in=missing[start : start + _FETCH_CHUNK]))
        log.debug(
            "vector_index_synced model=%s rows=%d added=%d removed=%d seconds=%.4f",
            self.model_name,
            self.size,
            added,
            removed,
            time.perf_counter() - started,
        )

    def _fetch(self, rows: QuerySet[ArticleEmbedding]) -> int:
        fetched = 0
        columns = ("id", "article_id", "model_name", "dimensions", "vector")
        for row_id, article_id, model_name, dimensions, blob in rows.order_by("id").values_list(*columns):
            fetched += 1
            vector = np.frombuffer(bytes(blob), dtype="<f4") if dimensions == DIMENSIONS else None
            if model_name != self.model_name or vector is None or vector.shape != (DIMENSIONS,):
                self._other[row_id] = article_id
                continue
            self._put(row_id, article_id, vector)
        return fetched

    def _put(self, row_id: int, article_id: int, vector: np.ndarray) -> None:
        at = self._row_of_article.get(article_id)
        if at is None:
            if self.size == len(self._rows):
                self._grow(max(1024, self.size + self.size // 4))  # geometric, but little idle memory
            at = self.size
            self.size += 1
            self._row_of_article[article_id] = at
        self._rows[at], self._articles[at], self._matrix[at] = row_id, article_id, vector

    def _grow(self, capacity: int) -> None:
        rows, articles = np.zeros(capacity, dtype=np.int64), np.zeros(capacity, dtype=np.int64)
        matrix = np.zeros((capacity, DIMENSIONS), dtype=np.float32)
        rows[: self.size], articles[: self.size], matrix[: self.size] = self.matrix_parts()
        self._rows, self._articles, self._matrix = rows, articles, matrix

    def matrix_parts(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return self._rows[: self.size], self._articles[: self.size], self._matrix[: self.size]

    def _drop_rows_not_in(self, present: Mapping[int, int]) -> int:
        """Forget rows the table no longer has, or whose article now has a different row id."""
        self._other = {row_id: article for row_id, article in self._other.items() if row_id in present}
        rows, articles, matrix = self.matrix_parts()
        keep = np.array([present.get(int(r)) == int(a) for r, a in zip(rows, articles, strict=True)], dtype=bool)
        removed = int(self.size - keep.sum())
        if removed:
            self._rows, self._articles, self._matrix = rows[keep], articles[keep], matrix[keep]
            self.size = len(self._rows)
            self._row_of_article = {int(a): n for n, a in enumerate(self._articles.tolist())}
        return removed


_lock = threading.Lock()
_indexes: dict[tuple[str, str], VectorIndex] = {}


def _index_for(model_name: str) -> VectorIndex | None:
    """The synced index for this model and database; None inside a transaction whose rows the cache lacks."""
    alias = ArticleEmbedding.objects.db
    key = (alias, model_name)
    index = _indexes.get(key)
    wanted = table_signature()
    in_transaction = transaction.get_connection(alias).in_atomic_block
    if index is not None and index.signature() == wanted:
        # A late commit of a lower id (PostgreSQL) together with a deletion leaves the signature unchanged:
        # every few minutes the row ids are compared in full.
        if not in_transaction and time.monotonic() - index.reconciled_at > RECONCILE_SECONDS:
            index.sync(wanted, full=True)
        return index
    if in_transaction:
        return None  # what this transaction sees may be rolled back; only committed rows are cached
    if index is None:
        index = _indexes[key] = VectorIndex(model_name)
    index.sync(wanted)
    return index


def reset() -> None:
    """Forget every cached index (tests; after restoring a database)."""
    with _lock:
        _indexes.clear()
