"""The ids a profile follows, by kind (pure). Ranking itself is personalization.ranking."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Followed:
    """Ids a profile follows, by kind."""

    category_ids: frozenset[int] = frozenset()
    topic_ids: frozenset[int] = frozenset()
    source_ids: frozenset[int] = frozenset()

    @classmethod
    def from_states(cls, states: Mapping[str, Mapping[int, str]]) -> Followed:
        """Build from personalization.services.followed_ids() output, keeping only 'follow' (not 'mute')."""

        def pick(kind: str) -> frozenset[int]:
            return frozenset(i for i, action in states.get(kind, {}).items() if action == "follow")

        return cls(category_ids=pick("category"), topic_ids=pick("topic"), source_ids=pick("source"))
