"""Plural common nouns the model takes for names: "Friends said…", "Neighbours said…", "Charities said…".

A sentence's first word is capitalised whatever it is, so a capital there is no sign of a name. A one-word name
that is the plural of an English noun ("friend", "charity", "conservationist": the noun index of the spaCy model's
lemmatizer, WordNet's nouns) and that an article writes capitalised only at the start of a sentence is a common
noun, no entity or speaker topic. A name the gazetteer knows, one written capitalised mid-sentence ("shares in
Apple"), an acronym, or a word whose singular is no English noun ("Reuters", "Hamas", "Barclays") stays a name.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Collection
from functools import cache

logger = logging.getLogger(__name__)

# Openers that may stand before a sentence's first word: quotes and brackets.
_OPENERS = " \t\"'([\u201c\u2018\u2014\u2013-"
_SENTENCE_ENDS = ".!?:;\u2026"


@cache
def english_nouns(model: str) -> frozenset[str]:
    """The nouns of the spaCy model `model`'s lemmatizer index (lower case); empty when it has none."""
    from tidings.enrichment.nlp import ModelMissing, load_spacy

    keep = ("lemmatizer",)
    try:
        nlp = load_spacy(model, exclude=tuple(p for p in _all_pipes(model) if p not in keep))
        lookups = nlp.get_pipe("lemmatizer").lookups  # type: ignore[attr-defined]
        return frozenset(str(noun) for noun in lookups.get_table("lemma_index")["noun"])
    except (ModelMissing, KeyError, AttributeError, ValueError) as exc:
        logger.warning("english_nouns_missing model=%s error=%s", model, exc)
        return frozenset()


def _all_pipes(model: str) -> tuple[str, ...]:
    import spacy.util

    try:
        meta = spacy.util.get_model_meta(spacy.util.get_package_path(model))
    except (OSError, ValueError, ModuleNotFoundError):
        return ()
    return tuple(str(p) for p in meta.get("pipeline", ()))


def singulars(word: str) -> tuple[str, ...]:
    """The singulars a plural may have: "charities" → "charity", "witnesses" → "witness"; () for no plural."""
    word = word.lower()
    if len(word) < 4 or not word.endswith("s") or word.endswith(("ss", "us", "is")):
        return ()
    if word.endswith("ies"):
        return (word[:-3] + "y",)
    if word.endswith("es"):
        return (word[:-2], word[:-1])
    return (word[:-1],)


def plural_common_noun(name: str, nouns: Collection[str]) -> bool:
    """One alphabetic word, not an acronym, the plural of an English noun: "Friends", "Conservationists"."""
    return name.isalpha() and not name.isupper() and name[:1].isupper() and any(s in nouns for s in singulars(name))


def sentence_initial(text: str, start: int) -> bool:
    """Whether the word at `start` begins a sentence (or a quotation, a bracket, the text)."""
    before = text[:start].rstrip(_OPENERS)
    return not before or before[-1] in _SENTENCE_ENDS or before.endswith("\n")


def written_mid_sentence(text: str, word: str) -> bool:
    """Whether `text` writes `word`, so capitalised, anywhere but at a sentence's start."""
    pattern = re.compile(rf"(?<![^\W\d_]){re.escape(word)}(?![^\W\d_])")
    return any(not sentence_initial(text, m.start()) for m in pattern.finditer(text))


def common_noun_speaker(name: str, text: str, nouns: Collection[str]) -> bool:
    """A plural common noun that `text` capitalises only where a sentence starts: no name ("Friends said…")."""
    return plural_common_noun(name, nouns) and not written_mid_sentence(text, name)
