"""Pure apart from reading the packaged country list once: one spelling for speakers written several ways.

"the Russian Defense Ministry", "Russia's defence ministry" and "russian defence ministry" are one speaker. A
speaker's alias key (`ledger.speaker_key`) becomes its form here: a leading country name, alias or demonym is
written as the country's name ("russian" and "russia's" → "russia"), and British spellings of the words state
bodies are named with as American ones ("defence" → "defense"). `ledger.group_keys` compares forms.
"""

from __future__ import annotations

import json
from functools import cache

from tidings.taxonomy.aliases import normalise, strip_possessive
from tidings.taxonomy.gazetteer import DEFAULT_PATH, Gazetteer, build_gazetteer

# British → American spelling of words in the names of bodies that speak ("Ministry of Defence").
SPELLINGS = {
    "defence": "defense",
    "organisation": "organization",
    "programme": "program",
    "centre": "center",
    "labour": "labor",
    "armour": "armor",
    "offence": "offense",
}
MAX_COUNTRY_WORDS = 3


@cache
def _countries() -> Gazetteer:
    with DEFAULT_PATH.open(encoding="utf-8") as handle:
        data = json.load(handle)
    return build_gazetteer({"countries": data.get("countries", [])})


def speaker_form(key: str, countries: Gazetteer | None = None) -> str:
    """The form of a speaker's alias key: its leading country (name, alias or demonym, possessive or not) as the
    country's name, British spellings as American. A key that is only a country stays as it is."""
    words = [strip_possessive(word) for word in key.split(" ") if word]
    gazetteer = countries if countries is not None else _countries()
    for size in range(min(MAX_COUNTRY_WORDS, len(words) - 1), 0, -1):
        found = gazetteer.lookup(" ".join(words[:size]))
        if found is not None and found.entry.group == "country":
            words = [*normalise(found.entry.name).split(" "), *words[size:]]
            break
    return " ".join(SPELLINGS.get(word, word) for word in words)
