"""A model or gazetteer mention of a name and the group of mentions of one entity in an article (read by rules.py
and people.py)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from tidings.taxonomy.gazetteer import GazetteerEntry


@dataclass(slots=True)
class _Mention:
    key: str
    surface: str
    kind: str
    weight: float
    line: int
    start: int
    end: int  # where the mention ends in its line, to find "(ACRONYM)" after it
    entry: GazetteerEntry | None = None
    after_locative: bool = False  # written right after "in", "near", ...
    after_title: bool = False  # written right after a title or role word ("Dr", "minister"): people.py
    headline_guess: bool = False  # a model entity in a Title Case headline: kept only if the body agrees


@dataclass(slots=True)
class _Group:
    key: str
    mentions: list[_Mention] = field(default_factory=list)
    aliases: set[str] = field(default_factory=set)


def _kind(group: _Group) -> str:
    entries = [m.entry for m in group.mentions if m.entry is not None]
    if entries:
        return entries[0].kind
    votes: dict[str, float] = defaultdict(float)
    for mention in group.mentions:
        votes[mention.kind] += mention.weight
    return max(sorted(votes), key=lambda kind: votes[kind])
