"""Entities: people, organisations, places and events named in an article, with their salience."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings

from tidings.enrichment.nlp import load_spacy
from tidings.enrichment.stage import ArticleText, StageOutput
from tidings.enrichment.stages.entities.nouns import english_nouns
from tidings.enrichment.stages.entities.rules import Line, Span, article_lines, extract_entities
from tidings.taxonomy.gazetteer import Gazetteer, default_gazetteer
from tidings.taxonomy.topics import prepare_topics, store_topic_links
from tidings.taxonomy.world_places import known_place, world_places

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

logger = logging.getLogger(__name__)

_MODEL_LANGUAGES = frozenset({"en"})


class EntityStage:
    name: ClassVar[str] = "entities"
    # 2: a person or organisation named like a known city or country is a place
    # 3: cities from GeoNames instead of a hand list, no seed organisations; defined acronyms found wherever
    #    written; organisation heads ("Units", "Command", "Ministry of") make a name an organisation
    # 4: a person the model tagged as an organisation is a person (people.py), given names join the full name
    # 5: a plural common noun capitalised only at a sentence's start is no entity ("Friends said…", nouns.py)
    version: ClassVar[int] = 5
    requires: ClassVar[frozenset[str]] = frozenset({"language"})
    provides: ClassVar[frozenset[str]] = frozenset({"entities"})
    stored_apart: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, *, batch_size: int = 32, model: str | None = None, max_entities: int = 30) -> None:
        self.batch_size = batch_size
        self.model = model
        self.max_entities = max_entities
        self._nlp: Language | None = None
        self._gazetteer: Gazetteer | None = None

    def setup(self) -> None:
        if self._nlp is None:
            self._nlp = load_spacy(self.model or settings.SPACY_MODEL)
        if self._gazetteer is None:
            self._gazetteer = default_gazetteer()
            world_places()  # read the world gazetteer now, not inside the first batch
            english_nouns(self.model or settings.SPACY_MODEL)

    def process_batch(self, items: Sequence[ArticleText]) -> list[StageOutput]:
        if not items:
            return []
        self.setup()
        assert self._nlp is not None and self._gazetteer is not None
        article_lines_list = [article_lines(item.headline, item.standfirst, item.paragraphs) for item in items]
        # One nlp.pipe over every line of every English article in the batch; other languages get the
        # gazetteer alone, since the model reads English only.
        texts: list[str] = []
        for item, lines in zip(items, article_lines_list, strict=True):
            if _reads_english(item):
                texts.extend(line.text for line in lines)
        docs = iter(self._nlp.pipe(texts, batch_size=self.batch_size))
        outputs = []
        for item, lines in zip(items, article_lines_list, strict=True):
            spans = _spans_for(lines, docs) if _reads_english(item) else [[] for _ in lines]
            outputs.append(self._output(item, lines, spans))
        return outputs

    def _output(self, item: ArticleText, lines: list[Line], spans: list[list[Span]]) -> StageOutput:
        assert self._gazetteer is not None
        try:
            entities = extract_entities(
                lines,
                spans,
                self._gazetteer,
                limit=self.max_entities,
                is_place=known_place,
                read_by_model=_reads_english(item),
                common_nouns=english_nouns(self.model or settings.SPACY_MODEL),
            )
        except (ValueError, KeyError, IndexError) as exc:
            logger.warning("entities_failed article=%s error=%s", item.article_id, exc)
            return StageOutput(item.article_id, error=f"entity rules failed: {exc}")
        return StageOutput(item.article_id, {"entities": entities})

    def prepare(self, values: Mapping[int, Mapping[str, object]]) -> None:
        """The batch's topics made before the links' transaction (runner._store; taxonomy.topics.prepare_topics)."""
        prepare_topics(found.get("entities") for found in values.values())

    def store(self, values: Mapping[int, Mapping[str, object]]) -> None:
        """Each article's entities become its topic links (taxonomy.topics)."""
        for pk, found in values.items():
            entities = found.get("entities")
            if isinstance(entities, list):
                store_topic_links(pk, entities)


def _spans_for(lines: list[Line], docs: Iterator[Doc]) -> list[list[Span]]:
    """The entity spans of each line, taken in order from the docs of the whole batch."""
    spans = []
    for _line in lines:
        doc = next(docs)
        spans.append([Span(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents])
    return spans


def _reads_english(item: ArticleText) -> bool:
    language = item.facts.get("language")
    return not language or language in _MODEL_LANGUAGES
