"""Conflicting figures across a story's claims: numbers about the same thing that differ between who says them.

A deliberately simple, surface rule (no parse, no lemmas), so it is easy to predict and to distrust:

- A figure is a number written in digits ("300", "1,200", "2.5"), optionally followed by "thousand", "million"
  or "billion" and a "%". Not figures: years (1900 to 2100 written without a comma), dates ("May 10", "10
  June"), times ("3:30", "10 a.m."), numbers glued to letters or hyphens ("AK-47", "52nd", "59-year-old").
- What it is about ("keys"): the first word that is not a stop word within the three words after the number
  ("300 fighters" → fighters; "300 of the fighters" → fighters), and the word just before it when that is not
  a stop word ("killed 300" → killed). Words are lower-cased, never lemmatised: "killed" and "killing" differ.
  Units ("percent", "days", "miles", "years") are not keys: read on ECB+ stories, "30 days" and "39 days" or
  "40 percent" and "70 percent" were nearly always about different things.
- Two figures are about the same thing when they share a key. A group of figures sharing a key conflicts when
  two different sources (outlet and speaker) give different values.

Known weak: "3 people killed" and "20 people injured" share "people" and are shown as differing; figures
about the same thing in different words ("300 fighters" / "300 militants") are not paired.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

R = TypeVar("R", bound=Hashable)

WINDOW = 3  # words after the number searched for what it counts

_TOKEN = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?%?|[A-Za-z][A-Za-z'-]*")
_MULTIPLIERS = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
MONTHS = frozenset(
    "january february march april may june july august september october november december jan feb mar apr jun jul"
    " aug sep sept oct nov dec".split()
)
UNITS = frozenset(
    """percent per cent year years day days week weeks month months hour hours minute minutes second seconds
    mile miles km kilometres kilometers metres meters feet foot mph times""".split()
)
STOP_WORDS = frozenset(
    """a an the of and or but to in on at by for from with as into onto over under about around nearly almost
    some more than less fewer least most up down out off per this that these those its their his her
    our your my it they he she we you i is are was were be been being has have had do does did not no
    all any each other such only just also very so then there here which who whom whose what when where while
    after before since until during some several many much few including includes include like among between
    say says said according reportedly least approximately roughly estimated""".split()
)


@dataclass(frozen=True, slots=True)
class Statement(Generic[R]):
    """A claim's content and who it comes from; `ref` is handed back untouched (the caller's claim)."""

    text: str
    outlet: str
    speaker: str  # "" when nobody is named
    ref: R


@dataclass(frozen=True, slots=True)
class Figure(Generic[R]):
    value: float
    text: str  # the number as written ("1,200", "2.5 million")
    keys: frozenset[str]
    statement: Statement[R]

    @property
    def source(self) -> tuple[str, str]:
        return (self.statement.outlet, self.statement.speaker)


@dataclass(frozen=True, slots=True)
class Conflict(Generic[R]):
    about: str  # the shared word
    figures: tuple[Figure[R], ...]  # lowest value first, then in the order given

    @property
    def values(self) -> list[float]:
        return sorted({f.value for f in self.figures})


def _number(token: str) -> float | None:
    raw = token.rstrip("%").replace(",", "")
    try:
        return float(raw)
    except ValueError:
        return None


def _is_year(token: str, value: float) -> bool:
    return "," not in token and "." not in token and not token.endswith("%") and 1900 <= value <= 2100


def _glued(text: str, start: int, end: int) -> bool:
    """Part of a name, an ordinal, a time or a compound: AK-47, 52nd, 3:30, 59-year-old."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return before.isalpha() or before in "-:" or after.isalpha() or after in "-:"


def _dated(tokens: list[tuple[str, int, int]], i: int, text: str) -> bool:
    """A day of a month or a clock time: "May 10", "10 June", "10 a.m.", "9 pm"."""
    before = tokens[i - 1][0].lower() if i > 0 else ""
    after, after_end = (tokens[i + 1][0].lower(), tokens[i + 1][2]) if i + 1 < len(tokens) else ("", 0)
    if before in MONTHS or after in MONTHS or after in {"am", "pm"}:
        return True
    return after in {"a", "p"} and text[after_end : after_end + 1] == "."


def figures_in(statement: Statement[R]) -> list[Figure[R]]:
    """The figures of one statement with the words they attach to."""
    tokens = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(statement.text)]
    found: list[Figure[R]] = []
    for i, (token, start, end) in enumerate(tokens):
        if not token[0].isdigit():
            continue
        value = _number(token)
        if (
            value is None
            or _is_year(token, value)
            or _glued(statement.text, start, end)
            or _dated(tokens, i, statement.text)
        ):
            continue
        after = i + 1
        if after < len(tokens) and tokens[after][0].lower() in _MULTIPLIERS:
            value *= _MULTIPLIERS[tokens[after][0].lower()]
            end = tokens[after][2]
            after += 1
        keys: set[str] = set()
        for word, _s, _e in tokens[after : after + WINDOW]:
            lowered = word.lower()
            if lowered[0].isdigit():
                break
            if lowered not in STOP_WORDS:
                if lowered not in UNITS:  # "30 days", "40 percent": a measure, not what is measured
                    keys.add(lowered)
                break
        if i > 0:
            before = tokens[i - 1][0].lower()
            if not before[0].isdigit() and before not in STOP_WORDS:
                keys.add(before)
        if keys:
            found.append(Figure(value, statement.text[start:end], frozenset(keys), statement))
    return found


def _differs(figures: Sequence[Figure[R]]) -> bool:
    """Two different sources give different values."""
    return any(a.value != b.value and a.source != b.source for a in figures for b in figures)


def conflicting_figures(statements: Iterable[Statement[R]]) -> list[Conflict[R]]:
    """Groups of figures about the same word that differ between outlets or speakers, largest group first.

    A group whose figures all appear in a larger group already shown is left out (one box per disagreement)."""
    by_key: dict[str, list[Figure[R]]] = {}
    for statement in statements:
        for figure in figures_in(statement):
            for key in sorted(figure.keys):
                by_key.setdefault(key, []).append(figure)
    candidates = [(key, figs) for key, figs in by_key.items() if _differs(figs)]
    candidates.sort(key=lambda item: (-len(item[1]), item[0]))
    shown: list[Conflict[R]] = []
    covered: list[set[int]] = []
    for key, figs in candidates:
        ids = {id(f) for f in figs}
        if any(ids <= seen for seen in covered):
            continue
        covered.append(ids)
        ordered = sorted(figs, key=lambda f: f.value)  # stable: equal values keep the order given
        shown.append(Conflict(key, tuple(ordered)))
    return shown
