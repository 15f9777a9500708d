"""General rules that tell an organisation by its name or by the article, with no list of organisations.

1. An acronym the article defines ("Hayat Tahrir al-Sham (HTS)", "the Coastal Defence League (CDL)") names the
   long form wherever the article writes it in capitals, before or after the definition, whether or not the
   model tagged it there (`acronym_uses`).
2. An organisation head as the last word ("Military Operations Command", "People's Protection Units", "Syrian
   Civil Defense") or the first ("Ministry of Health", "Bank of Ghana") makes a name an organisation, whatever
   kind the model gave it (`has_organisation_head`). The heads are the generic nouns of English names of
   governments, armed forces, parties and institutions; words that also end place names ("Bank" as in West
   Bank, "Centre", "Court", "University" for a campus) only overrule a person, never a place.

Known organisations with no such head (the UN, NATO, the IMF, ...) come from the gazetteer's general list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Heads that make a name an organisation rather than a person or a place.
ORGANISATION_HEADS = frozenset(
    """Ministry Ministries Army Armies Forces Force Units Unit Command Defense Defence Police Brigade Brigades
    Battalion Battalions Corps Guard Guards Navy Militia Militias Party Agency Committee Council Front Movement
    Organisation Organization Authority Commission Department Directorate Bureau Observatory Coalition League
    Cartel Government Administration Secretariat""".split()
)
# Heads that also end names of places or buildings: they overrule a model's "person", not its "place".
PERSON_ONLY_HEADS = frozenset(
    """Inc Ltd LLC PLC Plc Corp Corporation Company Group Holdings Labs Laboratories Industries Partners Bank
    Airlines Airways Motors FC AFC United Rovers Athletic Wanderers Association Society Foundation Institute
    University College Alliance Trust Centre Center Museum Court Office Service Services Union Federation
    Confederation Philharmonic Orchestra Choir Ensemble Opera Ballet""".split()
)
# First words of "X of Y" organisation names.
_LEADING_HEADS = frozenset(
    "Ministry Department Bureau Office Army Bank University Council Committee Commission Agency Court".split()
)


def has_organisation_head(name: str, *, model_kind: str) -> bool:
    """Whether `name` is written as an organisation; `model_kind` is what the model said ("person", "place", ...)."""
    words = name.split()
    if len(words) < 2:
        return False  # "Army" or "Police" alone is a common noun, not a name
    last, first = words[-1].strip(".,"), words[0]
    if last in ORGANISATION_HEADS or (first in _LEADING_HEADS and words[1] == "of"):
        return True
    return model_kind == "person" and last in PERSON_ONLY_HEADS


def acronym_uses(text: str, acronyms: Iterable[str], taken: Iterable[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Where `text` writes one of the defined `acronyms` (as written, in capitals) outside the `taken` spans."""
    spans = list(taken)
    found = []
    for acronym in acronyms:
        for match in re.finditer(rf"(?<![\w&.]){re.escape(acronym)}(?![\w&])", text):
            start, end = match.start(), match.end()
            if not any(start < t_end and t_start < end for t_start, t_end in spans):
                found.append((start, end, acronym))
                spans.append((start, end))
    return sorted(found)
