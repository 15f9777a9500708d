"""Why a card is there, in a few words, from ranking's Reason and the names of what it points at (pure)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from tidings.personalization.ranking import Reason, Target

LATEST = "Latest news"
TASTE = "More like what you read"


def explain(reason: Reason, names: Mapping[Target, str]) -> str:
    """'You follow Syria', 'Top story: 14 sources', 'New for you: Science', 'More like what you read', …

    A reason whose target has no name (deleted since ranking) falls back to the words that need no name.
    """
    name = names.get(reason.target) if reason.target is not None else None
    if reason.kind == "follow" and name:
        return f"You follow {name}"
    if reason.kind == "learned" and name:
        return f"You often read {name}"
    if reason.kind == "explore" and name:
        return f"New for you: {name}"
    if reason.kind == "taste":
        return TASTE
    if reason.kind == "top_story" and reason.count > 1:
        return f"Top story: {reason.count} sources"
    if reason.kind == "covered" and reason.count > 1:
        return f"Reported by {reason.count} sources"
    return LATEST


def targets_to_name(reasons: Iterable[Reason]) -> dict[str, set[int]]:
    """The ids, by kind, whose names the given reasons need (for the edge to load in one query per kind)."""
    wanted: dict[str, set[int]] = {}
    for reason in reasons:
        if reason.target is not None:
            wanted.setdefault(reason.target[0], set()).add(reason.target[1])
    return wanted
