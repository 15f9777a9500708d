"""spaCy pipelines loaded once per process, shared by the entity stage and the claims extractor.

Pure of Django: importing it loads no settings or models, so `tidings claims` runs without a database.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from tidings.lib.errors import TidingsError

if TYPE_CHECKING:
    from spacy.language import Language

logger = logging.getLogger(__name__)

# Only the entity recogniser runs; tagging, parsing and lemmas are not needed for names.
_UNUSED_PIPES = ("tagger", "parser", "attribute_ruler", "lemmatizer", "senter")

_models: dict[tuple[str, tuple[str, ...]], Language] = {}
_lock = threading.Lock()


class ModelMissing(TidingsError):
    """The spaCy model named in settings is not installed."""

    permanent = True


def load_spacy(name: str, exclude: tuple[str, ...] = _UNUSED_PIPES) -> Language:
    """The spaCy pipeline `name` without the `exclude` pipes, loaded once per process (`reset_models()` forgets it).

    The entity stage needs only the recogniser; the claims extractor passes `exclude=()` for the parser too.
    """
    key = (name, exclude)
    with _lock:
        if key not in _models:
            import spacy

            try:
                _models[key] = spacy.load(name, exclude=list(exclude))
            except OSError as exc:
                raise ModelMissing(f"the spaCy model {name!r} is not installed ({exc})") from exc
            logger.info("spacy_model_loaded model=%s pipes=%s", name, ",".join(_models[key].pipe_names))
        return _models[key]


def reset_models() -> None:
    with _lock:
        _models.clear()
