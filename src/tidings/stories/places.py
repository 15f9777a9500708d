"""Pure: where an article's events happen, for the place-conflict term of story clustering.

`place_scope` turns the "place:name" keys an article is linked to into the set clustering compares
(`ArticleSignals.places`): each place with the country that holds it, per the gazetteer ("place:lisbon"
gives "place:lisbon" and "place:portugal"), so an article naming a city and one naming only its country
share a place. World regions (Europe, Asia, the Middle East: an entry without a country above it that is not
a country) are left out: they hold too much to tell two events apart. A place the gazetteer does not know
stays as it is. Two scopes that are both non-empty and share nothing are two different places.

Given the gazetteer's countries, the scope also holds "country:name" for each country a place is in (or is):
the coarser test `clustering.country_conflict` reads only those, so an invented or unknown place (a suburb, a
name the entity model took for a place) never makes two reports of one event look apart.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from functools import cache

PLACE = "place:"
COUNTRY = "country:"

# name (casefolded) -> the names (casefolded) it stands for: itself and its country; () for a world region
Resolver = Callable[[str], tuple[str, ...]]


def place_scope(keys: Iterable[str], resolve: Resolver, countries: Collection[str] = ()) -> frozenset[str]:
    """The "place:" keys of `keys`, each with the country holding it, world regions left out; and "country:" keys
    for those of the resolved names that are in `countries` (casefolded)."""
    scope: set[str] = set()
    for key in keys:
        if key.startswith(PLACE):
            for name in resolve(key[len(PLACE) :]):
                scope.add(PLACE + name)
                if name in countries:
                    scope.add(COUNTRY + name)
    return frozenset(scope)


@cache
def gazetteer_resolver() -> Resolver:
    """`Resolver` over the default gazetteer (read once per process), memoised per name."""
    from tidings.taxonomy.gazetteer import default_gazetteer

    gazetteer = default_gazetteer()

    @cache
    def resolve(name: str) -> tuple[str, ...]:
        entry = gazetteer.entry(name)
        if entry is None or entry.kind != "place":
            return (name,)
        own = entry.name.casefold()
        if entry.group == "country":
            return (own,)
        if entry.parent is None:  # a world region
            return ()
        return (own, entry.parent.casefold())

    return resolve


@cache
def gazetteer_countries() -> frozenset[str]:
    """The default gazetteer's country names, casefolded (read once per process)."""
    from tidings.taxonomy.gazetteer import default_gazetteer

    return frozenset(e.name.casefold() for e in default_gazetteer().entries if e.group == "country")
