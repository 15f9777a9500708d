"""Pure: the edits syndication makes to a story, for building near-duplicate pairs from real texts.

`syndicate(headline, paragraphs, kind, strength, rng, other_headline)` returns the copy's (headline, paragraphs).
Kinds follow what an outlet does when it runs another's story: a new headline, its boilerplate line at the top
or bottom, the last paragraphs cut, a paragraph dropped or two swapped, typography changed, a few words
changed (dateline, local spelling, wording), an editor's note inserted; `mixed` does several at once.
Strength 1 is light, 3 heavy. Every random choice comes from `rng`, so a seed fixes the pairs.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence

KINDS = ("headline", "boilerplate", "truncate", "drop", "reorder", "typography", "words", "editor_note", "mixed")
STRENGTHS = (1, 2, 3)

Copy = tuple[str, list[str]]

_OUTLETS = ("the Riverside Courier", "Northfield Daily", "the Harbour Gazette", "Valley Public Radio")
_BOILERPLATE_TOP = (
    "This story was first published by {outlet}.",
    "This article is republished from {outlet} under a Creative Commons licence.",
    "Originally published by {outlet}. Republished with permission.",
)
_BOILERPLATE_BOTTOM = (
    "Read more: https://www.example.org/news/latest",
    "Sign up for our morning newsletter to get stories like this in your inbox.",
    "Copyright {outlet}. All rights reserved. This material may not be redistributed.",
)
_NOTES = (
    "Editor's note: this article has been updated with a response from the agency.",
    "Editor's note: an earlier version of this story misspelled a name; it has been corrected.",
    "Correction: a previous version of this article gave the wrong title for one official.",
)
_DATELINES = ("WASHINGTON (AP) —", "LONDON (Reuters) -", "NEW YORK —", "SYDNEY (AAP) –")  # noqa: RUF001
# US ↔ UK spellings an outlet's style guide changes (both directions).
_SPELLINGS = {
    "color": "colour",
    "center": "centre",
    "organization": "organisation",
    "program": "programme",
    "defense": "defence",
    "favor": "favour",
    "labor": "labour",
    "theater": "theatre",
    "analyze": "analyse",
    "criticized": "criticised",
    "recognized": "recognised",
    "realized": "realised",
    "neighbor": "neighbour",
    "traveled": "travelled",
    "percent": "per cent",
    "license": "licence",
    "gray": "grey",
    "toward": "towards",
}
_SPELLINGS |= {uk: us for us, uk in list(_SPELLINGS.items())}
_WORD_SWAPS = ("said", "told", "added", "noted", "also", "now", "then", "still", "about", "nearly", "some", "many")
_TOKEN = re.compile(r"\S+")


def syndicate(
    headline: str, paragraphs: Sequence[str], kind: str, strength: int, rng: random.Random, other_headline: str = ""
) -> Copy:
    """One syndicated copy of (headline, paragraphs): `kind` of edit at `strength` 1-3."""
    copy: Copy = (headline, list(paragraphs))
    if kind == "mixed":
        # Every copy gets a headline and a boilerplate line; stronger copies are also cut and retouched.
        steps = ["headline", "boilerplate", "typography", *["truncate", "words", "editor_note", "drop"][: strength + 1]]
        for step in steps:
            copy = EDITS[step](copy, strength, rng, other_headline)
        return copy
    return EDITS[kind](copy, strength, rng, other_headline)


def _headline(copy: Copy, strength: int, rng: random.Random, other: str) -> Copy:
    """1: an outlet's prefix/suffix; 2: the headline's words shuffled and some dropped; 3: an unrelated headline."""
    headline, paragraphs = copy
    if strength == 1:
        return f"{rng.choice(('UPDATE 1-', 'WATCH: ', 'Breaking: '))}{headline} | {rng.choice(_OUTLETS)}", paragraphs
    if strength == 2:
        words = headline.split()
        rng.shuffle(words)
        return " ".join(words[: max(2, len(words) * 2 // 3)]), paragraphs
    return other or "What you need to know today", paragraphs


def _boilerplate(copy: Copy, strength: int, rng: random.Random, other: str) -> Copy:
    """`strength` boilerplate lines: at the top, then the bottom, then both."""
    headline, paragraphs = copy
    outlet = rng.choice(_OUTLETS)
    top = [rng.choice(_BOILERPLATE_TOP).format(outlet=outlet)] if strength != 2 else []
    bottom = [line.format(outlet=outlet) for line in rng.sample(_BOILERPLATE_BOTTOM, k={1: 0, 2: 1, 3: 2}[strength])]
    return headline, top + list(paragraphs) + bottom


def _truncate(copy: Copy, strength: int, rng: random.Random, other: str) -> Copy:
    """The last paragraph(s) cut: 1, 2 or 3 of them, always keeping at least two thirds of the paragraphs."""
    headline, paragraphs = copy
    cut = min(strength, len(paragraphs) // 3)
    return headline, list(paragraphs[: len(paragraphs) - cut]) if cut else list(paragraphs)


def _drop(copy: Copy, strength: int, rng: random.Random, other: str) -> Copy:
    """`strength` paragraphs dropped (not the first), at most a quarter of them."""
    headline, paragraphs = copy
    count = min(strength, len(paragraphs) // 4)
    if not count:
        return headline, list(paragraphs)
    gone = set(rng.sample(range(1, len(paragraphs)), k=count))
    return headline, [p for i, p in enumerate(paragraphs) if i not in gone]


def _reorder(copy: Copy, strength: int, rng: random.Random, other: str) -> Copy:
    """`strength` pairs of neighbouring paragraphs swapped."""
    headline, paragraphs = copy
    moved = list(paragraphs)
    for _ in range(strength if len(moved) > 2 else 0):
        at = rng.randrange(len(moved) - 1)
        moved[at], moved[at + 1] = moved[at + 1], moved[at]
    return headline, moved


def _typography(copy: Copy, strength: int, rng: random.Random, other: str) -> Copy:
    """Quotes and dashes swapped for their other forms; 2 adds whitespace changes; 3 adds '&' and '%' spelled out."""
    swaps: list[tuple[str, str]] = [("“", '"'), ("”", '"'), ("’", "'"), ("‘", "'"), (" — ", " -- "), ("–", "-")]  # noqa: RUF001
    if rng.random() < 0.5:  # the other direction: straight to curly
        swaps = [('"', "“"), ("'", "’"), (" - ", " – "), ("--", "—")]  # noqa: RUF001
    if strength >= 3:
        swaps += [(" & ", " and "), ("%", " percent")]

    def retouch(text: str) -> str:
        for old, new in swaps:
            text = text.replace(old, new)
        if strength >= 2:
            text = re.sub(r"([.!?]) ", r"\1  ", text).replace(" ,", ",") + " "
        return text

    headline, paragraphs = copy
    return retouch(headline), [retouch(p) for p in paragraphs]


def _words(copy: Copy, strength: int, rng: random.Random, other: str) -> Copy:
    """A dateline added and local spellings changed; then 1% (2) or 3% (3) of the other words changed."""
    headline, paragraphs = copy
    rate = {1: 0.0, 2: 0.01, 3: 0.03}[strength]

    def reword(match: re.Match[str]) -> str:
        token = match.group(0)
        bare = token.strip(".,;:!?\"'“”’()").lower()  # noqa: RUF001
        if bare in _SPELLINGS:
            return token.replace(bare, _SPELLINGS[bare])
        if rate and token.islower() and rng.random() < rate:
            return rng.choice(_WORD_SWAPS)
        return token

    changed = [_TOKEN.sub(reword, p) for p in paragraphs]
    if changed:
        changed[0] = f"{rng.choice(_DATELINES)} {changed[0]}"
    return headline, changed


def _editor_note(copy: Copy, strength: int, rng: random.Random, other: str) -> Copy:
    """1: a note at the top; 2: at the bottom too; 3: also a correction line in the middle."""
    headline, paragraphs = copy
    notes = rng.sample(_NOTES, k=3)
    edited = [notes[0], *paragraphs]
    if strength >= 2:
        edited.append(notes[1])
    if strength >= 3:
        edited.insert(len(edited) // 2, notes[2])
    return headline, edited


EDITS: dict[str, Callable[[Copy, int, random.Random, str], Copy]] = {
    "headline": _headline,
    "boilerplate": _boilerplate,
    "truncate": _truncate,
    "drop": _drop,
    "reorder": _reorder,
    "typography": _typography,
    "words": _words,
    "editor_note": _editor_note,
}
