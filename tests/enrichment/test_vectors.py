"""nearest(): exact results from the cached matrix, and a cache that follows every change to ArticleEmbedding."""

from __future__ import annotations

import numpy as np
import pytest
from django.db import transaction

from tests.articles.factories import ArticleFactory
from tidings.enrichment import vectors
from tidings.enrichment.models import ArticleEmbedding

# Cache tests commit for real: nearest() caches only rows read outside a transaction.
committed = pytest.mark.django_db(transaction=True)


def unit(seed: int) -> np.ndarray:
    vector = np.random.default_rng(seed).normal(size=384).astype(np.float32)
    return vector / np.linalg.norm(vector)


def exact(stored: dict[int, np.ndarray], query: np.ndarray, k: int) -> list[int]:
    ids = sorted(stored)
    similarity = np.array([float(stored[i].astype(np.float64) @ query.astype(np.float64)) for i in ids])
    return [ids[n] for n in np.argsort(-similarity, kind="stable")[:k]]


@pytest.fixture(autouse=True)
def fresh_cache():
    vectors.reset()
    yield
    vectors.reset()


@pytest.fixture
def stored() -> dict[int, np.ndarray]:
    """Thirty articles with clustered vectors, stored and committed."""
    centres = [unit(1000 + c) for c in range(3)]
    found = {}
    for n in range(30):
        vector = centres[n % 3] + 0.6 * unit(n)
        found[ArticleFactory().pk] = vector / np.linalg.norm(vector)
    vectors.store_embeddings(found)
    return found


def ids(results: list[tuple[int, float]]) -> list[int]:
    return [pk for pk, _ in results]


@committed
def test_nearest_equals_exact_search(stored):
    for seed in range(5):
        query = unit(2000 + seed)
        assert ids(vectors.nearest(query, k=7)) == exact(stored, query, 7)


@committed
def test_nearest_returns_cosines_most_similar_first(stored):
    query = unit(3000)
    found = vectors.nearest(query, k=5)
    expected = [float(stored[pk] @ query) for pk in ids(found)]
    assert [score for _, score in found] == pytest.approx(expected, abs=1e-5)
    assert [score for _, score in found] == sorted((score for _, score in found), reverse=True)


@committed
def test_warm_query_reads_only_the_signature(stored, django_assert_num_queries):
    vectors.nearest(unit(1), k=3)
    with django_assert_num_queries(1):
        found = vectors.nearest(unit(2), k=3)
    assert ids(found) == exact(stored, unit(2), 3)


@committed
def test_new_embedding_is_found_after_the_cache_was_built(stored):
    query = unit(4000)
    vectors.nearest(query, k=3)
    newcomer = ArticleFactory().pk
    vectors.store_embeddings({newcomer: query})
    assert ids(vectors.nearest(query, k=3))[0] == newcomer


@committed
def test_changed_vector_moves_the_article(stored):
    first = ids(vectors.nearest(unit(5000), k=1))[0]
    vectors.store_embeddings({first: unit(5001)})
    assert first not in ids(vectors.nearest(unit(5000), k=3))
    assert ids(vectors.nearest(unit(5001), k=1)) == [first]


@committed
def test_changed_vector_is_fetched_without_rereading_every_row(stored, django_assert_num_queries):
    vectors.nearest(unit(1), k=3)
    vectors.store_embeddings({next(iter(stored)): unit(6000)})
    with django_assert_num_queries(2):  # the signature, then the rows above the highest id seen
        found = vectors.nearest(unit(6000), k=1)
    assert ids(found) == [next(iter(stored))]


@committed
def test_deleted_article_is_no_longer_returned(stored):
    query = unit(7000)
    gone = ids(vectors.nearest(query, k=1))[0]
    ArticleEmbedding.objects.get(article_id=gone).article.delete()
    remaining = {pk: v for pk, v in stored.items() if pk != gone}
    assert ids(vectors.nearest(query, k=5)) == exact(remaining, query, 5)


@committed
def test_deletion_and_insertion_together_are_both_seen(stored):
    query = unit(8000)
    gone = ids(vectors.nearest(query, k=1))[0]
    ArticleEmbedding.objects.filter(article_id=gone).delete()
    newcomer = ArticleFactory().pk
    vectors.store_embeddings({newcomer: unit(8001)})  # same row count as before, a higher id
    expected = {pk: v for pk, v in stored.items() if pk != gone} | {newcomer: unit(8001)}
    assert ids(vectors.nearest(query, k=5)) == exact(expected, query, 5)


def embedding_row(row_id: int, vector: np.ndarray) -> ArticleEmbedding:
    return ArticleEmbedding.objects.create(
        id=row_id, article=ArticleFactory(), model_name=vectors.MODEL_NAME, dimensions=384, vector=vector.tobytes()
    )


@committed
def test_late_lower_id_with_a_deletion_is_caught_by_the_periodic_reconcile(stored, monkeypatch):
    # PostgreSQL can commit a lower id after a higher one; with a deletion the count and max id stay the same.
    top = ArticleEmbedding.objects.latest("id").id
    embedding_row(top + 10, unit(9000))
    vectors.nearest(unit(1), k=3)
    gone = ArticleEmbedding.objects.earliest("id")
    gone.delete()
    late = embedding_row(top + 5, unit(9001))
    monkeypatch.setattr(vectors, "RECONCILE_SECONDS", 0.0)
    assert ids(vectors.nearest(unit(9001), k=1)) == [late.article_id]
    assert gone.article_id not in ids(vectors.nearest(unit(1), k=len(stored) + 1))


@committed
def test_vectors_of_another_model_are_not_returned(stored):
    other = ArticleFactory().pk
    vectors.store_embeddings({other: unit(10000)}, model_name="another-model")
    assert other not in ids(vectors.nearest(unit(10000), k=len(stored) + 1))
    assert ids(vectors.nearest(unit(10000), k=1, model_name="another-model")) == [other]


@committed
def test_rows_written_in_an_open_transaction_are_found_but_not_cached(stored):
    query = unit(11000)
    vectors.nearest(query, k=1)
    with transaction.atomic():
        newcomer = ArticleFactory().pk
        vectors.store_embeddings({newcomer: query})
        assert ids(vectors.nearest(query, k=1)) == [newcomer]
        transaction.set_rollback(True)
    assert newcomer not in ids(vectors.nearest(query, k=len(stored)))
    assert ids(vectors.nearest(query, k=5)) == exact(stored, query, 5)


@pytest.mark.django_db
def test_nearest_inside_a_test_transaction_equals_exact_search():
    stored = {ArticleFactory().pk: unit(n) for n in range(12)}
    vectors.store_embeddings(stored)
    assert ids(vectors.nearest(unit(3), k=4)) == exact(stored, unit(3), 4)


@pytest.mark.django_db
def test_bad_query_vector_or_k_gives_no_results():
    vectors.store_embeddings({ArticleFactory().pk: unit(1)})
    assert vectors.nearest([0.1, 0.2], k=3) == []
    assert vectors.nearest(unit(1), k=0) == []


def test_top_k_leaves_out_excluded_ids():
    matrix = np.vstack([unit(1), unit(1), unit(2)])
    found = vectors.top_k(np.array([10, 11, 12]), matrix, unit(1), 2, {10})
    assert [pk for pk, _ in found] == [11, 12]


def test_top_k_breaks_ties_by_lower_id_even_at_the_cut():
    matrix = np.vstack([unit(5), unit(1), unit(1), unit(1)])
    found = vectors.top_k(np.array([40, 30, 10, 20]), matrix, unit(1), 2)
    assert [pk for pk, _ in found] == [10, 20]


def test_top_k_with_k_beyond_the_rows_returns_them_all_in_order():
    matrix = np.vstack([unit(2), unit(1)])
    found = vectors.top_k(np.array([1, 2]), matrix, unit(1), 10)
    assert [pk for pk, _ in found] == [2, 1]


def test_top_k_of_no_rows_is_empty():
    assert vectors.top_k(np.zeros(0, dtype=np.int64), np.zeros((0, 384), dtype=np.float32), unit(1), 3) == []
