"""Conflicting figures across a story's claims: numbers measuring the same thing that differ between who says them.

A surface rule (no parse), built for precision: showing nothing is better than pairing unrelated numbers.

- A figure is a number written in digits ("300", "1,200", "2.5"), optionally followed by "thousand", "million"
  or "billion" (or, after a currency sign, "m"/"bn"). Not figures: years (1900 to 2100 without a comma), dates
  ("May 10", "10 June"), times ("3:30", "10 a.m."), numbers glued to letters or hyphens ("AK-47", "52nd",
  "59-year-old"), and denominators ("one in 5", "per 1,000").
- Its kind: money (a currency sign before it, "$300", or a currency word after it, "300 euros"), a percentage
  ("40%", "40 percent", "40 per cent") or a count.
- What it measures (its noun): the first word after it that is not a stop word, within three words ("300
  fighters", "300 of the fighters"), stepping over modifiers ("300 armed fighters", "300 Syrian fighters",
  "25 new homes"), lemmatised by a plural rule ("fighters" → fighter, "casualties" → casualty, "people" →
  person). A figure with no such noun (a verb, "killed 300 on Monday"; a unit, "30 days", "10 miles", "24
  millimetres": what a unit measures is named elsewhere, rain or snow; read on ECB+, "30 days" and "39 days"
  were nearly always about different things) is not a figure here. The word before a number is never its
  label ("reach 300" is not about "reach").
- Its rate: "25 pupils per class", "300 cars a day" measure per something; a rate is only compared with a rate
  per the same thing, never with an absolute count ("7,361 pupils").
- Its state, when a casualty or similar word stands next to it (killed/died/dead, injured/wounded, missing,
  arrested, evacuated): "3 people killed" and "20 people injured" are different things. Two figures with
  different states, or a state on one and none on the other, are not compared.
- Qualifiers ("at least", "about", "nearly", "more than") do not change what is measured.

Two figures are about the same thing when kind, noun, rate and state are all equal. A group of such figures
conflicts when two different sources (outlet and speaker) give different values; values more than `MAX_RATIO`
apart are taken to measure different things (a class of 25 pupils, a district of 7,361) and are split.

Known weak: figures about the same thing in different words ("300 fighters" / "300 militants") are not paired;
nor are figures whose noun stands before them ("the death toll rose to 300").
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

R = TypeVar("R", bound=Hashable)

WINDOW = 3  # words after the number searched for what it counts
MAX_RATIO = 3.0  # values further apart than this measure different things

_TOKEN = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?(?:%|(?:bn|mn|m|k)\b)?|[A-Za-z][A-Za-z'-]*")
_GLUED_SUFFIX = re.compile(r"(bn|mn|m|k)$")
_BREAKS = re.compile(r"[,;:.()!?\"\u201c\u201d\u2013\u2014]")
_MULTIPLIERS = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_GLUED_MULTIPLIERS = {"k": 1_000, "m": 1_000_000, "mn": 1_000_000, "bn": 1_000_000_000}
_SIGNS = {"$": "$", "£": "£", "€": "€", "¥": "¥"}
CURRENCY_WORDS = {
    "dollar": "$",
    "euro": "€",
    "pound": "£",
    "yen": "¥",
    "usd": "$",
    "eur": "€",
    "gbp": "£",
    "peso": "peso",
    "rupee": "rupee",
    "franc": "franc",
    "krona": "krona",
    "kronor": "krona",
    "krone": "krone",
    "real": "real",
    "yuan": "yuan",
    "rand": "rand",
}
MONTHS = frozenset(
    "january february march april may june july august september october november december jan feb mar apr jun jul"
    " aug sep sept oct nov dec".split()
)
UNITS = frozenset(
    """percent per cent year years day days week weeks month months hour hours minute minutes second seconds
    mile miles km kilometre kilometres kilometers metre metres meters feet foot inch inches mph kph knots times
    decade decades century centuries millimetre millimetres millimeters mm centimetre centimetres centimeters cm
    kilogram kilograms kg gram grams tonne tonnes ton tons litre litres liters gallon gallons degree degrees
    celsius fahrenheit hectare hectares acre acres block blocks""".split()  # "the 12000 block of": an address
)
STOP_WORDS = frozenset(
    """a an the of and or but to in on at by for from with as into onto over under about around nearly almost
    some more than less fewer least most up down out off per this that these those its their his her
    our your my it they he she we you i is are was were be been being has have had do does did not no
    all any each other such only just also very so then there here which who whom whose what when where while
    after before since until during some several many much few including includes include like among between
    say says said according reportedly least approximately roughly estimated will would could should may might
    must can""".split()
)
# Words that describe what is counted without being it: "300 new homes", "40 other people".
MODIFIERS = frozenset(
    """new additional further extra other young old local foreign civilian senior former total small large major
    minor separate different unarmed innocent suspected alleged registered confirmed reported official known
    possible potential full part-time full-time more""".split()
)
# Words that follow a number but are not what it counts ("12 remain", "5 face charges").
VERBS = frozenset(
    """remain remains face faces reach reaches go goes get gets come comes make makes take takes rose rise rises
    fell fall falls stand stands stood""".split()
)
_RATE_WORDS = frozenset({"per", "a", "an", "each", "every"})
# What happened to those counted; figures in different states are different things.
STATES = {
    **dict.fromkeys("killed kill kills killing dead died die dies death deaths perished fatalities".split(), "dead"),
    **dict.fromkeys("injured injuring injuries wounded wounding hurt".split(), "injured"),
    **dict.fromkeys("missing unaccounted".split(), "missing"),
    **dict.fromkeys("arrested arrests detained detaining jailed held charged".split(), "arrested"),
    **dict.fromkeys("evacuated evacuating displaced homeless fled rescued".split(), "evacuated"),
}
_IRREGULAR = {
    "people": "person",
    "persons": "person",
    "men": "man",
    "women": "woman",
    "children": "child",
    "police": "police",
    "staff": "staff",
    "news": "news",
    "series": "series",
    "species": "species",
    "lives": "life",
    "wives": "wife",
    "knives": "knife",
    "leaves": "leaf",
    "thieves": "thief",
    "teeth": "tooth",
    "feet": "foot",
    "mice": "mouse",
}


def singular(word: str) -> str:
    """A lower-case noun's singular by plural rules: "fighters" → fighter, "casualties" → casualty, "classes" →
    class, "people" → person; consistent, not always right ("buses" → buse). Words that do not look plural are
    returned as they are ("class", "status")."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "shes", "ches", "xes", "zes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return word


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
    text: str  # the number as written ("1,200", "2.5 million", "$5m", "40%")
    kind: str  # "count", "percent" or "money:<currency>"
    noun: str  # what is counted, lemmatised ("fighter")
    label: str  # what is counted as written ("fighters", "pupils per class")
    per: str  # the rate's unit, lemmatised ("class"), "" for an absolute figure
    state: str  # "dead", "injured", … or ""
    statement: Statement[R]

    @property
    def source(self) -> tuple[str, str]:
        return (self.statement.outlet, self.statement.speaker)

    @property
    def measure(self) -> tuple[str, str, str, str]:
        """What the figure measures; figures are compared only when this is equal."""
        return (self.kind, self.noun, self.per, self.state)


@dataclass(frozen=True, slots=True)
class FigureRow(Generic[R]):
    """One value of a conflict and every figure giving it (repeats by several outlets collapsed)."""

    value: float
    text: str
    figures: tuple[Figure[R], ...]

    @property
    def sources(self) -> list[Figure[R]]:
        """One figure per distinct (outlet, speaker), in the order given."""
        seen: dict[tuple[str, str], Figure[R]] = {}
        for figure in self.figures:
            seen.setdefault(figure.source, figure)
        return list(seen.values())

    @property
    def speakers(self) -> list[tuple[str, list[Figure[R]]]]:
        """`sources` by speaker ("" for nobody named): each speaker once, with one figure per outlet quoting it."""
        by_speaker: dict[str, list[Figure[R]]] = {}
        for figure in self.sources:
            by_speaker.setdefault(figure.statement.speaker, []).append(figure)
        return list(by_speaker.items())


@dataclass(frozen=True, slots=True)
class Conflict(Generic[R]):
    about: str  # what the figures count, as written ("fighters", "pupils per class")
    figures: tuple[Figure[R], ...]  # lowest value first, then in the order given

    @property
    def values(self) -> list[float]:
        return sorted({f.value for f in self.figures})

    @property
    def rows(self) -> list[FigureRow[R]]:
        """One row per distinct value, lowest first, each with the figures giving it."""
        by_value: dict[float, list[Figure[R]]] = {}
        for figure in self.figures:
            by_value.setdefault(figure.value, []).append(figure)
        return [FigureRow(value, figs[0].text, tuple(figs)) for value, figs in by_value.items()]


def _number(token: str) -> float | None:
    raw = token.rstrip("%").replace(",", "")
    try:
        return float(raw)
    except ValueError:
        return None


def _is_year(token: str, value: float) -> bool:
    return "," not in token and "." not in token and not token.endswith("%") and 1900 <= value <= 2100


def _sign_before(text: str, start: int) -> str:
    return _SIGNS.get(text[start - 1], "") if start > 0 else ""


def _glued(text: str, start: int, end: int) -> bool:
    """Part of a name, an ordinal, a time, a compound or a path: AK-47, 52nd, 3:30, 59-year-old, 05/02."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    if before.isalpha() or before in "-:" or after.isalpha() or after in "-:":
        return True
    # spaced out: "2013 / 05 / 02", "story - 19548736 - detail" (a path, a reference number)
    return text[:start].rstrip()[-1:] in {"/", "-"} or text[end:].lstrip()[:1] in {"/", "-"}


def _dated(tokens: list[tuple[str, int, int]], i: int, text: str) -> bool:
    """A day of a month or a clock time: "May 10", "10 June", "10 a.m.", "9 pm"."""
    before = tokens[i - 1][0].lower() if i > 0 else ""
    after, after_end = (tokens[i + 1][0].lower(), tokens[i + 1][2]) if i + 1 < len(tokens) else ("", 0)
    if before in MONTHS or after in MONTHS or after in {"am", "pm"}:
        return True
    return after in {"a", "p"} and text[after_end : after_end + 1] == "."


def _denominator(tokens: list[tuple[str, int, int]], i: int) -> bool:
    """The number a rate is out of: "per 1,000", "one in 5", "3 out of 10", "2 of 5"."""
    before = tokens[i - 1][0].lower() if i > 0 else ""
    if before == "per":
        return True
    earlier = tokens[i - 2][0].lower() if i > 1 else ""
    return (before in {"in", "of"} and (earlier == "one" or earlier[:1].isdigit())) or (before, earlier) == (
        "of",
        "out",
    )


def _content(tokens: list[tuple[str, int, int]], start: int, stop_at: int) -> int | None:
    """The index of the first word from `start` (before `stop_at`) that is not a stop word; None at a number or
    at a rate word ("$20 million per season" counts no noun of its own)."""
    for j in range(start, min(stop_at, len(tokens))):
        word = tokens[j][0]
        if word[0].isdigit() or word.lower() in _RATE_WORDS - {"a", "an"}:
            return None
        if word.lower() not in STOP_WORDS:
            return j
    return None


def _is_modifier(word: str) -> bool:
    lowered = word.lower()
    return word[0].isupper() or lowered in MODIFIERS or lowered.endswith(("ed", "ing"))


def _noun_at(tokens: list[tuple[str, int, int]], after: int) -> int | None:
    """The index of what a number counts, from the word after it (see the module's rules)."""
    j = _content(tokens, after, after + WINDOW)
    steps = 0
    while j is not None and steps < 2 and _is_modifier(tokens[j][0]):
        following = j + 1
        if following < len(tokens) and tokens[following][0][0].isalpha():
            if tokens[following][0].lower() in STOP_WORDS:
                break
            j, steps = following, steps + 1
        else:
            break
    if j is None:
        return None
    word = tokens[j][0]
    lowered = word.lower()
    if word[0].isupper() or lowered in UNITS or lowered in VERBS or lowered in STATES:
        return None
    if lowered.endswith(("ed", "ing")) or lowered in MODIFIERS or len(lowered) < 3:
        return None
    if j + 1 < len(tokens) and tokens[j + 1][0].lower() in UNITS - {"per"}:
        return None  # "12 nautical miles", "5 working days": a unit after all
    return j


def _rate(tokens: list[tuple[str, int, int]], noun: int) -> tuple[str, str]:
    """("class", "per class") when the noun is followed by "per class", "a day", "each year" ("1000", "per 1,000"
    after "per 1,000"); else ("", "")."""
    j = noun + 1
    if j + 1 >= len(tokens) or tokens[j][0].lower() not in _RATE_WORDS:
        return "", ""
    word, unit = tokens[j][0].lower(), tokens[j + 1][0]
    if unit[0].isdigit() and word == "per":
        return unit.replace(",", ""), f"per {unit}"
    if unit[0].isalpha() and unit.lower() not in STOP_WORDS:
        return singular(unit.lower()), f"{word} {unit.lower()}"
    return "", ""


def _state(tokens: list[tuple[str, int, int]], number: int, noun: int) -> str:
    """What happened to those counted, read in the three words before the number and after the noun."""
    near = [t[0].lower() for t in tokens[max(0, number - 3) : number]]
    near += [t[0].lower() for t in tokens[noun + 1 : noun + 4]]
    found = {STATES[w] for w in near if w in STATES}
    return found.pop() if len(found) == 1 else ("mixed" if found else "")


def figures_in(statement: Statement[R]) -> list[Figure[R]]:
    """The figures of one statement with what they measure."""
    text = statement.text
    tokens = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    found: list[Figure[R]] = []
    for i, (token, start, end) in enumerate(tokens):
        if not token[0].isdigit():
            continue
        sign = _sign_before(text, start)
        suffix = _GLUED_SUFFIX.search(token)
        if suffix and not sign:
            continue  # "5m", "10k": a measure or a name, not a sum
        value = _number(token[: suffix.start()] if suffix else token)
        if sign:
            start -= 1
            if suffix and value is not None:
                value *= _GLUED_MULTIPLIERS[suffix.group(1)]
        if (
            value is None
            or (not sign and _is_year(token, value))
            or (not sign and _glued(text, start, end))
            or _dated(tokens, i, text)
            or _denominator(tokens, i)
        ):
            continue
        after = i + 1
        if after < len(tokens) and tokens[after][0].lower() in _MULTIPLIERS:
            value *= _MULTIPLIERS[tokens[after][0].lower()]
            end = tokens[after][2]
            after += 1
        kind = f"money:{sign}" if sign else "count"
        if token.endswith("%"):
            kind = "percent"
        elif after < len(tokens) and tokens[after][0].lower() == "percent":
            kind, end, after = "percent", tokens[after][2], after + 1
        elif after + 1 < len(tokens) and [t[0].lower() for t in tokens[after : after + 2]] == ["per", "cent"]:
            kind, end, after = "percent", tokens[after + 1][2], after + 2
        elif not sign and after < len(tokens) and singular(tokens[after][0].lower()) in CURRENCY_WORDS:
            kind, end = f"money:{CURRENCY_WORDS[singular(tokens[after][0].lower())]}", tokens[after][2]
            after += 1
        noun = _noun_at(tokens, after)
        if noun is None or _BREAKS.search(text[end : tokens[noun][1]]):
            continue  # nothing it counts, or only across a comma ("Orozco, 27, a known gang member")
        written = tokens[noun][0].lower()
        per, rate_text = _rate(tokens, noun)
        label = f"{written} {rate_text}" if rate_text else written
        if kind == "percent":
            label = f"{label} (%)"
        elif kind.startswith("money:"):
            label = f"{label} ({kind.removeprefix('money:')})"
        state = _state(tokens, i, noun)
        found.append(Figure(value, text[start:end], kind, singular(written), label, per, state, statement))
    return found


def _differs(figures: list[Figure[R]]) -> bool:
    """Two different sources give different values."""
    return any(a.value != b.value and a.source != b.source for a in figures for b in figures)


def _near_values(figures: list[Figure[R]]) -> list[list[Figure[R]]]:
    """The figures (sorted by value) split where two neighbouring values are more than MAX_RATIO apart."""
    parts: list[list[Figure[R]]] = []
    for figure in figures:
        last = parts[-1][-1].value if parts else None
        if last is not None and (last == figure.value or (last > 0 and figure.value / last <= MAX_RATIO)):
            parts[-1].append(figure)
        else:
            parts.append([figure])
    return parts


def conflicting_figures(statements: Iterable[Statement[R]]) -> list[Conflict[R]]:
    """Groups of figures measuring the same thing that differ between outlets or speakers, largest group first."""
    by_measure: dict[tuple[str, str, str, str], list[Figure[R]]] = {}
    for statement in statements:
        for figure in figures_in(statement):
            if figure.state != "mixed":
                by_measure.setdefault(figure.measure, []).append(figure)
    shown: list[Conflict[R]] = []
    for figs in by_measure.values():
        ordered = sorted(figs, key=lambda f: f.value)  # stable: equal values keep the order given
        for part in _near_values(ordered):
            if _differs(part):
                shown.append(Conflict(part[0].label, tuple(part)))
    shown.sort(key=lambda c: (-len(c.figures), c.about))
    return shown
