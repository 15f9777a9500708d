"""Pure: the figures and days an article's opening states, as name keys for story clustering.

Two similar but distinct events (two earthquakes in one region, two arrests of one actor) are often told
apart by how many, how strong, and when: "a 6.1 magnitude quake on Tuesday" against "a 4.4 quake on
Sunday". `fact_keys` turns the numbers ("number:6.1", "number:1200" for "1,200") and the weekday and
month names ("date:tuesday", "date:march") of the headline, standfirst and first paragraphs into keys
that `clustering.entity_overlap` compares like the people named, each kind with its weight in
`Params.kind_weights` and each key weighted by its rarity (a "2" many articles share says little).
Month names count only when capitalised ("may", "march" are also words). Written-out numbers ("six") are
not read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

LEAD_PARAGRAPHS = 3
WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
MONTHS = frozenset("january february march april may june july august september october november december".split())
_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?!\w|\.\d)")
_WORD = re.compile(r"[^\W\d_]+")


def lead_text(headline: str, standfirst: str, paragraphs: Sequence[str]) -> str:
    """The part of an article whose figures are compared: headline, standfirst, first paragraphs."""
    return "\n".join([headline, standfirst, *paragraphs[:LEAD_PARAGRAPHS]])


def fact_keys(text: str) -> frozenset[str]:
    """ "number:…" for each number (thousands separators dropped), "date:…" for each weekday or month."""
    keys = {f"number:{match.group(1).replace(',', '')}" for match in _NUMBER.finditer(text)}
    for word in _WORD.findall(text):
        folded = word.casefold()
        if folded in WEEKDAYS or (folded in MONTHS and word[0].isupper()):
            keys.add(f"date:{folded}")
    return frozenset(keys)
