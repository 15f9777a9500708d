"""IPTC categories for each article: zero-shot similarity to our descriptions, publisher signals, and the
supervised model trained on editor corrections (when one has been trained)."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import ClassVar

import numpy as np

from tidings.enrichment import embeddings
from tidings.enrichment.stage import ArticleText, StageOutput
from tidings.enrichment.stages.categories import model as category_model
from tidings.enrichment.stages.categories.evidence import EvidenceConfig, apply_evidence, cue_density
from tidings.enrichment.stages.categories.scoring import (
    MODEL,
    PUBLISHER,
    ScoringConfig,
    article_sentences,
    category_name_index,
    description_phrases,
    example_bias,
    for_length,
    mixed_prototype_scores,
    publisher_qcodes,
    select_categories,
    sentence_shares,
    top_level_scores,
)
from tidings.enrichment.stages.embedding import opening_text
from tidings.taxonomy import iptc
from tidings.taxonomy.linking import store_category_links

log = logging.getLogger(__name__)

NO_TEXT = "the article has no text to categorise"


class CategoryStage:
    """Uses the "embedding" fact as the opening text's vector (and embeds the opening itself when it is absent)."""

    name: ClassVar[str] = "categories"
    # 3: example sentences, learned second-level categories; 4: actor cue evidence; 5: technology cues and examples;
    # 6: short-text settings (scoring.for_length); 7: descriptions, examples and cue lists rewritten as
    # general news vocabulary (no 2004-05 British desk words); 8: the twelve categories BBC does not label rewritten
    # from IPTC's scope alone; 9: per-category offsets calibrated on the example sentences, short-text settings
    # re-chosen; 10: actor cue lists rewritten from scratch from IPTC topic names and general news vocabulary
    version: ClassVar[int] = 10
    # Reuses "embedding" when an earlier stage provides it (EmbeddingStage); requires nothing so it also runs alone.
    requires: ClassVar[frozenset[str]] = frozenset()
    provides: ClassVar[frozenset[str]] = frozenset({"categories"})
    stored_apart: ClassVar[frozenset[str]] = frozenset()

    def __init__(
        self,
        *,
        batch_size: int = 32,
        max_words: int = 200,
        config: ScoringConfig | None = None,
        evidence_config: EvidenceConfig | None = None,
        supervised: bool = True,
    ) -> None:
        self.batch_size = batch_size
        self.max_words = max_words
        self.config = config or ScoringConfig()
        self.evidence_config = evidence_config or EvidenceConfig()
        self.supervised = supervised
        self._ready = False

    def setup(self) -> None:
        """Load the embedding model and embed every category's prototype phrases, once per process."""
        if self._ready:
            return
        categories = iptc.load_categories()
        self._top = [c for c in categories if c.level == 1]
        self._top_codes = [c.qcode for c in self._top]
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
                phrases.append(self.config.phrase_prefix + phrase)
                owners.append(index)
        self._phrase_vectors = embeddings.embed_phrases(phrases)
        self._owners = np.asarray(owners)
        examples: list[str] = []
        example_owners: list[int] = []
        written = category_examples()
        for index, category in enumerate(self._groups):
            for sentence in written.get(category.qcode, ()):
                examples.append(sentence)
                example_owners.append(index)
        self._example_vectors = (
            embeddings.embed_phrases(examples) if examples else np.zeros((0, embeddings.DIMENSIONS), np.float32)
        )
        self._example_owners = np.asarray(example_owners, dtype=np.int64)
        # Each top-level category's offset, calibrated on our own example sentences (scoring.example_bias).
        examples_owned = (self._example_vectors, self._example_owners)
        phrases_owned = (self._phrase_vectors, self._owners)
        offsets = example_bias(examples_owned, phrases_owned, len(self._top), self.config)
        self._bias = self.config.example_bias_weight * offsets
        self._ready = True
        log.info(
            "category_stage_ready categories=%d phrases=%d examples=%d", len(self._groups), len(phrases), len(examples)
        )

    def _group_scores(self, vectors: np.ndarray, n_groups: int, top_k: int) -> np.ndarray:
        return mixed_prototype_scores(
            vectors,
            (self._phrase_vectors, self._owners),
            (self._example_vectors, self._example_owners),
            n_groups,
            top_k,
            self.config,
        )

    def process_batch(self, items: Sequence[ArticleText]) -> list[StageOutput]:
        if not items:
            return []
        model = category_model.get_model() if self.supervised else None
        return [self.choose(evidence, model) for evidence in self.evidence(items)]

    def store(self, values: Mapping[int, Mapping[str, object]]) -> None:
        """Each article's categories replace its model and publisher category links (taxonomy.linking)."""
        for pk, found in values.items():
            categories = found.get("categories")
            if isinstance(categories, list):
                store_category_links(pk, categories)

    def evidence(self, items: Sequence[ArticleText]) -> list[ZeroShotEvidence]:
        """Zero-shot scores and publisher signals per article, with one embedding call for the batch."""
        if not items:
            return []
        self.setup()
        # The model reads English only; other languages keep just what the publisher says.
        readable = [_is_english(item) for item in items]
        openings = [opening_text(i, self.max_words) if ok else "" for i, ok in zip(items, readable, strict=True)]
        given = [
            embeddings.as_vector(i.facts.get("embedding")) if text else None
            for i, text in zip(items, openings, strict=True)
        ]
        sentences = [
            article_sentences(i.headline, i.standfirst, i.paragraphs, self.config) if text else []
            for i, text in zip(items, openings, strict=True)
        ]
        # One embedding call for the whole batch: openings without an "embedding" fact, then every sentence.
        texts = [text for text, vector in zip(openings, given, strict=True) if text and vector is None]
        sentence_rows: list[range] = []
        for found in sentences:
            sentence_rows.append(range(len(texts), len(texts) + len(found)))
            texts.extend(found)
        computed = embeddings.embed(texts, batch_size=self.batch_size)
        opening_vectors: dict[int, np.ndarray] = {}
        fresh = iter(computed)
        for n, (text, vector) in enumerate(zip(openings, given, strict=True)):
            if text:
                opening_vectors[n] = vector if vector is not None else next(fresh)
        rows = sorted(opening_vectors)
        matrix = np.vstack([opening_vectors[n] for n in rows]) if rows else np.zeros((0, embeddings.DIMENSIONS))
        opening_row = {n: r for r, n in enumerate(rows)}
        top_scores = self._group_scores(matrix, len(self._top), self.config.top_k) + self._bias
        child_scores = self._group_scores(matrix, len(self._groups), self.config.child_top_k)
        sentence_top = self._group_scores(computed, len(self._top), self.config.top_k) + self._bias
        outputs = []
        for n, item in enumerate(items):
            row = opening_row.get(n)
            evidence = ZeroShotEvidence(
                article_id=item.article_id,
                readable=readable[n],
                publisher=publisher_qcodes(item.publisher_categories, item.url, self._names),
                vector=matrix[row] if row is not None else None,
            )
            if row is not None:
                voters = sentence_rows[n]
                config = for_length(self.config, len(openings[n].split()))
                share = sentence_shares(
                    sentence_top[voters.start : voters.stop],
                    self._top_codes,
                    config.temperature,
                    _vote_weights(item.headline, sentences[n], config.short_headline_vote),
                )
                opening = {code: float(top_scores[row, i]) for i, code in enumerate(self._top_codes)}
                embedded = top_level_scores(opening, share, config)
                cues = cue_density(item.headline, item.standfirst, item.paragraphs, self.evidence_config)
                evidence = replace(
                    evidence,
                    scores=apply_evidence(embedded, cues, self.evidence_config),
                    embedding_scores=embedded,
                    cues=cues,
                    share=share,
                    children={
                        t.qcode: {
                            c.qcode: float(child_scores[row, self._group_index[c.qcode]])
                            for c in self._children[t.qcode]
                        }
                        for t in self._top
                    },
                )
            outputs.append(evidence)
        return outputs

    def choose(self, evidence: ZeroShotEvidence, model: category_model.CategoryModel | None) -> StageOutput:
        """The categories for one article from its evidence, blended with the supervised model when given."""
        if evidence.vector is None and not evidence.publisher:
            if evidence.readable:
                return StageOutput(evidence.article_id, error=NO_TEXT)
            return StageOutput(evidence.article_id, values={"categories": []})
        scores, share = dict(evidence.scores), dict(evidence.share)
        learned: dict[str, float] = {}
        weight = 0.0
        if model is not None and evidence.vector is not None and scores:
            # The learned probabilities count as evidence for the choice of further categories as well.
            learned, weight = model.predict(evidence.vector), model.blend_weight
            scores = category_model.blend_scores(scores, learned, weight)
            share = category_model.blend_scores(share, learned, weight)
        chosen = select_categories(
            scores, share, evidence.children, evidence.publisher, self._parents, self.config, learned, weight
        )
        return StageOutput(evidence.article_id, values={"categories": [c.as_value() for c in chosen]})


@dataclass(frozen=True, slots=True)
class ZeroShotEvidence:
    """What the stage found for one article before the supervised model and the final choice."""

    article_id: int
    readable: bool
    publisher: frozenset[str]
    vector: np.ndarray | None  # the opening text's embedding; None without readable text
    scores: Mapping[str, float] = field(default_factory=dict)  # top level: embedding_scores with the cue evidence
    embedding_scores: Mapping[str, float] = field(default_factory=dict)  # top level, from top_level_scores()
    cues: Mapping[str, float] = field(default_factory=dict)  # actor cue hits per 100 words (evidence.py)
    share: Mapping[str, float] = field(default_factory=dict)  # sentence shares
    children: Mapping[str, Mapping[str, float]] = field(default_factory=dict)


@cache
def category_examples() -> dict[str, tuple[str, ...]]:
    """qcode → the short example news sentences our taxonomy file gives for it (key "examples"; may be absent)."""
    doc = json.loads(iptc.DATA_FILE.read_text(encoding="utf-8"))
    return {
        str(entry["qcode"]): tuple(str(e) for e in entry.get("examples") or () if str(e).strip())
        for entry in doc.get("categories", ())
        if isinstance(entry, dict) and "qcode" in entry
    }


def _vote_weights(headline: str, sentences: Sequence[str], headline_vote: float) -> list[float]:
    """One vote weight per sentence: headline_vote for the headline (article_sentences puts it first), 1 otherwise."""
    return [headline_vote if n == 0 and s == headline.strip() else 1.0 for n, s in enumerate(sentences)]


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
