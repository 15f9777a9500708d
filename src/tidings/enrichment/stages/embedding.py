"""One sentence embedding per article: headline, standfirst and opening paragraphs in one batched model call."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import ClassVar

from tidings.enrichment import embeddings
from tidings.enrichment.stage import ArticleText, StageOutput
from tidings.enrichment.stages.categories.scoring import article_input_text
from tidings.enrichment.vectors import store_embeddings

log = logging.getLogger(__name__)

NO_TEXT = "the article has no text to embed"


class EmbeddingStage:
    """Provides "embedding": a unit-length float32 numpy vector of 384 (stored as ArticleEmbedding, not JSON)."""

    name: ClassVar[str] = "embedding"
    version: ClassVar[int] = 1
    requires: ClassVar[frozenset[str]] = frozenset()
    provides: ClassVar[frozenset[str]] = frozenset({"embedding"})
    stored_apart: ClassVar[frozenset[str]] = frozenset({"embedding"})  # an ArticleEmbedding row, not JSON

    def __init__(self, *, batch_size: int = 32, max_words: int = 200) -> None:
        self.batch_size = batch_size
        self.max_words = max_words

    def setup(self) -> None:
        embeddings.get_model()

    def process_batch(self, items: Sequence[ArticleText]) -> list[StageOutput]:
        if not items:
            return []
        texts = [opening_text(item, self.max_words) for item in items]
        rows = [n for n, text in enumerate(texts) if text]
        vectors = embeddings.embed([texts[n] for n in rows], batch_size=self.batch_size)
        by_item = dict(zip(rows, vectors, strict=True))
        return [
            StageOutput(item.article_id, values={"embedding": by_item[n]})
            if n in by_item
            else StageOutput(item.article_id, error=NO_TEXT)
            for n, item in enumerate(items)
        ]

    def store(self, values: Mapping[int, Mapping[str, object]]) -> None:
        store_embeddings({pk: found["embedding"] for pk, found in values.items() if "embedding" in found})


def opening_text(item: ArticleText, max_words: int = 200) -> str:
    """What the article embedding reads: headline, standfirst and opening paragraphs, cut to max_words."""
    return article_input_text(item.headline, item.standfirst, item.paragraphs, max_words)
