"""The values ranking works on (personalization.ranking scores them, personalization.diversity orders them)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

Target = tuple[str, int]  # ("category" | "topic" | "source", id)


@dataclass(frozen=True, slots=True)
class Candidate:
    """What ranking needs to know about one article."""

    article_id: int
    published_at: datetime
    source_id: int
    story_id: int | None = None
    category_ids: frozenset[int] = frozenset()
    topic_ids: frozenset[int] = frozenset()
    story_sources: int = 1  # distinct outlets covering its story (1 when in no story)
    embedding: Sequence[float] | None = None  # unit length, as enrichment.vectors stores them

    def targets(self) -> Iterable[Target]:
        for category_id in self.category_ids:
            yield ("category", category_id)
        for topic_id in self.topic_ids:
            yield ("topic", topic_id)
        yield ("source", self.source_id)


@dataclass(frozen=True, slots=True)
class ReaderProfile:
    """A reader as ranking sees them; the empty profile is an anonymous visitor."""

    follows: Mapping[Target, int] = field(default_factory=dict)  # followed target -> Follow.weight
    mutes: frozenset[Target] = frozenset()
    implicit: Mapping[Target, float] = field(default_factory=dict)  # Interest rows (interests.build_profile)
    taste: Sequence[float] | None = None
    read_article_ids: frozenset[int] = frozenset()
    read_story_ids: frozenset[int] = frozenset()
    hidden_story_ids: frozenset[int] = frozenset()
    hidden_article_ids: frozenset[int] = frozenset()

    @property
    def is_empty(self) -> bool:
        """No interest at all, explicit or learned: nothing to personalize with."""
        return not self.follows and not any(v > 0 for v in self.implicit.values()) and self.taste is None

    def exclusions_only(self) -> ReaderProfile:
        """The same reader for an unpersonalized list (the home page): mutes and hides kept, interests dropped."""
        return ReaderProfile(
            mutes=self.mutes,
            read_article_ids=frozenset(),
            hidden_story_ids=self.hidden_story_ids,
            hidden_article_ids=self.hidden_article_ids,
        )

    def interested_categories(self) -> frozenset[int]:
        """Categories the reader follows or has shown a liking for (exploration looks outside them)."""
        found = {i for (kind, i) in self.follows if kind == "category"}
        found |= {i for (kind, i), v in self.implicit.items() if kind == "category" and v > 0}
        return frozenset(found)


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a card is there, as data; personalization.explain turns it into a few words."""

    kind: str  # "follow", "learned", "taste", "top_story", "covered", "explore", "latest"
    target: Target | None = None
    count: int = 0  # outlets, for "top_story" and "covered"


@dataclass(frozen=True, slots=True)
class Scored:
    candidate: Candidate
    score: float
    interest: float
    importance: float
    source: float
    freshness: float
    reason: Reason


@dataclass(frozen=True, slots=True)
class Ranked:
    article_id: int
    story_id: int | None
    score: float
    reason: Reason
