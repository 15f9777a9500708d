"""Language: the ISO 639-1 code of an article's text, from py3langid."""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from tidings.articles.models import Article
from tidings.enrichment.stage import ArticleText, StageOutput

logger = logging.getLogger(__name__)

_identifier: Any = None
_lock = threading.Lock()

MAX_CHARS = 5000  # the first few paragraphs decide; more text costs time and changes nothing


def load_identifier() -> Any:
    """py3langid's model with normalised probabilities, loaded once per process (`reset_identifier()`)."""
    global _identifier
    with _lock:
        if _identifier is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        return _identifier


def reset_identifier() -> None:
    global _identifier
    with _lock:
        _identifier = None


class LanguageStage:
    name: ClassVar[str] = "language"
    version: ClassVar[int] = 1
    requires: ClassVar[frozenset[str]] = frozenset()
    provides: ClassVar[frozenset[str]] = frozenset({"language"})
    stored_apart: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, *, batch_size: int = 64, max_chars: int = MAX_CHARS) -> None:
        self.batch_size = batch_size
        self.max_chars = max_chars
        self._identifier: Any = None

    def setup(self) -> None:
        if self._identifier is None:
            self._identifier = load_identifier()

    def process_batch(self, items: Sequence[ArticleText]) -> list[StageOutput]:
        if not items:
            return []
        self.setup()
        return [self._detect(item) for item in items]

    def store(self, values: Mapping[int, Mapping[str, object]]) -> None:
        """The language also goes to Article.language (cut to the column's 16 characters)."""
        by_language: dict[str, list[int]] = defaultdict(list)
        for pk, found in values.items():
            language = found.get("language")
            if isinstance(language, str) and language:
                by_language[language[:16]].append(pk)
        for language, pks in by_language.items():
            Article.objects.filter(pk__in=pks).update(language=language)

    def _detect(self, item: ArticleText) -> StageOutput:
        text = item.text[: self.max_chars]
        if not any(ch.isalpha() for ch in text):
            return StageOutput(item.article_id, error="no text to tell the language of")
        code, confidence = self._identifier.classify(text)
        logger.debug("language_detected article=%s language=%s confidence=%.2f", item.article_id, code, confidence)
        return StageOutput(item.article_id, {"language": str(code)})
