"""Keyphrases: the salient "what it is about" keywords of an article, beyond its named entities.

Rules only (stages/keyphrases/rules.py): no model and no second spaCy parse, so the stage costs a
fraction of the entities stage. Its output also carries the entities stage's keyword-kind entities (laws,
products, works), because the keyphrases stage owns the article's keyword topic links
(taxonomy.topics.store_keyphrase_links replaces them all).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import ClassVar

from tidings.enrichment.stage import ArticleText, StageOutput
from tidings.enrichment.stages.entities.rules import article_lines
from tidings.enrichment.stages.keyphrases.rules import MAX_KEYPHRASES, extract_keyphrases
from tidings.enrichment.stages.keyphrases.specificity import zipf
from tidings.taxonomy.aliases import normalise
from tidings.taxonomy.topics import prepare_topics, store_keyphrase_links

logger = logging.getLogger(__name__)


class KeyphraseStage:
    name: ClassVar[str] = "keyphrases"
    version: ClassVar[int] = 2  # 2: single words only when rare in English; no descriptions of people
    requires: ClassVar[frozenset[str]] = frozenset({"language", "entities"})
    provides: ClassVar[frozenset[str]] = frozenset({"keyphrases"})
    stored_apart: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, *, batch_size: int = 64, max_keyphrases: int = MAX_KEYPHRASES) -> None:
        self.batch_size = batch_size
        self.max_keyphrases = max_keyphrases

    def setup(self) -> None:
        """Read the word-frequency table now rather than inside the first batch."""
        zipf("the")

    def process_batch(self, items: Sequence[ArticleText]) -> list[StageOutput]:
        return [self._one(item) for item in items]

    def _one(self, item: ArticleText) -> StageOutput:
        entities = _entities(item.facts.get("entities"))
        names = [str(name) for e in entities for name in (e.get("name"), *_aliases(e)) if name]
        try:
            lines = article_lines(item.headline, item.standfirst, item.paragraphs)
            phrases = extract_keyphrases(lines, exclude=names, limit=self.max_keyphrases)
        except (ValueError, KeyError, IndexError) as exc:
            logger.warning("keyphrases_failed article=%s error=%s", item.article_id, exc)
            return StageOutput(item.article_id, error=f"keyphrase rules failed: {exc}")
        keys = {phrase.key for phrase in phrases}
        carried = [
            {
                "name": e["name"],
                "kind": "keyword",
                "mentions": e.get("mentions", 1),
                "score": e.get("score", 0.0),
                "aliases": _aliases(e),
                "from": "entities",
            }
            for e in entities
            if e.get("kind") == "keyword" and e.get("name") and normalise(str(e["name"])) not in keys
        ]
        return StageOutput(item.article_id, {"keyphrases": [p.as_fact() for p in phrases] + carried})

    def prepare(self, values: Mapping[int, Mapping[str, object]]) -> None:
        """The batch's keyword topics made before the links' transaction (runner._store)."""
        prepare_topics((found.get("keyphrases") for found in values.values()), keywords=True)

    def store(self, values: Mapping[int, Mapping[str, object]]) -> None:
        """Each article's keyphrases replace its keyword topic links (taxonomy.topics)."""
        for pk, found in values.items():
            phrases = found.get("keyphrases")
            if isinstance(phrases, list):
                store_keyphrase_links(pk, phrases)


def _entities(value: object) -> list[Mapping[str, object]]:
    return [e for e in value if isinstance(e, Mapping)] if isinstance(value, list) else []


def _aliases(entity: Mapping[str, object]) -> list[str]:
    aliases = entity.get("aliases")
    return [str(a) for a in aliases if a] if isinstance(aliases, list) else []
