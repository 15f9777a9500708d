"""What the "My interests" page lists: a profile's follows and mutes by kind, speakers apart (two queries).

A speaker is a topic that speaks in claims (stories.models.Claim.speaker_topic): following a speaker is
following that topic, so a followed topic that speaks anywhere is listed under Speakers, not Topics.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tidings.personalization.models import Follow, FollowAction, Profile
from tidings.sources.models import Source
from tidings.stories.models import Claim
from tidings.taxonomy.models import Category, Topic

GROUPS = (
    ("category", "Categories"),
    ("topic", "Topics"),
    ("speaker", "Speakers"),
    ("source", "Sources"),
)


@dataclass(frozen=True, slots=True)
class InterestRow:
    follow: Follow
    kind: str  # category, topic or source: what the follow URLs take
    target: Category | Topic | Source


@dataclass(frozen=True, slots=True)
class InterestGroup:
    key: str  # category, topic, speaker or source
    title: str
    follows: list[InterestRow] = field(default_factory=list)
    mutes: list[InterestRow] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.follows and not self.mutes


def target_kind(follow: Follow) -> str:
    return "category" if follow.category_id else "topic" if follow.topic_id else "source"


def group_follows(follows: list[Follow], speaker_topic_ids: set[int]) -> list[InterestGroup]:
    """Follows and mutes into the page's groups, each sorted by name (pure)."""
    groups = {key: InterestGroup(key, title) for key, title in GROUPS}
    for follow in follows:
        kind = target_kind(follow)
        target = follow.target
        assert target is not None, "a follow has exactly one target (follow_exactly_one_target)"
        group = groups["speaker" if kind == "topic" and follow.topic_id in speaker_topic_ids else kind]
        row = InterestRow(follow, kind, target)  # type: ignore[arg-type]
        (group.follows if follow.action == FollowAction.FOLLOW else group.mutes).append(row)
    for group in groups.values():
        group.follows.sort(key=lambda r: (str(r.target.name).casefold(), r.target.pk))
        group.mutes.sort(key=lambda r: (str(r.target.name).casefold(), r.target.pk))
    return list(groups.values())


def interest_groups(profile: Profile | None) -> list[InterestGroup]:
    if profile is None:
        return group_follows([], set())
    follows = list(Follow.objects.filter(profile=profile).select_related("category", "topic", "source"))
    topic_ids = [f.topic_id for f in follows if f.topic_id is not None]
    speakers = set(
        Claim.objects.filter(speaker_topic_id__in=topic_ids).values_list("speaker_topic_id", flat=True).distinct()
    )
    return group_follows(follows, {s for s in speakers if s is not None})
