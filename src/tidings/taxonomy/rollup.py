"""Places roll up: an article about Aleppo is also about Syria and the Middle East (pure: values in, values out).

The chain comes from Topic.parent (city → country → world region), which the gazetteer fills in and an
editor may correct; roll-up links are weaker than the mentions they come from and carry no mentions.
"""

from __future__ import annotations

from collections.abc import Mapping

from tidings.taxonomy.gazetteer import Gazetteer

ROLLUP_DECAY = 0.5  # each level up keeps half the score: Aleppo 0.8 → Syria 0.4 → Middle East 0.2
MAX_DEPTH = 4  # neighbourhood → city → country → region is as deep as places go


def gazetteer_chain(name: str, gazetteer: Gazetteer) -> tuple[str, ...]:
    """The places `name` lies in, nearest first, as the gazetteer knows them ("Aleppo" → Syria, Middle East)."""
    chain: list[str] = []
    entry = gazetteer.entry(name)
    while entry is not None and entry.parent and len(chain) < MAX_DEPTH:
        if entry.parent in chain or entry.parent == name:
            break
        chain.append(entry.parent)
        entry = gazetteer.entry(entry.parent)
    return tuple(chain)


def rollup_scores(
    direct: Mapping[int, float], parents: Mapping[int, int | None], *, decay: float = ROLLUP_DECAY
) -> dict[int, float]:
    """Ancestor topic id → roll-up score for topics the article does not name itself.

    `direct` maps the place topics the article names to their scores; `parents` maps topic ids to their
    parent's id (missing or None at the top). An ancestor reached from several places keeps its best score.
    """
    scores: dict[int, float] = {}
    for topic_id, score in direct.items():
        seen = {topic_id}
        current, value = parents.get(topic_id), score
        for _level in range(MAX_DEPTH):
            if current is None or current in seen:
                break
            seen.add(current)
            value *= decay
            if current not in direct:
                scores[current] = max(scores.get(current, 0.0), round(value, 4))
            current = parents.get(current)
    return scores
