"""Keyphrases: the "what it is about" words of an article beyond its names ("airstrikes", "ceasefire talks").

Pure: lines in, phrases out. Candidates are runs of lower-case content words between stopwords and
punctuation (names are the entities stage's job); a phrase is salient when it recurs, sits in the headline
or opening, and spreads over several lines. A phrase must also be specific enough to follow: a single word only
when it is rare in general English (specificity.py: "ceasefire", not "government" or "rise"), and
never a description of people ("rescuers", "local baker", the "head coach" before a name, the "nurses" who said
something). No statistics of this site's own articles are needed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from tidings.enrichment.stages.entities.rules import PART_WEIGHTS, Line, is_title_case
from tidings.enrichment.stages.keyphrases.specificity import is_agent_noun, is_specific_word
from tidings.taxonomy.aliases import normalise

MAX_KEYPHRASES = 5
MIN_WEIGHT = 4.0  # e.g. headline (3) + one body line (1), or four body lines
MIN_LINES = 2  # a phrase in one line only is a detail, not the subject
MAX_WORDS = 3
SPREAD_BONUS = 0.5  # per extra line the phrase appears in
COVER_SHARE = 0.5  # a longer phrase with half a word's weight speaks for that word
LONGER_WINS = 0.8  # ... and for a shorter phrase when it is nearly as frequent

_TOKEN = re.compile(r"[^\W\d_]+(?:[-'\u2019][^\W\d_]+)*|\d[\d,.]*|[^\w\s]")
# Function words, reporting verbs and the vocabulary of news writing itself: never part of a keyphrase.
_STOPWORDS = frozenset(
    """
a about above across after again against ago all almost along already also although always am among an and
another any anyone anything are around as at away back be because been before being below between both but by
can cannot could did do does doing done down during each either else enough even ever every few for from further
had has have having he her here hers herself him himself his how however i if in including into is it its itself
just last least less like many may me might more most much must my near nearly neither never new next no nor not
now of off often on once one only or other others our out over own per perhaps rather really same several she
should since so some still such than that the their them themselves then there these they this those though
through thus to too toward towards under until up upon us very via was we well were what when where whether which
while who whom whose why will with within without would yet you your
said says say saying told tell tells telling added adding according asked announced announces confirmed
confirms claimed claims insisted insists warned warns noted reported reports stated described called calls
expected expects believed believes appeared appears seemed seems made make makes making took take takes taking
gave give gives given got get gets going went come comes came became become becomes set sets put puts
held hold holds show shows showed shown left leave leaves keep keeps kept used use uses using want wants wanted
found find finds known know knows think thinks thought see sees saw seen run runs ran run began begin begins
remain remains remained continue continues continued follow follows followed following led lead leads
first second third fourth fifth former latest earlier later recent recently early late previous further
today yesterday tomorrow tonight week weeks weekend month months year years day days time times hour hours
monday tuesday wednesday thursday friday saturday sunday morning afternoon evening night
january february march april may june july august september october november december
people person man men woman women thing things way ways part parts number numbers lot lots kind sort
official officials spokesperson spokesman spokeswoman statement statements report reporters reporter
news conference interview source sources side sides group groups member members end start area areas
percent cent million billion thousand hundred dozen dozens half
euros dollars pounds rupees yen yuan francs organisers organizers
mr mrs ms dr st claim
""".split()
)
# A word right after one of these is used as a noun ("the offensive", "a referendum"), whatever its ending.
_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "its", "their", "his", "her", "our"})
# Words that follow a speaker: what comes right before them names people ("nurses said"), not a subject.
_SPEECH = frozenset(
    "said say says told tell warned warn warns added urged urge argued argue insisted insist claimed wrote".split()
)
_NUMBER_WORDS = frozenset("million billion thousand hundred dozen dozens".split())
_SENTENCE_MARKS = frozenset({".", "!", "?", ":", ";", '"', "\u201c", "\u2018", "(", "-", "\u2013", "\u2014"})
_GENERIC_HEADS = frozenset({"issue", "issues", "matter", "case", "situation", "plan", "move", "effort", "change"})
_BOILERPLATE = frozenset(
    {
        "subscribe",
        "newsletter",
        "cookies",
        "cookie",
        "advertisement",
        "copyright",
        "sign",
        "login",
    }
)


@dataclass(frozen=True, slots=True)
class Keyphrase:
    name: str  # as the article writes it most often
    key: str
    mentions: int
    lines: int
    weight: float
    score: float  # 0..1, relative to the article's top phrase

    def as_fact(self) -> dict[str, object]:
        return {"name": self.name, "kind": "keyword", "mentions": self.mentions, "score": self.score}


def extract_keyphrases(
    lines: Sequence[Line], *, exclude: Iterable[str] = (), limit: int = MAX_KEYPHRASES
) -> list[Keyphrase]:
    """The article's salient phrases, best first; `exclude` holds names (entities) that are not keyphrases."""
    excluded = {normalise(name) for name in exclude}
    weights: dict[str, float] = defaultdict(float)
    line_sets: dict[str, set[int]] = defaultdict(set)
    mentions: dict[str, int] = defaultdict(int)
    surfaces: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    tokens = [_TOKEN.findall(line.text) for line in lines]  # each line tokenised once
    lower_words = {token for line_tokens in tokens for token in line_tokens if token.islower()}
    nouns = {
        token.lower()
        for line_tokens in tokens
        for before, token in pairwise(line_tokens)
        if before.lower() in _DETERMINERS
    }
    counted = {  # "300 pupils", "5 million pesos", "20 millimetres": counts and units, not subjects
        token.lower()
        for line_tokens in tokens
        for before, token in pairwise(line_tokens)
        if before[0].isdigit() or before.lower() in _NUMBER_WORDS
    }
    candidates = []
    people: set[str] = set()
    for index, line in enumerate(lines):
        fold_title = line.part == "headline" and is_title_case(line.text)
        found, described = _candidates(tokens[index], fold_title, lower_words, nouns)
        candidates.append(found)
        people |= {_phrase_key(phrase) for phrase in described}
    for index, line in enumerate(lines):
        weight = PART_WEIGHTS.get(line.part, 1.0)
        for phrase in candidates[index]:
            key = _phrase_key(phrase)
            if key in people or _names_people(phrase) or (len(phrase) == 1 and phrase[0] in counted):
                continue
            if key in excluded or " ".join(phrase) in excluded or any(word in _BOILERPLATE for word in key.split()):
                continue
            weights[key] += weight
            mentions[key] += 1
            line_sets[key].add(index)
            surfaces[key][" ".join(phrase)] += 1
    scored = {
        key: weights[key] + SPREAD_BONUS * (len(line_sets[key]) - 1)
        for key in weights
        if len(line_sets[key]) >= MIN_LINES
    }
    kept = [key for key in scored if scored[key] >= MIN_WEIGHT and key.split()[-1] not in _GENERIC_HEADS]
    kept.sort(key=lambda k: (-scored[k], -len(k.split()), k))
    dropped = _overlaps(kept, scored)
    chosen: list[str] = []
    for key in kept:
        if key in dropped:
            continue
        chosen.append(key)
        if len(chosen) == limit:
            break
    top = max((scored[k] for k in chosen), default=0.0)
    return [
        Keyphrase(
            name=max(sorted(surfaces[key]), key=lambda s: surfaces[key][s]),
            key=key,
            mentions=mentions[key],
            lines=len(line_sets[key]),
            weight=round(scored[key], 3),
            score=round(scored[key] / top, 3) if top else 0.0,
        )
        for key in chosen
    ]


def _candidates(
    tokens: Sequence[str], fold_title: bool, lower_words: set[str], nouns: set[str]
) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    """Every run of content words (1..MAX_WORDS) and, for longer runs, their sub-phrases ending the run; and
    the phrases that describe a person here: those ending right before a name ("head coach Ana Ruiz") or a
    verb of speech ("forecasters said")."""
    runs: list[list[str]] = []
    described: list[tuple[str, ...]] = []
    run: list[str] = []
    for position, token in enumerate(tokens):
        starts_sentence = position == 0 or tokens[position - 1] in _SENTENCE_MARKS
        word = _content_word(token, starts_sentence or fold_title, lower_words)
        if word is None:
            if run:
                runs.append(run)
                if _is_name(token, starts_sentence) or token.lower() in _SPEECH:
                    described.extend(tuple(run[begin:]) for begin in range(max(0, len(run) - MAX_WORDS), len(run)))
            run = []
        else:
            run.append(word)
    if run:
        runs.append(run)
    phrases: list[tuple[str, ...]] = []
    for words in runs:  # every n-gram of the run: "air quality plan" also counts for "air quality" and "plan"
        # Before a word for people ("chief medical officer") the words up to it are a title, not a subject.
        title_from = len(words) - 1 if is_agent_noun(words[-1]) else len(words) + 1
        for size in range(min(MAX_WORDS, len(words)), 0, -1):
            for begin in range(len(words) - size + 1):
                part = tuple(words[begin : begin + size])
                if begin + size < title_from and (size > 1 or _good_single(part[0], nouns)):
                    phrases.append(part)
    return phrases, described


def _is_name(token: str, starts_sentence: bool) -> bool:
    """A capitalised word inside a sentence that is not a weekday or month: a name."""
    return token[:1].isupper() and not starts_sentence and token.lower() not in _STOPWORDS


def _names_people(phrase: Sequence[str]) -> bool:
    """ "rescuers", "travel writer", "union leader": people by what they do, not a subject."""
    return is_agent_noun(phrase[-1])


def _content_word(token: str, may_fold: bool, lower_words: set[str]) -> str | None:
    if not token[0].isalpha():
        return None
    if not token.islower():
        folded = token.lower()
        # A capital at the start of a sentence, or in a Title Case headline, hides a common word.
        if may_fold and folded in lower_words:
            token = folded
        else:
            return None  # a name: the entities stage's job
    if len(token) < 3 or token in _STOPWORDS or token.replace("\u2019", "'").endswith("'s"):
        return None
    return token


def _good_single(word: str, nouns: set[str]) -> bool:
    """A word that can be a keyphrase alone: specific (rare in general English), and a noun: not an adverb,
    past tense or bare adjective, unless the article uses it as a noun ("the offensive", "a referendum")."""
    if len(word) < 4 or not is_specific_word(word):
        return False
    return word in nouns or not word.endswith(("ly", "ed", "ous", "ful", "ive", "al"))


def _phrase_key(words: Sequence[str]) -> str:
    """Lower case with the head noun singular, so "airstrike" and "airstrikes" are one phrase."""
    return " ".join((*words[:-1], _singular(words[-1])))


def _singular(word: str) -> str:
    if len(word) <= 4 or word.endswith(("ss", "us", "is", "as", "ics", "news")):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes", "zes")):
        return word[:-2]
    if word.endswith("s"):
        return word[:-1]
    return word


def _overlaps(keys: Sequence[str], scored: dict[str, float]) -> set[str]:
    """Of a phrase and a longer one containing it, the one that says it better.

    The longer one wins when it is nearly as frequent ("ceasefire talks" over "talks"), or over a single word
    when it has half its weight ("rebel forces" over "rebel"); otherwise the shorter wins ("flood warning" over
    "flood warning stays").
    """
    dropped = set()
    for shorter in keys:
        for longer in keys:
            if not _covers(longer, shorter):
                continue
            ratio = scored[longer] / scored[shorter]
            if ratio >= LONGER_WINS or (" " not in shorter and ratio >= COVER_SHARE):
                dropped.add(shorter)
            else:
                dropped.add(longer)
    return dropped


def _covers(longer: str, shorter: str) -> bool:
    return longer != shorter and f" {shorter} " in f" {longer} "
