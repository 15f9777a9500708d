"""bench/categorize.py's embedding cache: vectors written by one run are served to the next, per model."""

from types import SimpleNamespace

import numpy as np
from bench.categorize import _Memo


def fake_embeddings(model_name: str = "model-a") -> SimpleNamespace:
    calls: list[list[str]] = []

    def embed(texts, batch_size=32):
        calls.append(list(texts))
        return np.array([[len(t), i + 1.0] for i, t in enumerate(texts)], dtype=np.float32).reshape(-1, 2)

    return SimpleNamespace(embed=embed, MODEL_NAME=model_name, calls=calls)


def test_a_second_run_serves_the_saved_vectors_without_embedding(tmp_path):
    cache = tmp_path / "vectors.npz"
    first = fake_embeddings()
    memo = _Memo(first, cache)
    memo.serving = True
    vectors = first.embed(["one text", "another"])
    memo.save(first.MODEL_NAME)

    second = fake_embeddings()
    again = _Memo(second, cache)
    again.serving = True
    served = second.embed(["another", "one text"])
    assert second.calls == []  # nothing embedded: both texts came from the file
    np.testing.assert_array_equal(served, vectors[::-1])
    assert second.embed(["new one"]).shape == (1, 2)
    assert second.calls == [["new one"]]


def test_vectors_of_another_model_are_not_served(tmp_path):
    cache = tmp_path / "vectors.npz"
    first = fake_embeddings("model-a")
    memo = _Memo(first, cache)
    memo.serving = True
    first.embed(["one text"])
    memo.save(first.MODEL_NAME)

    other = fake_embeddings("model-b")
    _Memo(other, cache).serving = True
    other.embed(["one text"])
    assert other.calls == [["one text"]]


def test_not_serving_embeds_afresh_even_a_known_text(tmp_path):
    cache = tmp_path / "vectors.npz"
    first = fake_embeddings()
    memo = _Memo(first, cache)
    memo.serving = True
    first.embed(["one text"])
    memo.save(first.MODEL_NAME)

    timed = fake_embeddings()
    _Memo(timed, cache)  # serving is False: the timed run embeds everything, as the pipeline does
    timed.embed(["one text"])
    assert timed.calls == [["one text"]]
