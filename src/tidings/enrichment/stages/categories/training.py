"""Train the supervised category model from stored labels: load examples → train (pure) → save the file.

Labels used: editor links (score > 0 means "in this category"; score 0.0 means the editor said "not this
category") and publisher links at or above `min_publisher_score`. Editors overrule the publisher.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone

from tidings.articles.models import Article
from tidings.enrichment import embeddings, vectors
from tidings.enrichment.stages.categories import model as category_model
from tidings.enrichment.stages.categories.scoring import ScoringConfig
from tidings.enrichment.stages.embedding import opening_text
from tidings.lib.errors import InvalidInput
from tidings.taxonomy import iptc
from tidings.taxonomy.models import ArticleCategory, Origin

log = logging.getLogger(__name__)

MIN_PUBLISHER_SCORE = 0.5


@dataclass(frozen=True, slots=True)
class TrainingReport:
    path: Path
    examples: int
    categories: tuple[str, ...]
    embedded_now: int  # articles that had no stored embedding and were embedded for training


def training_labels(min_publisher_score: float = MIN_PUBLISHER_SCORE) -> dict[int, tuple[set[str], set[str]]]:
    """article id → (categories it is in, categories it is not in), top level and second level alike."""
    positive: dict[int, set[str]] = defaultdict(set)
    negative: dict[int, set[str]] = defaultdict(set)
    editor: dict[int, set[str]] = defaultdict(set)
    links = ArticleCategory.objects.filter(origin__in=[Origin.EDITOR, Origin.PUBLISHER]).values_list(
        "article_id", "category__qcode", "origin", "score", "category__level"
    )
    # The stage scores a publisher's second-level label at publisher_weight times its parent's score.
    child_factor = ScoringConfig().publisher_weight
    for article_id, qcode, origin, score, level in links.order_by("origin"):  # editor rows first
        if origin == Origin.EDITOR:
            editor[article_id].add(qcode)
            (positive if score > 0 else negative)[article_id].add(qcode)
        elif qcode not in editor[article_id] and score >= min_publisher_score * (child_factor if level > 1 else 1):
            positive[article_id].add(qcode)
    return {pk: (positive[pk], negative[pk]) for pk in set(positive) | set(negative)}


def train_categories(min_publisher_score: float = MIN_PUBLISHER_SCORE, path: Path | None = None) -> TrainingReport:
    """Train on every labelled article and store the model where CategoryStage finds it."""
    labels = training_labels(min_publisher_score)
    if not labels:
        raise InvalidInput(
            "no labelled articles to learn from: correct some categories in the admin (or keep publisher labels) first"
        )
    stored = vectors.load_embeddings(labels)
    missing = [pk for pk in labels if pk not in stored]
    if missing:
        articles = Article.objects.filter(pk__in=missing)
        from tidings.enrichment.runner import article_text

        texts = {a.pk: opening_text(article_text(a)) for a in articles}
        texts = {pk: text for pk, text in texts.items() if text}
        fresh = dict(zip(texts, embeddings.embed(list(texts.values())), strict=True))
        vectors.store_embeddings(fresh)
        stored.update(fresh)
    examples = [
        category_model.TrainingExample(stored[pk], frozenset(pos), frozenset(neg))
        for pk, (pos, neg) in labels.items()
        if pk in stored
    ]
    model = category_model.train_model(
        examples,
        parents={c.qcode: c.parent for c in iptc.load_categories() if c.parent},
        metadata={
            "trained_at": timezone.now().isoformat(),
            "embedding_model": embeddings.MODEL_NAME,
            "min_publisher_score": min_publisher_score,
        },
    )
    target = category_model.save_model(model, path or category_model.model_file())
    category_model.reset()
    log.info("category_model_trained path=%s examples=%d categories=%d", target, model.examples, len(model.qcodes))
    return TrainingReport(target, model.examples, model.qcodes, len(missing))
