"""People the model calls organisations, and short forms of a person's name (pure, apart from reading the given
name list once).

The small spaCy model often tags a personal name it has not seen as an organisation ("Tomasz Desrosiers"). A name
is a person's, whatever the model said, when (`person_evidence`):
1. the article writes a title or role word right before it ("Dr", "Minister", "health minister", "spokeswoman");
2. its last word is a surname the article uses for a person (another mention the model tagged as a person,
   "Desrosiers", or a person's full name ending with it); a one-word name is a person's when it is the surname of
   a person of the article ("Desrosiers" beside "Tomasz Desrosiers");
3. or it reads as a personal name by shape (`reads_as_person_name`): two to four capitalised words, the first a
   given name (Faker's given names of every locale, not a common English word: "General", "China" and "May" are
   in those lists too), the last not itself a given name ("Morgan Stanley" stays a firm), no later word a common
   English word ("Philippine Red Cross", "Bergen Stock Exchange"), no organisation head. Precision first: a person
   with an everyday surname ("Marta Brown") needs a title or the model's own person tag.
A person's span takes in the name words the model left out beside it (`widen_person`: "Fire chief Emeka
[Aldana]" is Emeka Aldana, not a fragment "Aldana").
A longer name the model tagged as an organisation that ends with the full name of a person of the article
("Astrophysicist Saoirse Kaminski") is that person. Gazetteer names and names with an acronym never change kind.
Then short forms join the full name (`merge_short_forms`): a surname ("Assad", "Iwasaki") or a given name ("Marta")
written alone joins the one person of the article whose full name ends or starts with it, so no fragment topic is
made.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING

from tidings.enrichment.stages.entities.groups import _kind
from tidings.enrichment.stages.entities.organisations import has_organisation_head

if TYPE_CHECKING:
    from tidings.enrichment.stages.entities.groups import _Group

# Title and role words written right before a person's name ("Mr", "Dr.", "Minister", "health minister Ana Ruiz").
PERSON_TITLES = frozenset(
    """mr mrs ms miss mx dr prof professor sir dame lord lady president minister secretary senator sen governor
    gov mayor judge justice chancellor premier ambassador envoy spokesman spokeswoman spokesperson chairman
    chairwoman ceo founder director commissioner inspector detective superintendent constable sergeant sgt
    lieutenant lt captain capt colonel col commander admiral councillor councilor rep representative economist
    analyst lawyer barrister solicitor attorney coach manager striker midfielder defender goalkeeper king queen
    prince princess pope cardinal bishop archbishop rabbi imam sheikh emir ayatollah reverend rev father sister
    brother headteacher teacher nurse surgeon doctor professor researcher scientist author novelist singer actor
    actress campaigner activist baron baroness duke duchess earl count countess viscount marquess""".split()
)
# Particles inside a name ("Ursula von der Leyen"); they need no capital.
NAME_PARTICLES = frozenset("de del della der di da dos du la le van von bin ibn al el y".split())
# A word at least this frequent in English (wordfreq's Zipf scale) is no given name by itself: "General", "May".
COMMON_WORD_ZIPF = 4.5
# A word taken into a person's span must be rarer still: "Hill", "Point", "Park" end place names ("Ostend Hill").
WIDEN_ZIPF = 3.5
_NAME_WORD = re.compile(r"[A-Z][^\W\d_]*(?:[-'\u2019][A-Z]?[^\W\d_]+)*\.?")
_AL_PARTICLES = ("al-", "el-")


@cache
def given_names() -> frozenset[str]:
    """Given names of every locale Faker's person providers know, capitalised and alphabetic."""
    from faker.providers import person

    names: set[str] = set()
    for module in pkgutil.iter_modules(person.__path__):
        try:
            provider = importlib.import_module(f"{person.__name__}.{module.name}").Provider
        except (ImportError, AttributeError):
            continue
        for attr in ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary"):
            found = vars(provider).get(attr)
            if isinstance(found, dict):
                found = list(found)
            if isinstance(found, (list, tuple, set, frozenset)):
                names.update(n for n in found if isinstance(n, str) and n.isalpha() and n[:1].isupper())
    return frozenset(names)


def is_given_name(word: str) -> bool:
    from wordfreq import zipf_frequency

    return word in given_names() and zipf_frequency(word.lower(), "en") < COMMON_WORD_ZIPF


def reads_as_person_name(name: str) -> bool:
    """ "Tomasz Desrosiers", "Marta Iwasaki", "Ana de la Cruz": a given name first, capitalised words, the last
    not a given name, no organisation head."""
    words = name.split()
    if not 2 <= len(words) <= 4 or has_organisation_head(name, model_kind="person"):
        return False
    if not all(_NAME_WORD.fullmatch(w) or w.lower() in NAME_PARTICLES for w in words):
        return False
    rest = [w for w in words[1:] if w.lower() not in NAME_PARTICLES]
    return (
        is_given_name(words[0])
        and bool(rest)
        and words[-1] not in given_names()
        and _NAME_WORD.fullmatch(words[-1]) is not None
        and not any(_common_word(w) for w in rest)  # "Philippine Red Cross", "Bergen Stock Exchange"
    )


def _common_word(word: str, zipf: float = COMMON_WORD_ZIPF) -> bool:
    from wordfreq import zipf_frequency

    return any(zipf_frequency(part, "en") >= zipf for part in word.lower().split("-") if part)


def widen_person(text: str, start: int, end: int, others: Iterable[tuple[int, int]]) -> tuple[int, int]:
    """A person's span grown over the name words the model left out beside it ("Fire chief Emeka [Aldana]",
    "[Rafael] Obi said"): capitalised words, no title or role word, no common English word, not in another
    entity's span, at most four words in all."""
    taken = [(a, b) for a, b in others if not (a == start and b == end)]
    words = len(text[start:end].split())
    while words < 4:
        before = re.search(r"(\S+) $", text[:start])
        after = re.match(r" (\S+)", text[end:])
        if before and _widens(before.group(1), before.start(1), start, taken) and _inside_clause(text, before):
            start, words = before.start(1), words + 1
        elif after and _widens(after.group(1), end + 1, end + 1 + len(after.group(1)), taken):
            end, words = end + 1 + len(after.group(1)), words + 1
        else:
            break
    return start, end


def _inside_clause(text: str, before: re.Match[str]) -> bool:
    """A word before a name is a given name when it is one, or when a lower-case or title word precedes it ("Fire
    chief Emeka Aldana"); a capitalised first word may be a role ("Epidemiologist Jonas Iwasaki")."""
    if is_given_name(before.group(1)):
        return True
    previous = text[: before.start(1)].split()
    if not previous or previous[-1].endswith((".", "!", "?", ":", '"', "\u201d")):
        return previous[-1].casefold() in {"dr.", "mr.", "mrs.", "ms.", "prof."} if previous else False
    return previous[-1].islower() or previous[-1].strip(",").casefold() in PERSON_TITLES


def _widens(word: str, start: int, end: int, taken: list[tuple[int, int]]) -> bool:
    return (
        _NAME_WORD.fullmatch(word) is not None
        and not word.endswith(".")
        and word.casefold() not in PERSON_TITLES
        and not _common_word(word, WIDEN_ZIPF)
        and not any(a < end and start < b for a, b in taken)
    )


def after_title(text: str, start: int) -> bool:
    """Whether the word before `start` in `text` is a title or role word ("Dr Ana Ruiz", "health minister X")."""
    words = text[:start].split()
    return bool(words) and words[-1].strip(".,").casefold() in PERSON_TITLES


def without_titles(text: str) -> str:
    """The name without the title words before it ("Dr Ana Ruiz" -> "Ana Ruiz"); the text when all are titles."""
    words = text.split()
    cut = 0
    while cut < len(words) - 1 and words[cut].strip(".,").casefold() in PERSON_TITLES:
        cut += 1
    return " ".join(words[cut:])


def person_core(text: str) -> str:
    """A personal name without the role words before it: "Neighbour Tariq Varga", "Weather forecaster Nadia
    Mbeki-Ross", "Dr Ana Ruiz" -> the name. Only when what is left reads as a personal name and no dropped word is
    a given name ("Jean Paul Sartre" stays); else the text as it is."""
    text = without_titles(text)
    words = text.split()
    for cut in range(1, len(words) - 1):
        if words[cut - 1] in given_names():
            break
        rest = " ".join(words[cut:])
        if reads_as_person_name(rest):
            return rest
    return text


def titled_name(text: str) -> bool:
    """ "Dr Tomasz Desrosiers", "Minister Ana Ruiz": title words, then one to four capitalised name words with no
    organisation head ("General Motors" has no title word here: "general" is not one)."""
    words = text.split()
    cut = 0
    while cut < len(words) - 1 and words[cut].strip(".,").casefold() in PERSON_TITLES:
        cut += 1
    rest = " ".join(words[cut:])
    return cut > 0 and person_evidence(rest, True, ()) and words[cut].casefold() not in PERSON_TITLES


def person_evidence(name: str, titled: bool, person_surnames: Iterable[str]) -> bool:
    """Whether `name` (a model organisation) is a person's: see the module note. `titled`: a mention follows a
    title; `person_surnames`: the article's surname keys of people."""
    words = name.split()
    if not 1 <= len(words) <= 4 or has_organisation_head(name, model_kind="person"):
        return False
    if not all(_NAME_WORD.fullmatch(w) or w.lower() in NAME_PARTICLES for w in words):
        return False
    surnames = set(person_surnames)
    if len(words) == 1:
        return words[0].casefold() in surnames
    return titled or words[-1].casefold() in surnames or reads_as_person_name(name)


def retype_people(groups: dict[str, _Group]) -> None:
    """Mark as people the model organisations with person evidence (their mentions become "person")."""
    for key in list(groups):  # "Astrophysicist Saoirse Kaminski" tagged ORG beside the person Saoirse Kaminski
        group = groups[key]
        words = key.split()
        if len(words) < 3 or group.aliases or any(m.entry is not None for m in group.mentions):
            continue
        tails = [" ".join(words[cut:]) for cut in range(1, len(words) - 1)]
        person = next((groups[t] for t in tails if t in groups and _kind(groups[t]) == "person"), None)
        if person is not None and _kind(group) != "person":
            for mention in groups.pop(key).mentions:
                mention.kind = "person"
                person.mentions.append(mention)
    for rounds in range(2):  # a one-word name is a person's surname once the full name is known as a person
        surnames = {key.split()[-1] for key, g in groups.items() if _kind(g) == "person"}
        for key, group in groups.items():
            if group.aliases or any(m.entry is not None for m in group.mentions) or _kind(group) != "organisation":
                continue
            if rounds == 0 and " " not in key:
                continue
            surface = max((m.surface for m in group.mentions), key=len)
            if person_evidence(surface, any(m.after_title for m in group.mentions), surnames):
                for mention in group.mentions:
                    mention.kind = "person"


def surname_keys(name_key: str) -> set[str]:
    """The keys a person of this full name may be written by alone: the last word, the last two, "Assad" for
    "al-Assad"."""
    words = name_key.split()
    if len(words) < 2:
        return set()
    last = words[-1]
    keys = {last, " ".join(words[-2:])}
    for particle in _AL_PARTICLES:
        if last.startswith(particle):
            keys.add(last[len(particle) :])
    if len(words) >= 3 and words[-2] in NAME_PARTICLES:
        keys.add(last)
    return keys


def merge_short_forms(groups: dict[str, _Group]) -> None:
    """ "Assad" (or "Assad's") joins "Bashar al-Assad", and "Marta" joins "Marta Iwasaki", when that full name is in
    the same article: a surname joins the weightiest person it ends, a given name the one person it starts (none when
    two people of the article share it). The short form may carry any model label ("Assad's regime" is often tagged
    ORG, "Marta" a place); gazetteer names never merge."""
    people = {key: g for key, g in groups.items() if _kind(g) == "person" and len(key.split()) >= 2}
    shorts = [
        key
        for key, g in groups.items()
        if len(key.split()) <= 2 and not g.aliases and all(m.entry is None for m in g.mentions)
    ]
    for short_key in sorted(shorts, key=len):
        if short_key not in groups:
            continue
        candidates = [g for key, g in people.items() if key != short_key and short_key in surname_keys(key)]
        if not candidates and " " not in short_key:
            given = [g for key, g in people.items() if key != short_key and key.split()[0] == short_key]
            candidates = given if len(given) == 1 else []
        if candidates:
            target = max(candidates, key=lambda g: sum(m.weight for m in g.mentions))
            for mention in groups.pop(short_key).mentions:
                mention.kind = "person"
                target.mentions.append(mention)
