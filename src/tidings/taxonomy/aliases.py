"""Alias keys: one normalised spelling per name, so "the U.S.", "US" and "us" meet at the same key."""

from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'", "\u02bc": "'"})
_SPACES = re.compile(r"\s+")
_EDGE_PUNCTUATION = " .,;:!?\"'()[]{}"


def strip_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def strip_possessive(text: str) -> str:
    """Drop a trailing possessive: "Assad's" → "Assad", "Syria's" → "Syria", "Jesus'" → "Jesus"."""
    text = text.rstrip()
    for suffix in ("'s", "\u2019s", "'S", "\u2019S"):
        if text.endswith(suffix):
            return text[: -len(suffix)]
    if text.endswith(("s'", "s\u2019")):
        return text[:-1]
    return text


def normalise(name: str) -> str:
    """The lookup key of a name: casefolded, no diacritics, no possessive, single spaces, no leading "the"."""
    text = strip_diacritics(name.translate(_APOSTROPHES))
    text = _SPACES.sub(" ", text).strip(_EDGE_PUNCTUATION + " ")
    text = strip_possessive(text).strip(_EDGE_PUNCTUATION)
    text = _collapse_acronym_dots(text)
    text = text.casefold()
    if text.startswith("the "):
        text = text[4:]
    return _SPACES.sub(" ", text).strip()


def _collapse_acronym_dots(text: str) -> str:
    """ "U.S." → "US", "St. Petersburg" → "St Petersburg": dots after words carry no meaning in a key."""
    words = []
    for word in text.split(" "):
        letters = word.replace(".", "")
        if "." in word and len(letters) <= 5 and all(len(part) <= 1 for part in word.split(".")):
            words.append(letters)
        else:
            words.append(word.rstrip("."))
    return " ".join(words)
