"""The claims ledger's pure helpers: where an offset lies in an article, which entity a speaker names, and the
segments of a paragraph with its claims marked. Values in, values out; no database.

The offset base is the article's enrichment text (`enrichment.stage.ArticleText.text`): headline, standfirst and
body paragraphs, the non-empty ones joined by a blank line. `text_parts` rebuilds that layout from the parts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tidings.enrichment.stages.entities.people import person_core, reads_as_person_name, titled_name
from tidings.stories.speaker_forms import SPELLINGS, speaker_form
from tidings.taxonomy.aliases import normalise, strip_possessive

PART_SEPARATOR = "\n\n"
HEADLINE, STANDFIRST, BODY = "headline", "standfirst", "body"
# Topic kinds a speaker may be; a keyword or event does not speak.
SPEAKER_KINDS = frozenset({"person", "organisation", "place"})
# spaCy labels for which a speaker with no topic yet may become one, and the topic kind it becomes.
NEW_TOPIC_LABELS = {"PERSON": "person", "ORG": "organisation"}
MAX_NEW_TOPIC_WORDS = 6
# A nationality and one of these nouns names a state body that speaks: "the Syrian army", "Iranian government".
STATE_BODY_HEADS = frozenset(
    "army military government ministry navy police parliament cabinet presidency embassy".split()
)
_BRACKETED = re.compile(r"(.+?)\s*\(([^()]+)\)")
# Words of a title or role that may stand, capitalised, before a person's name ("President Joe Biden",
# "Dr Ada Okafor"); a lower-case word before a name is dropped anyway ("chief executive Jonas Ojukwu").
TITLE_WORDS = frozenset(
    """mr mrs ms miss dr prof professor sir dame lord lady president vice prime minister secretary senator
    governor mayor general gen col colonel captain capt lieutenant commander admiral sergeant judge justice
    chancellor premier king queen prince princess sheikh ambassador envoy spokesman spokeswoman spokesperson
    chief executive director chairman chairwoman chair deputy rep representative pope cardinal bishop rabbi imam
    coach manager officer inspector detective superintendent commissioner councillor councilor""".split()
)
# Lower-case particles inside a person's name ("Ursula von der Leyen", "Abu Mohammed al-Jolani").
NAME_PARTICLES = frozenset("de del della der di da dos du la le van von bin ibn al el y".split())
# "a spokesperson for the University of X": the organisation speaks through its spokesperson; grouped under it.
_SPOKESPERSON = re.compile(
    r"(?:an?\s+|the\s+)?(?:\w+\s+)?(?:spokes(?:person|man|woman)|representative|press officer)\s+(?:for|of|at)\s+(.+)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Part:
    name: str  # headline, standfirst or body
    index: int  # body paragraph index (0 for headline and standfirst)
    start: int  # offsets of the part in the article text
    end: int
    text: str


def text_parts(headline: str, standfirst: str, paragraphs: Sequence[str]) -> list[Part]:
    """The parts of an article text laid out as `ArticleText.text` lays them out (empty parts left out)."""
    parts: list[Part] = []
    offset = 0
    named = [(HEADLINE, 0, headline), (STANDFIRST, 0, standfirst)]
    named += [(BODY, i, p) for i, p in enumerate(paragraphs)]
    for name, index, text in named:
        if not text:
            continue
        if parts:
            offset += len(PART_SEPARATOR)
        parts.append(Part(name, index, offset, offset + len(text), text))
        offset += len(text)
    return parts


def part_at(parts: Sequence[Part], start: int, end: int) -> Part | None:
    """The part holding the span [start, end), or None when it lies across parts or outside the text."""
    for part in parts:
        if part.start <= start and end <= part.end:
            return part
    return None


@dataclass(frozen=True, slots=True)
class SpeakerRef:
    """The entity a speaker names: an entity the entities stage found, or a clear name spaCy tags (`new`)."""

    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    new: bool = False

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "kind": self.kind, "aliases": list(self.aliases), "new": self.new}


def speaker_key(text: str) -> str:
    """The alias key of a speaker: no leading "the", no possessive, casefolded ("the Syrian army's" → "syrian army").

    One speaker named several ways gets one key: a trailing apposition after a comma is dropped when the head
    reads as a name and the apposition starts in lower case or a digit ("Jonas Ojukwu, the chief technology
    officer" → "jonas ojukwu"); title words before a name are dropped, lower-case ones or `TITLE_WORDS`
    ("chief executive Jonas Ojukwu", "President Joe Biden"); and a spokesperson for an organisation is keyed as
    the organisation ("a spokesperson for the University of Tarn" → "university of tarn"), since a reader looks
    for what the university says. A capitalised word not known as a title ("Astrophysicist Solveig Kariuki") stays:
    `person_tails` and the linking to a known person topic take care of it.
    """
    text = " ".join(text.split())
    spokes = _SPOKESPERSON.fullmatch(text)
    if spokes:
        text = spokes.group(1)
    head, comma, rest = text.partition(",")
    rest = rest.strip()
    if comma and rest and (rest[0].islower() or rest[0].isdigit()) and _is_name(head):
        text = head
    words = _display_name(text).split()
    cut = 0
    while cut < len(words) - 2 and (words[cut].islower() or words[cut].casefold().strip(".") in TITLE_WORDS):
        cut += 1
    if cut and _is_name(" ".join(words[cut:])):
        return normalise(" ".join(words[cut:]))
    return normalise(text)


def speaker_of(claim: Any) -> tuple[str, tuple[int, str, str] | None]:
    """(speaker text, (topic pk, name, kind) or None) of a stored claim, as `group_keys` reads them."""
    topic = claim.speaker_topic
    return claim.speaker_text, (topic.pk, topic.name, topic.kind) if topic is not None else None


def person_tails(key: str) -> list[str]:
    """The tails of a speaker key of two words or more, longest first, the key itself left out: where a known
    person's full name may be ("astrophysicist solveig kariuki" → ["solveig kariuki"])."""
    words = key.split(" ")
    return [" ".join(words[cut:]) for cut in range(1, len(words) - 1)]


def group_keys(
    speakers: Sequence[tuple[str, tuple[int, str, str] | None]],
    aliases: Mapping[int, Iterable[str]] | None = None,
) -> list[object]:
    """The group of each speaker (its text, and its topic as (pk, name, kind) or None), for "who says what".

    A speaker with a topic is grouped by the topic; topics of the list with the same name are one group, whatever
    kind each was stored as (a person the model once took for an organisation). One without is grouped, in order
    of trial:
    - with a topic of the same list one of whose names (its name, or its alias keys in `aliases`: topic pk ->
      keys) has its key or form (`speaker_forms.speaker_form`: "Russia's defence ministry" meets the topic
      Russian Defense Ministry);
    - with a person topic whose name ends its key ("Astrophysicist Solveig Kariuki" with Solveig Kariuki), an
      organisation topic named as a person is ("Tomasz Desrosiers") counting as one;
    - with the one person topic of the list whose last name it is, title words aside ("Putin", "President
      Putin" with Vladimir Putin); not when two people of the list share that name;
    - else by its form alone (two spellings of one untopicked speaker meet there).
    Then a bare definite head noun ("the ministry", "the army's") joins the one group of the list, an
    organisation topic or a speaker of several words, whose form ends with that noun; when none or several
    do, it stays its own group. Plural or indefinite speakers ("officials", "a ministry") are never joined so:
    they may be anyone.
    """
    by_name: dict[str, object] = {}
    people: dict[str, object] = {}
    surnames: dict[str, set[object]] = {}
    heads: dict[str, set[object]] = {}
    same_name: dict[str, object] = {}  # two topics of one name (a person once stored as an organisation) are one
    topic_group: dict[int, object] = {}
    for _text, topic in speakers:
        if topic is not None:
            core = person_core(topic[1])  # "Neighbour Tariq Varga" and "Tariq Varga" topics are one person
            topic_group[topic[0]] = same_name.setdefault(normalise(core), ("topic", topic[0]))
    for _text, topic in speakers:
        if topic is None:
            continue
        group = topic_group[topic[0]]
        names = [normalise(topic[1]), *(aliases or {}).get(topic[0], ())]
        for name in names:
            by_name.setdefault(name, group)
            by_name.setdefault(speaker_form(name), group)
        name = normalise(person_core(topic[1])) if _person_named(topic) else names[0]
        by_name.setdefault(name, group)
        if _person_named(topic) and len(name.split(" ")) >= 2:
            people.setdefault(name, group)
            surnames.setdefault(name.split(" ")[-1], set()).add(group)
        if topic[2] == "organisation":
            heads.setdefault(speaker_form(name).split(" ")[-1], set()).add(group)
    keys: list[object] = []
    for text, topic in speakers:
        if topic is not None:
            keys.append(topic_group[topic[0]])
            continue
        key = speaker_key(text)
        form = speaker_form(key)
        found = by_name.get(key) or by_name.get(form)
        found = found or next((people[t] for t in person_tails(key) if t in people), None)
        if found is None:
            named = _without_titles(key)
            matches = surnames.get(named, set()) if " " not in named else set()
            found = next(iter(matches)) if len(matches) == 1 else None
        keys.append(found if found is not None else form)
        if found is None and " " in form:
            heads.setdefault(form.split(" ")[-1], set()).add(form)
    for at, (text, topic) in enumerate(speakers):
        head = _bare_definite_head(text) if topic is None else None
        if head is None:
            continue
        others = heads.get(SPELLINGS.get(head, head), set()) - {keys[at]}
        if len(others) == 1:
            keys[at] = next(iter(others))
    return keys


def _person_named(topic: tuple[int, str, str]) -> bool:
    """A person topic, or a topic of another kind named as a person is ("Tomasz Desrosiers" stored as an
    organisation before the entities stage knew better): grouping unifies a name whatever kind it was stored as."""
    return topic[2] == "person" or reads_as_person_name(person_core(topic[1]))


def _without_titles(key: str) -> str:
    words = key.split(" ")
    while len(words) > 1 and words[0].strip(".") in TITLE_WORDS:
        words = words[1:]
    return " ".join(words)


_BARE_DEFINITE = re.compile(r"the\s+([^\W\d_]+)(?:'s|\u2019s)?", re.IGNORECASE)


def _bare_definite_head(text: str) -> str | None:
    """ "the ministry" → "ministry"; None for anything else, plurals included ("the rebels", "officials")."""
    match = _BARE_DEFINITE.fullmatch(" ".join(text.split()))
    if match is None:
        return None
    noun = match.group(1).casefold()
    return None if noun.endswith("s") and not noun.endswith(("ss", "us", "is")) else noun


def entity_keys(entities: Iterable[Mapping[str, object]]) -> dict[str, SpeakerRef]:
    """Alias key → entity, for the entities of speaker kinds (the entities stage's output)."""
    keys: dict[str, SpeakerRef] = {}
    for raw in entities:
        name = str(raw.get("name") or "").strip()
        kind = str(raw.get("kind") or "")
        if not name or kind not in SPEAKER_KINDS:
            continue
        aliases = raw.get("aliases")
        alias_names = tuple(str(a) for a in aliases if str(a).strip()) if isinstance(aliases, list) else ()
        ref = SpeakerRef(name, kind, alias_names)
        for text in (name, *alias_names):
            key = normalise(text)
            if key:
                keys.setdefault(key, ref)
    return keys


def match_speaker(
    text: str,
    known: Mapping[str, SpeakerRef],
    label: str | None = None,
    tail_person: str | None = None,
    nationality: bool = False,
    common_noun: bool = False,
) -> SpeakerRef | None:
    """The entity a speaker span names, or None.

    The whole span (without "the" and possessive) names a known entity; or it ends with a known person's name
    ("Foreign Minister Hakan Fidan"); or spaCy tags the whole span as a person or organisation (`label`) and it
    reads as a name (capitalised, short): a new topic then; or the span ends with a full name spaCy tags as a
    person (`tail_person`: "the ministry's spokesman Igor Konashenkov"); or it is a nationality spaCy tags
    (`nationality`, the span's first word after "the") followed by a state body ("the Syrian army"). A span the
    article writes as a common noun (`common_noun`: "Friends said…", entities/nouns.py) names a known entity or
    nothing: no new topic.
    """
    key = speaker_key(text)
    if not key:
        return None
    found = known.get(key)
    if found is not None:
        return found
    bracket = _BRACKETED.fullmatch(text.strip())  # "Kurdish People's Protection Units (YPG)": name or acronym
    if bracket:
        found = known.get(normalise(bracket.group(1))) or known.get(normalise(bracket.group(2)))
        if found is not None:
            return found
    words = key.split(" ")
    for cut in range(1, len(words)):
        tail = known.get(" ".join(words[cut:]))
        if tail is not None and tail.kind == "person" and len(words) - cut >= 2:
            return tail
    if common_noun:
        return None
    kind = NEW_TOPIC_LABELS.get(label or "")
    if kind != "person" and (reads_as_person_name(_display_name(text)) or (kind and titled_name(_display_name(text)))):
        kind = "person"  # "Tomasz Desrosiers" tagged ORG or not at all, "Dr Ana Ruiz" tagged ORG (entities/people.py)
    if kind is not None and _reads_as_name(text):
        name = _display_name(text)
        return SpeakerRef(person_core(name) if kind == "person" else name, kind, new=True)
    if tail_person and len(tail_person.split()) >= 2 and _reads_as_name(tail_person):
        return known.get(speaker_key(tail_person)) or SpeakerRef(_display_name(tail_person), "person", new=True)
    if nationality and _names_state_body(text):
        return SpeakerRef(_display_name(text), "organisation", new=True)
    return None


def _names_state_body(text: str) -> bool:
    """ "Syrian army", "the Iranian Foreign Ministry": a capitalised nationality, at most two more words, the last a
    state body."""
    words = _display_name(text).split()
    return (
        2 <= len(words) <= 3
        and words[0][:1].isupper()
        and words[-1].lower() in STATE_BODY_HEADS
        and all(word.isalpha() for word in words[1:])
    )


def _is_name(text: str) -> bool:
    """Capitalised words (particles allowed), one to five: "Jonas Ojukwu", "Ursula von der Leyen"."""
    words = _display_name(text).split()
    return (
        1 <= len(words) <= 5
        and words[0][:1].isupper()
        and all(w[:1].isupper() or w.lower() in NAME_PARTICLES or w.lower().startswith("al-") for w in words)
    )


def _display_name(text: str) -> str:
    """The span as a topic name: no leading "the", no possessive ("the Kremlin's" → "Kremlin")."""
    name = strip_possessive(" ".join(text.split())).strip(" .,;:'\"")
    if name.lower().startswith("the "):
        name = name[4:]
    return name


def _reads_as_name(text: str) -> bool:
    name = _display_name(text)
    words = name.split()
    return bool(words) and len(words) <= MAX_NEW_TOPIC_WORDS and name[0].isupper() and any(c.isalpha() for c in name)


@dataclass(frozen=True, slots=True)
class Mark:
    """A claim's place inside one part, for highlighting (offsets local to the part's text)."""

    start: int
    end: int
    kind: str
    speaker: str
    cue: str
    attributed: bool
    claim_id: int = 0

    @property
    def css_class(self) -> str:
        return kind_class(self.kind)


def kind_class(kind: str) -> str:
    """A CSS class for a claim kind: "call to action" → "claim-call-to-action"."""
    return "claim-" + "-".join(kind.lower().split()) if kind.strip() else "claim-other"


@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    mark: Mark | None = None


def segments(text: str, marks: Iterable[Mark]) -> list[Segment]:
    """`text` cut into plain and marked segments; a mark overlapping an earlier kept one is left out, as is one
    that does not fit the text."""
    kept: list[Mark] = []
    for mark in sorted(marks, key=lambda m: (m.start, -(m.end - m.start))):
        if not 0 <= mark.start < mark.end <= len(text):
            continue
        if kept and mark.start < kept[-1].end:
            continue
        kept.append(mark)
    out: list[Segment] = []
    at = 0
    for mark in kept:
        if mark.start > at:
            out.append(Segment(text[at : mark.start]))
        out.append(Segment(text[mark.start : mark.end], mark))
        at = mark.end
    if at < len(text) or not out:
        out.append(Segment(text[at:]))
    return out
