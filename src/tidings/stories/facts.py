"""Pure: the figures and days an article's opening states, as name keys for story clustering.

Two similar but distinct events (two earthquakes in one region, two arrests of one actor) are often told
apart by how many, how strong, and when: "a 6.1 magnitude quake on Tuesday" against "a 4.4 quake on
Sunday". `fact_keys` turns the figures of the headline, standfirst and first paragraphs into keys that
`clustering.entity_overlap` compares like the people named, each kind with its weight in
`Params.kind_weights` and each key weighted by its rarity (a "2" many articles share says little).

A figure counts only with what it counts: one key per word next to it, "number:11:dead" for "11 dead",
"number:11:goal" for "scored 11 goals" (so "11 dead" and "11 goals" share nothing), "number:6.1:magnitude"
and "number:6.1:quake" for both "a 6.1 magnitude quake" and "magnitude 6.1 quake". The words are the
nearest content word before the figure and the first two after it, within the clause (no sentence
punctuation between), lower-cased and singular ("goals" -> "goal"); filler ("of", "the", "at least", "some")
is skipped. A figure with no such word makes no key. A year (1900-2099 alone) is "number:2005:year".
Weekday and month names are "date:tuesday", "date:march"; month names count only when capitalised ("may",
"march" are also words). Written-out numbers ("six") are not read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

LEAD_PARAGRAPHS = 3
WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
MONTHS = frozenset("january february march april may june july august september october november december".split())
# Words that say nothing about what a figure counts; skipped when looking for its context words.
FILLER = frozenset(
    "a an the of at least most more than less fewer about around nearly almost some over under up to and or "
    "as by in on for from with were was is are be been being had has have per each only just another other "
    "some all its their his her our this that these those".split()
)
WORDS_BEFORE = 1
WORDS_AFTER = 2
REACH = 3  # tokens looked at on each side of a figure
_NUMBER = r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?!\w|\.\d)"
_TOKEN = re.compile(rf"{_NUMBER}|([^\W\d_]+(?:'[^\W\d_]+)?)|([.;:!?()\"“”])")
_WORD = re.compile(r"[^\W\d_]+")


def lead_text(headline: str, standfirst: str, paragraphs: Sequence[str]) -> str:
    """The part of an article whose figures are compared: headline, standfirst, first paragraphs."""
    return "\n".join([headline, standfirst, *paragraphs[:LEAD_PARAGRAPHS]])


def fact_keys(text: str) -> frozenset[str]:
    """ "number:<figure>:<word>" for each figure and word it counts, "number:<year>:year", "date:…" for days."""
    keys: set[str] = set()
    for clause in re.split(r"\n", text):
        keys |= _figure_keys(clause)
    for word in _WORD.findall(text):
        folded = word.casefold()
        if folded in WEEKDAYS or (folded in MONTHS and word[0].isupper()):
            keys.add(f"date:{folded}")
    return frozenset(keys)


def _figure_keys(line: str) -> set[str]:
    # tokens: ("n", figure) | ("w", word) | ("p", punctuation)
    tokens = [
        ("n", m.group(1).replace(",", "")) if m.group(1) else ("w", m.group(2)) if m.group(2) else ("p", m.group(3))
        for m in _TOKEN.finditer(line)
    ]
    keys = set()
    for at, (kind, figure) in enumerate(tokens):
        if kind != "n":
            continue
        if len(figure) == 4 and figure[:2] in ("19", "20"):
            keys.add(f"number:{figure}:year")
            continue
        words = _context(tokens[at - 1 :: -1] if at else [], WORDS_BEFORE) + _context(tokens[at + 1 :], WORDS_AFTER)
        keys.update(f"number:{figure}:{word}" for word in words)
    return keys


def _context(side: Sequence[tuple[str, str]], wanted: int) -> list[str]:
    """The first `wanted` content words of one side of a figure, within REACH tokens, not past punctuation or
    another figure."""
    found: list[str] = []
    for kind, text in side[:REACH]:
        if kind != "w":
            break
        word = singular(text.casefold())
        if word in FILLER:
            continue
        found.append(word)
        if len(found) == wanted:
            break
    return found


def singular(word: str) -> str:
    """A crude singular, enough to match "goals" with "goal" and "casualties" with "casualty"."""
    word = word.removesuffix("'s")
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word
