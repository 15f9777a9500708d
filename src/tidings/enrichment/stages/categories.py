"""IPTC categories for each article: zero-shot sentence-embedding similarity plus publisher signals."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import ClassVar

import numpy as np

from tidings.enrichment import embeddings
from tidings.enrichment.category_scoring import (
    MODEL,
    PUBLISHER,
    ScoringConfig,
    article_input_text,
    article_sentences,
    category_name_index,
    description_phrases,
    prototype_scores,
    publisher_qcodes,
    select_categories,
    sentence_shares,
    top_level_scores,
)
from tidings.enrichment.stage import ArticleText, StageOutput
from tidings.taxonomy import iptc

log = logging.getLogger(__name__)


class CategoryStage:
    name: ClassVar[str] = "categories"
    version: ClassVar[int] = 1
    requires: ClassVar[frozenset[str]] = frozenset()
    provides: ClassVar[frozenset[str]] = frozenset({"categories"})

    def __init__(self, *, batch_size: int = 32, max_words: int = 200, config: ScoringConfig | None = None) -> None:
        self.batch_size = batch_size
        self.max_words = max_words
        self.config = config or ScoringConfig()
        self._ready = False

    def setup(self) -> None:
        """Load the embedding model and embed every category's prototype phrases, once."""
        if self._ready:
            return
        categories = iptc.load_categories()
        self._top = [c for c in categories if c.level == 1]
        self._parents = {c.qcode: c.parent for c in categories if c.parent}
        self._children = {t.qcode: [c for c in categories if c.parent == t.qcode] for t in self._top}
        self._names = category_name_index({c.qcode: c.name for c in categories})
        # One phrase matrix for all categories; owner[i] is the index in `self._groups` of phrase i.
        self._groups = [*self._top, *(c for t in self._top for c in self._children[t.qcode])]
        self._group_index = {c.qcode: i for i, c in enumerate(self._groups)}
        phrases: list[str] = []
        owners: list[int] = []
        for index, category in enumerate(self._groups):
            for phrase in description_phrases(category.name, category.description):
                phrases.append(phrase)
                owners.append(index)
        self._phrase_vectors = embeddings.embed(phrases, batch_size=64)
        self._owners = np.asarray(owners)
        self._ready = True
        log.info("category_stage_ready categories=%d phrases=%d", len(self._groups), len(phrases))

    def process_batch(self, items: Sequence[ArticleText]) -> list[StageOutput]:
        if not items:
            return []
        self.setup()
        # The model reads English only; other languages keep just what the publisher says.
        readable = [_is_english(item) for item in items]
        openings = [
            article_input_text(i.headline, i.standfirst, i.paragraphs, self.max_words) if ok else ""
            for i, ok in zip(items, readable, strict=True)
        ]
        sentences = [
            article_sentences(i.headline, i.standfirst, i.paragraphs, self.config) if text else []
            for i, text in zip(items, openings, strict=True)
        ]
        # One embedding call for the whole batch: every opening text, then every sentence.
        texts = [text for text in openings if text]
        opening_row: dict[int, int] = {}
        for n, text in enumerate(openings):
            if text:
                opening_row[n] = len(opening_row)
        sentence_rows: list[range] = []
        for found in sentences:
            sentence_rows.append(range(len(texts), len(texts) + len(found)))
            texts.extend(found)
        similarity = embeddings.embed(texts, batch_size=self.batch_size) @ self._phrase_vectors.T
        n_top = len(self._top)
        top_scores = prototype_scores(similarity, self._owners, n_top, self.config.top_k)
        child_scores = prototype_scores(similarity, self._owners, len(self._groups), self.config.child_top_k)
        top_codes = [c.qcode for c in self._top]

        outputs = []
        for n, item in enumerate(items):
            signals = publisher_qcodes(item.publisher_categories, item.url, self._names)
            row = opening_row.get(n)
            if row is None and not signals:
                if readable[n]:
                    outputs.append(StageOutput(item.article_id, error="the article has no text to categorise"))
                else:
                    outputs.append(StageOutput(item.article_id, values={"categories": []}))
                continue
            scores: dict[str, float] = {}
            share: dict[str, float] = {}
            children: dict[str, dict[str, float]] = {}
            if row is not None:
                opening = {code: float(top_scores[row, i]) for i, code in enumerate(top_codes)}
                rows = sentence_rows[n]
                share = sentence_shares(top_scores[rows.start : rows.stop], top_codes, self.config.temperature)
                scores = top_level_scores(opening, share, self.config)
                children = {
                    t.qcode: {
                        c.qcode: float(child_scores[row, self._group_index[c.qcode]]) for c in self._children[t.qcode]
                    }
                    for t in self._top
                }
            chosen = select_categories(scores, share, children, signals, self._parents, self.config)
            outputs.append(StageOutput(item.article_id, values={"categories": [c.as_value() for c in chosen]}))
        return outputs


def _is_english(item: ArticleText) -> bool:
    language = item.facts.get("language")
    return not language or str(language).casefold().startswith("en")


def category_links_from_values(values: Mapping[str, object]) -> list[dict[str, object]]:
    """The well-formed {"qcode", "score", "origin"} entries of a stored "categories" value, best first.

    Stored values outlive code changes, so anything malformed is dropped rather than trusted.
    """
    raw = values.get("categories") if isinstance(values, Mapping) else None
    if not isinstance(raw, list):
        return []
    links: dict[tuple[str, str], dict[str, object]] = {}
    for entry in raw:
        if not isinstance(entry, Mapping):
            continue
        qcode, score, origin = entry.get("qcode"), entry.get("score"), entry.get("origin", MODEL)
        if not isinstance(qcode, str) or not qcode or origin not in (MODEL, PUBLISHER):
            continue
        if isinstance(score, bool) or not isinstance(score, int | float) or not np.isfinite(score):
            continue
        key = (qcode, str(origin))
        if key not in links or float(score) > float(links[key]["score"]):  # type: ignore[arg-type]
            links[key] = {"qcode": qcode, "score": float(score), "origin": origin}
    return sorted(links.values(), key=lambda link: float(link["score"]), reverse=True)  # type: ignore[arg-type]
